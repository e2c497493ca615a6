// The final-read phase: both stores read in full, in ascending id order, a page at a time —
// MySQL by keyset pagination, the index by search_after — so the checker compares them in
// bounded memory; and the rows and documents of the keys an expectation names.
import type mysql from 'mysql2/promise';
import { compareStores, projectRows, type ConvergenceReport } from '../checker/convergence.ts';
import type { FinalState } from '../checker/verdict.ts';
import { keysetPageStatement, selectRowStatement } from '../entity/table-sql.ts';
import type { Doc, Row } from '../scenario/projection.ts';
import type { Entity } from '../scenario/schema.ts';
import type { SearchPort } from '../stores/search/search-port.ts';

export async function* mysqlRows(pool: mysql.Pool, table: string, pageSize = 1000): AsyncGenerator<Row> {
  let after = 0;
  for (;;) {
    const statement = keysetPageStatement(table, after, pageSize);
    const [rows] = await pool.query<mysql.RowDataPacket[]>(statement.sql, statement.params);
    for (const row of rows) yield { ...row, id: Number(row.id), version: Number(row.version) };
    if (rows.length < pageSize) return;
    after = Number(rows[rows.length - 1]!.id);
  }
}

export async function* indexDocs(search: SearchPort, index: string, pageSize = 1000): AsyncGenerator<Doc> {
  for await (const stored of search.scan(index, { sortField: 'id', pageSize })) yield stored.source as Doc;
}

export interface SnapshotSources {
  pool: mysql.Pool;
  search: SearchPort;
  entity: Entity;
  table: string;
  index: string;
}

/** One full comparison of the two stores (the index refreshed first so a scan sees every write). */
export async function compareSnapshot(sources: SnapshotSources, onIndexDoc?: (doc: Doc) => void): Promise<ConvergenceReport> {
  await sources.search.refresh(sources.index);
  return compareStores(sources.entity, projectRows(sources.entity, mysqlRows(sources.pool, sources.table)), indexDocs(sources.search, sources.index), {
    ...(onIndexDoc ? { onIndexDoc } : {}),
  });
}

export interface ConvergenceWait {
  report: ConvergenceReport;
  /** From `since` until the stores were first found equal; null if they never were before the deadline. */
  timeMs: number | null;
  checks: number;
}

/**
 * Compare until the stores agree or `timeoutMs` has passed since `since` (the last acknowledged
 * write, monotonic ms); the last comparison is the report.
 */
export async function waitForConvergence(
  sources: SnapshotSources,
  since: number,
  timeoutMs: number,
  now: () => number,
  onCheck?: (at: number, report: ConvergenceReport) => void,
  intervalMs = 250,
): Promise<ConvergenceWait> {
  let checks = 0;
  for (;;) {
    // The stores are judged as of the moment the check began (refresh, then scan).
    const at = now();
    const report = await compareSnapshot(sources);
    checks++;
    onCheck?.(at, report);
    if (report.converged) return { report, timeMs: Math.max(0, at - since), checks };
    if (at - since >= timeoutMs) return { report, timeMs: null, checks };
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export async function finalStates(sources: SnapshotSources, ids: number[]): Promise<FinalState[]> {
  const states: FinalState[] = [];
  for (const id of ids) {
    const statement = selectRowStatement(sources.table, id);
    const [rows] = await sources.pool.query<mysql.RowDataPacket[]>(statement.sql, statement.params);
    const row = rows[0];
    const doc = await sources.search.get(sources.index, String(id));
    states.push({
      id,
      mysql: row ? ({ ...row, id: Number(row.id), version: Number(row.version) }) : null,
      index: doc ? (doc.source as Doc) : null,
    });
  }
  return states;
}
