// Lock-wait time per write: the row-locking statement of a write (the INSERT, the UPDATE, or the
// delete's SELECT … FOR UPDATE: the first statement writeRowStatements sends) is timed. A
// single-row statement on the primary key executes in well under a millisecond on its own, so
// what it takes beyond that is its wait for the row lock, held by another transaction, a prepared
// branch among them. A statement whose wait ran out (`lockWaitTimeoutS`) is timed too.
import type { Queryable } from '../../harness/entity/mysql-writes.ts';

/** `connection` for a write's statements, with its first query's duration (ms) passed to `record`. */
export function timingFirstQuery(connection: Pick<Queryable, 'query'>, record: (ms: number) => void): Pick<Queryable, 'query'> {
  let timed = false;
  const query = (async (...args: Parameters<Queryable['query']>) => {
    if (timed) return connection.query(...args);
    timed = true;
    const started = performance.now();
    try {
      return await connection.query(...args);
    } finally {
      record(performance.now() - started);
    }
  }) as Queryable['query'];
  return { query };
}
