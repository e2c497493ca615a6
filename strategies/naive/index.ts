// The naive dual write, converge's control group: write MySQL, then write the index, with no
// coordination, no versions and no recovery. Concurrent writers can reach the index in another
// order than MySQL committed, and a crash between the two writes leaves them apart for good:
// the checker must catch both.
import type mysql from 'mysql2/promise';
import { ConvergeError } from '../../harness/errors.ts';
import { applyMysqlWrite } from '../../harness/entity/mysql-writes.ts';
import { supportsReturning } from '../../harness/entity/one-trip-transaction.ts';
import { recreateIndex, recreateTable } from '../../harness/entity/stores-setup.ts';
import { projectRow } from '../../harness/scenario/projection.ts';
import { createMysqlPool } from '../../harness/stores/mysql.ts';
import { connectSearch } from '../../harness/stores/search/connect-search.ts';
import type { SearchPort } from '../../harness/stores/search/search-port.ts';
import type { Op } from '../../harness/workload/op.ts';
import type { QuiesceResult, Strategy, StrategyContext, WriteOutcome } from '../contract.ts';

class NaiveStrategy implements Strategy {
  readonly name = 'naive';
  private context!: StrategyContext;
  private pool!: mysql.Pool;
  /** The server takes INSERT/DELETE … RETURNING: those writes are one statement. */
  private returning = false;
  private search!: SearchPort;
  private readonly counters = { mysqlWrites: 0, indexWrites: 0, indexDeletes: 0, indexFailures: 0 };

  async open(context: StrategyContext): Promise<void> {
    this.context = context;
    this.pool = createMysqlPool(context.endpoints.mysql, { connectionLimit: Math.max(2, context.concurrency + 1), multipleStatements: true });
    this.returning = supportsReturning(context.endpoints.mysql);
    this.search = await connectSearch(context.endpoints.search.url);
  }

  async setup(): Promise<void> {
    await recreateTable(this.pool, this.context.entity, this.context.table);
    await recreateIndex(this.search, this.context.entity, this.context.index);
  }

  async write(op: Op): Promise<WriteOutcome> {
    const connection = await this.pool.getConnection();
    let outcome: WriteOutcome;
    try {
      outcome = await applyMysqlWrite(connection, this.context.table, op, { returning: this.returning });
    } finally {
      connection.release();
    }
    this.counters.mysqlWrites++;
    if (!outcome.value) return outcome;
    try {
      if (op.kind === 'delete') {
        await this.search.delete(this.context.index, String(op.id));
        this.counters.indexDeletes++;
      } else {
        await this.search.index(this.context.index, String(op.id), projectRow(this.context.entity, outcome.value));
        this.counters.indexWrites++;
      }
    } catch (error) {
      this.counters.indexFailures++;
      // MySQL has committed; whether the index write landed is not known.
      throw new ConvergeError(`MySQL committed but the index write failed: ${(error as Error).message}`, { definite: false, retriable: false, cause: error });
    }
    return outcome;
  }

  quiesce(): Promise<QuiesceResult> {
    // Nothing propagates in the background: each write was applied to the index before it was acknowledged.
    return Promise.resolve({ quiet: true, waitedMs: 0, detail: 'synchronous dual write: nothing in flight after acknowledgement' });
  }

  recover(): Promise<void> {
    // The control group has no recovery: what a crash left half-written stays that way.
    return Promise.resolve();
  }

  stats(): Promise<Record<string, unknown>> {
    return Promise.resolve({ ...this.counters });
  }

  teardown(): Promise<void> {
    return Promise.resolve();
  }

  async close(): Promise<void> {
    await this.pool?.end();
    await this.search?.close();
  }
}

export const naiveStrategy = (): Strategy => new NaiveStrategy();
