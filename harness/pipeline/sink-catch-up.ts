// Sink catch-up (issue 12, P1): with `changes` changes already waiting in the topic, how fast the
// sink applies them, against the raw bulk-index rate of the same documents in the same run.
//   1. a cdc pair with the seed's connector pair as written, its sink held back; the connector
//      captures the (empty) table;
//   2. `changes` rows inserted (multi-row INSERTs); wait until the topic holds a change for each
//      (the capture rate: Debezium and Connect from the first INSERT to the last change in Kafka);
//   3. release the sink and wait until everything is applied (the strategy's quiesce); the sink's
//      rate is changes applied from its first batch to its last commit (the consumer group's
//      join before that is reported apart, as `startupMs`), the CPU watched over that window;
//   4. the raw rate: the same rows' documents bulk-indexed straight into a fresh index, at the
//      sink document's batch size, one request at a time;
//   5. both stores compared.
import { createKafka } from '../stores/kafka.ts';
import { retry } from '../retry.ts';
import { ConvergeError } from '../errors.ts';
import { compareSnapshot } from '../run/final-read.ts';
import { insertGeneratedRows } from './bulk-rows.ts';
import { openCdcPair } from './cdc-pair.ts';
import type { PipelineContext } from './context.ts';
import { perSecond, type MeasuredTarget } from './measurement.ts';
import { measureRawBulk, type RawBulk } from './raw-bulk.ts';

export const SINK_CATCH_UP_GOAL = 0.85;

/** Sum of the topic's partitions' end offsets. */
async function topicEnd(admin: ReturnType<ReturnType<typeof createKafka>['admin']>, topic: string): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.reduce((sum, partition) => sum + Number(partition.high), 0);
}

export async function sinkCatchUp(ctx: PipelineContext): Promise<MeasuredTarget & { raw: RawBulk }> {
  const n = ctx.params.changes;
  const pair = await openCdcPair(ctx, 'sink', {}, { holdSink: true });
  const kafka = createKafka(ctx.endpoints.kafka, 'converge-pipeline-sink', pair.cdc.logFile);
  const admin = kafka.admin();
  try {
    await pair.cdc.setup();
    await admin.connect();
    const topic = pair.cdc.dataTopic;
    const insertStart = Date.now();
    await insertGeneratedRows(pair.sources.pool, ctx.entity, pair.names.table, 1, n);
    const insertedAt = Date.now();
    await retry(
      async () => {
        const end = await topicEnd(admin, topic);
        if (end < n) throw new ConvergeError(`the topic ${topic} holds ${end} of ${n} changes`, { retriable: true });
      },
      { timeoutMs: 15 * 60_000, initialDelayMs: 100, maxDelayMs: 500, description: `${n} changes in ${topic}` },
    );
    const capturedAt = Date.now();
    ctx.log(`sink catch-up: ${n} changes in the topic (${((capturedAt - insertStart) / 1000).toFixed(1)} s after the first INSERT); starting the sink`);

    const usage = ctx.watchUsage();
    const released = Date.now();
    await pair.cdc.releaseSink();
    const quiet = await pair.cdc.quiesce(15 * 60_000);
    const doneAt = Date.now();
    const usageResult = usage.stop();
    if (!quiet.quiet) throw new Error(`the sink did not apply the ${n} changes within 15 min: ${quiet.detail ?? ''}`);
    const stats = await pair.cdc.stats();
    const { applied, firstBatchAt, lastCommitAt } = pair.cdc.sinkProgress();
    const first = firstBatchAt ?? Number.NaN;
    const last = lastCommitAt ?? Number.NaN;
    const report = await compareSnapshot(pair.sources);
    const batchSize = pair.cdc.sinkBatchSize;
    const raw = await measureRawBulk(pair.sources.pool, pair.sources.search, ctx.entity, pair.names.table, `${pair.names.index}-raw`, batchSize);
    const rate = perSecond(applied, last - first);
    return {
      raw,
      figures: {
        rate: { value: rate, unit: 'changes/s' },
        raw: { value: raw.docsPerSec, unit: 'docs/s' },
        ratio: { value: rate / raw.docsPerSec, unit: '×' },
        startupMs: { value: first - released, unit: 'ms' },
        endToEndRate: { value: perSecond(n, doneAt - released), unit: 'changes/s' },
        captureRate: { value: perSecond(n, capturedAt - insertStart), unit: 'changes/s' },
        insertRate: { value: perSecond(n, insertedAt - insertStart), unit: 'rows/s' },
        bulkRequests: { value: Number(stats.bulkRequests), unit: 'requests' },
      },
      goals: [{ text: `sink apply rate ≥ ${SINK_CATCH_UP_GOAL} × raw bulk indexing`, figure: 'ratio', op: '>=', threshold: SINK_CATCH_UP_GOAL }],
      config: {
        changes: n,
        applied,
        connectorPair: 'the seed pair as written (strategies/cdc/connectors/seed-*.json)',
        sinkBatchSize: batchSize,
        sinkMaxInFlight: pair.cdc.sinkMaxInFlight,
        rawBatchSize: raw.batchSize,
        rawInFlight: 1,
      },
      converged: report.converged,
      usage: usageResult,
    };
  } finally {
    await admin.disconnect().catch(() => {});
    const removed = await pair.close().catch((error: unknown) => [`cleanup failed: ${String(error)}`]);
    ctx.log(`sink catch-up: removed ${removed.join(', ') || 'nothing'}`);
  }
}
