// The final-read phase: both stores read in full, a page at a time — MySQL by keyset pagination in
// ascending id order, the index by one sorted scroll over a consistent snapshot — so the checker
// compares them in bounded memory (a misplaced index document is judged against its row, fetched
// by primary key); the wait for convergence and its confirmation; and the rows and documents of the
// keys an expectation names.
import type mysql from 'mysql2/promise';
import { compareStores, projectRows, type ConvergenceReport, type IndexDoc } from '../checker/convergence.ts';
import type { FinalState } from '../checker/verdict.ts';
import { keysetPageStatement, selectRowStatement } from '../entity/table-sql.ts';
import { projectRow, type Doc, type Row } from '../scenario/projection.ts';
import type { Entity } from '../scenario/schema.ts';
import type { SearchPort } from '../stores/search/search-port.ts';
import type { QuiesceResult } from '../../strategies/contract.ts';

function rowOf(raw: mysql.RowDataPacket): Row {
  return { ...raw, id: Number(raw.id), version: Number(raw.version) };
}

export async function* mysqlRows(pool: mysql.Pool, table: string, pageSize = 1000): AsyncGenerator<Row> {
  let after = 0;
  for (;;) {
    const statement = keysetPageStatement(table, after, pageSize);
    const [rows] = await pool.query<mysql.RowDataPacket[]>(statement.sql, statement.params);
    for (const row of rows) yield rowOf(row);
    if (rows.length < pageSize) return;
    after = Number(rows[rows.length - 1]!.id);
  }
}

/** MySQL's row `id`, or null. */
export async function mysqlRow(pool: mysql.Pool, table: string, id: number): Promise<Row | null> {
  const statement = selectRowStatement(table, id);
  const [rows] = await pool.query<mysql.RowDataPacket[]>(statement.sql, statement.params);
  return rows[0] ? rowOf(rows[0]) : null;
}

/** Every index document with its `_id`, in ascending `id` field order (the scan's sort). */
export async function* indexDocs(search: SearchPort, index: string, pageSize = 1000): AsyncGenerator<IndexDoc> {
  for await (const stored of search.scan(index, { sortField: 'id', pageSize })) yield { id: stored.id, source: stored.source };
}

export interface SnapshotSources {
  pool: mysql.Pool;
  search: SearchPort;
  entity: Entity;
  table: string;
  index: string;
  /** Rows and documents per page of the scans (default 1000). */
  pageSize?: number;
}

/** What other checks see of one comparison's scans, so they share them instead of reading the stores again. */
export interface SnapshotTaps {
  /** Every index document, in scan order. */
  onIndexDoc?: (doc: IndexDoc) => void;
  /** Every MySQL row as read (before projection), in ascending id order: the whole table once the comparison returns. */
  onMysqlRow?: (row: Row) => void;
}

async function* tapped(rows: AsyncIterable<Row>, onRow: ((row: Row) => void) | undefined): AsyncGenerator<Row> {
  for await (const row of rows) {
    onRow?.(row);
    yield row;
  }
}

/** One full comparison of the two stores (the index refreshed first so a scan sees every write). */
export async function compareSnapshot(sources: SnapshotSources, taps: SnapshotTaps = {}): Promise<ConvergenceReport> {
  await sources.search.refresh(sources.index);
  const lookupRow = async (id: number): Promise<Doc | null> => {
    const row = await mysqlRow(sources.pool, sources.table, id);
    return row === null ? null : projectRow(sources.entity, row);
  };
  const { entity, pool, search, table, index, pageSize } = sources;
  return compareStores(entity, projectRows(entity, tapped(mysqlRows(pool, table, pageSize), taps.onMysqlRow)), indexDocs(search, index, pageSize), {
    lookupRow,
    ...(taps.onIndexDoc ? { onIndexDoc: taps.onIndexDoc } : {}),
  });
}

/**
 * How long after the strategy reports quiet the confirming comparison starts: a change the strategy
 * still had in flight gets this long to land. One second is one refresh interval of converge's
 * indices (a strategy that reads its own index sees its writes after it) and four of the polling
 * intervals between comparisons, so a late write shows in the confirming scan rather than after it.
 */
export const CONFIRM_SETTLE_MS = 1_000;

/** What waitForConvergence needs from the run: a comparison, and the strategy's quiesce. */
export interface ConvergenceProbe {
  /** One full comparison of the two stores, as of the moment it is called. */
  compare(): Promise<ConvergenceReport>;
  /** Asks the strategy to report quiet, waiting at most `timeoutMs` (its QuiesceResult says whether it was). */
  quiesce(timeoutMs: number): Promise<QuiesceResult>;
}

export interface ConvergenceWaitOptions {
  /** The last acknowledged write (monotonic ms): time to convergence counts from here. */
  since: number;
  /** Comparisons start until this long after `since`; a confirmation under way still finishes. */
  timeoutMs: number;
  now: () => number;
  /** Called with every comparison and the time it began. */
  onCheck?: (at: number, report: ConvergenceReport) => void;
  /** Between comparisons while the stores differ. Default 250 ms. */
  intervalMs?: number;
  /** From the strategy's quiet to the confirming comparison. Default CONFIRM_SETTLE_MS. */
  settleMs?: number;
  /**
   * An earlier wait (a checkpoint) confirmed the stores equal from this time (monotonic ms), and no
   * write was acknowledged since: when this wait's first comparisons confirm it again, time to
   * convergence runs to it, not to this wait's own first comparison.
   */
  equalSince?: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface ConvergenceWait {
  /** Confirmed: equal, then quiet, then still equal (see waitForConvergence). */
  converged: boolean;
  /** The confirming comparison when converged, else the last comparison. */
  report: ConvergenceReport;
  /** From `since` to the first comparison of the confirmed pair; null if never converged. */
  timeMs: number | null;
  /** Whether the strategy said it was quiet when last asked (null: never asked, the stores never agreed). */
  quiet: boolean | null;
  checks: number;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Compares the stores until they have converged or `timeoutMs` has passed since `since`. Converged
 * means: a comparison found the stores equal; then the strategy's quiesce returned (quiet, or its
 * own time ran out — recorded; a quiesce that throws counts as not quiet); then, at least `settleMs` later, a confirming comparison found them
 * equal still. A confirming comparison that differs sends the wait on (an equal moment followed by
 * a late or replayed write is not convergence). Time to convergence runs from `since` to the start
 * of the first comparison of the confirmed pair.
 */
export async function waitForConvergence(probe: ConvergenceProbe, options: ConvergenceWaitOptions): Promise<ConvergenceWait> {
  const { since, timeoutMs, now } = options;
  const sleep = options.sleep ?? defaultSleep;
  let checks = 0;
  let quiet: boolean | null = null;
  const compare = async (): Promise<{ at: number; report: ConvergenceReport }> => {
    // The stores are judged as of the moment the comparison began (refresh, then scan).
    const at = now();
    const report = await probe.compare();
    checks++;
    options.onCheck?.(at, report);
    return { at, report };
  };
  let diverged = false;
  for (;;) {
    let { at, report } = await compare();
    diverged ||= !report.converged;
    if (report.converged) {
      const asked = await probe.quiesce(Math.max(0, since + timeoutMs - now())).catch(() => ({ quiet: false }));
      quiet = asked.quiet;
      await sleep(options.settleMs ?? CONFIRM_SETTLE_MS);
      const first = !diverged && options.equalSince !== undefined ? Math.min(options.equalSince, at) : at;
      ({ at, report } = await compare());
      if (report.converged) return { converged: true, report, timeMs: Math.max(0, first - since), quiet, checks };
      diverged = true;
    }
    if (at - since >= timeoutMs) return { converged: false, report, timeMs: null, quiet, checks };
    await sleep(options.intervalMs ?? 250);
  }
}

export async function finalStates(sources: SnapshotSources, ids: number[]): Promise<FinalState[]> {
  const states: FinalState[] = [];
  for (const id of ids) {
    const row = await mysqlRow(sources.pool, sources.table, id);
    const doc = await sources.search.get(sources.index, String(id));
    states.push({ id, mysql: row, index: doc ? (doc.source as Doc) : null });
  }
  return states;
}
