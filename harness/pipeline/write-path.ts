// Write path overhead (issue 12, P6): the cdc strategy's write path — the harness's call over IPC
// into the strategy's worker process, the strategy's MySQL transaction, the answer back — with no
// background machinery running (the worker is opened, never set up: no connector, no sink), against
// raw mysql2 single-row autocommit INSERTs of the same rows into a table of the same shape, at the
// same concurrency, in the same repetition. The raw rate is measured before and after the strategy's
// and averaged, so a drift of the machine's load during the measurement is split between them.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { recreateTable } from '../entity/stores-setup.ts';
import { dropTableSql, insertStatement } from '../entity/table-sql.ts';
import { leaseDir, removeLease, writeLease } from '../run/lease.ts';
import { createMysqlPool } from '../stores/mysql.ts';
import { StrategyWorker } from '../worker/strategy-worker.ts';
import { Rng } from '../workload/rng.ts';
import { generateValues } from '../workload/values.ts';
import type { Scalar } from '../scenario/schema.ts';
import type { StrategyContext } from '../../strategies/contract.ts';
import type { PipelineContext } from './context.ts';
import { perSecond, type MeasuredTarget } from './measurement.ts';

export const WRITE_PATH_GOAL = 0.8;
/** Inserts before each timed run, on ids above the timed ones (connections, JIT, buffer pool). */
const WARM_UP = 200;

/** Run `count` tasks from `concurrency` loops; the wall time in ms. */
async function timed(concurrency: number, count: number, task: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < count; i = next++) await task(i);
    }),
  );
  return performance.now() - started;
}

export async function writePath(ctx: PipelineContext): Promise<MeasuredTarget> {
  const { concurrency, writePathOps: n } = ctx.params;
  const tag = randomBytes(3).toString('hex');
  const table = `pl_write_cdc_${tag}`;
  const rawTable = `pl_write_raw_${tag}`;
  const context: StrategyContext = {
    endpoints: ctx.endpoints,
    runId: ctx.runId,
    entity: ctx.entity,
    table,
    index: `converge-pipeline-write-cdc-${tag}`,
    concurrency,
    options: {},
    logFile: path.join(ctx.runDir, 'pipeline-write-path.log'),
  };
  const { endpoints: _, ...leased } = context;
  const lease = writeLease(leaseDir(ctx.envDir), tag, { pid: process.pid, strategy: 'cdc', scenario: 'pipeline-write-path', createdAt: new Date().toISOString(), keepData: false, context: leased });
  const pool = createMysqlPool(ctx.endpoints.mysql, { connectionLimit: concurrency });
  const worker = new StrategyWorker('cdc', context);
  const columns = Object.keys(ctx.entity.columns);
  const rng = new Rng(1, 'pipeline-write-path');
  const rows: Record<string, Scalar>[] = Array.from({ length: n + WARM_UP }, () => generateValues(ctx.entity.columns, columns, rng));
  const rawInsert = (offset: number) => async (i: number) => {
    const statement = insertStatement(rawTable, offset + i + 1, rows[i % rows.length]!);
    await pool.query(statement.sql, statement.params);
  };
  try {
    await recreateTable(pool, ctx.entity, table);
    await worker.start();
    const rawRun = async (round: number) => {
      await recreateTable(pool, ctx.entity, rawTable);
      await timed(concurrency, WARM_UP, rawInsert(10_000_000 * round + n));
      return perSecond(n, await timed(concurrency, n, rawInsert(10_000_000 * round)));
    };
    const rawBefore = await rawRun(1);
    await timed(concurrency, WARM_UP, (i) => worker.write({ index: i, phase: 'warm-up', kind: 'insert', id: n + i + 1, values: rows[n + i]! }));
    const usage = ctx.watchUsage();
    const strategyMs = await timed(concurrency, n, (i) => worker.write({ index: i, phase: 'write-path', kind: 'insert', id: i + 1, values: rows[i]! }));
    const usageResult = usage.stop();
    const rawAfter = await rawRun(2);
    const rate = perSecond(n, strategyMs);
    const raw = (rawBefore + rawAfter) / 2;
    // Every insert must be in the table: the write path really wrote.
    const [[{ rows: written }]] = (await pool.query(`SELECT COUNT(*) AS \`rows\` FROM \`${table}\``)) as unknown as [[{ rows: number }]];
    if (Number(written) !== n + WARM_UP) throw new Error(`the strategy's table holds ${written} rows after ${n + WARM_UP} acknowledged inserts`);
    return {
      figures: {
        rate: { value: rate, unit: 'ops/s' },
        raw: { value: raw, unit: 'ops/s' },
        ratio: { value: rate / raw, unit: '×' },
        rawBefore: { value: rawBefore, unit: 'ops/s' },
        rawAfter: { value: rawAfter, unit: 'ops/s' },
        meanLatencyMs: { value: (strategyMs * concurrency) / n, unit: 'ms' },
      },
      goals: [{ text: `strategy write path ≥ ${WRITE_PATH_GOAL} × raw mysql2 single-row commits`, figure: 'ratio', op: '>=', threshold: WRITE_PATH_GOAL }],
      config: { ops: n, concurrency, strategy: 'cdc (worker opened, not set up: no connector, no sink)', operation: 'insert of one generated row', raw: 'mysql2 pool.query autocommit INSERT, same rows, same table shape' },
      converged: null,
      usage: usageResult,
    };
  } finally {
    await worker.stop();
    await pool.query(dropTableSql(table)).catch(() => {});
    await pool.query(dropTableSql(rawTable)).catch(() => {});
    await pool.end();
    removeLease(lease);
  }
}
