// Snapshot catch-up: `snapshotRows` rows already in the table, the capture started afterwards; the
// rows per second from the connector's creation until the index holds every row, reported beside
// the raw bulk-index rate measured in the same repetition (no goal: the issue asks for the figure).
// Debezium's own snapshot duration (from the Connect log) and the sink's apply rate are kept beside
// it, so the split between snapshotting and indexing shows.
import { ConvergeError } from '../errors.ts';
import { retry } from '../retry.ts';
import { compareSnapshot } from '../run/final-read.ts';
import { insertGeneratedRows } from './bulk-rows.ts';
import { openCdcPair } from './cdc-pair.ts';
import type { PipelineContext } from './context.ts';
import { perSecond, type MeasuredTarget } from './measurement.ts';
import type { RawBulk } from './raw-bulk.ts';

/** The capture is deferred to a phase that never runs: the measurement starts it itself. */
const DEFERRED = { startCaptureAt: { phase: 'pipeline-snapshot', fraction: 1 } };

export async function snapshotCatchUp(ctx: PipelineContext, raw: RawBulk | null): Promise<MeasuredTarget> {
  const n = ctx.params.snapshotRows;
  const pair = await openCdcPair(ctx, 'snapshot', DEFERRED, {});
  try {
    await pair.cdc.setup();
    await insertGeneratedRows(pair.sources.pool, ctx.entity, pair.names.table, 1, n);
    const usage = ctx.watchUsage();
    const created = Date.now();
    await pair.cdc.startCapture();
    const running = Date.now();
    // Done when the sink has applied a document for every row (its own clock says when); the
    // strategy's quiesce and a comparison of both stores then confirm it, untimed.
    await retry(
      () => {
        const applied = pair.cdc.sinkProgress().applied;
        return applied < n ? Promise.reject(new ConvergeError(`the sink has applied ${applied} of ${n} snapshot rows`, { retriable: true })) : Promise.resolve();
      },
      { timeoutMs: 15 * 60_000, initialDelayMs: 50, maxDelayMs: 200, description: `${n} snapshot rows in the index` },
    );
    const progress = pair.cdc.sinkProgress();
    const doneAt = progress.lastCommitAt ?? Date.now();
    const usageResult = usage.stop();
    const quiet = await pair.cdc.quiesce(5 * 60_000);
    if (!quiet.quiet) throw new Error(`the pipeline did not quiesce after the snapshot of ${n} rows: ${quiet.detail ?? ''}`);
    const stats = await pair.cdc.stats();
    const report = await compareSnapshot(pair.sources);
    const rate = perSecond(n, doneAt - created);
    const first = progress.firstBatchAt ?? Number.NaN;
    const last = doneAt;
    const snapshotMs = typeof stats.snapshotDurationMs === 'number' ? stats.snapshotDurationMs : null;
    return {
      figures: {
        rate: { value: rate, unit: 'rows/s' },
        ...(raw ? { raw: { value: raw.docsPerSec, unit: 'docs/s' }, ratio: { value: rate / raw.docsPerSec, unit: '×' } } : {}),
        totalMs: { value: doneAt - created, unit: 'ms' },
        connectorStartMs: { value: running - created, unit: 'ms' },
        ...(snapshotMs !== null ? { debeziumSnapshotMs: { value: snapshotMs, unit: 'ms' } } : {}),
        firstChangeMs: { value: first - created, unit: 'ms' },
        sinkApplyRate: { value: perSecond(progress.applied, last - first), unit: 'changes/s' },
      },
      goals: [],
      config: { rows: n, connectorPair: 'the seed pair as written (strategies/cdc/connectors/seed-*.json)', sinkBatchSize: pair.cdc.sinkBatchSize },
      converged: report.converged,
      usage: usageResult,
    };
  } finally {
    const removed = await pair.close().catch((error: unknown) => [`cleanup failed: ${String(error)}`]);
    ctx.log(`snapshot catch-up: removed ${removed.join(', ') || 'nothing'}`);
  }
}
