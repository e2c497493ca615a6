// converge: the nemesis's fault records as results.json states them, each with the outcomes of the
// writes that were in flight at some moment of its window (invoked before it ended, completed after
// it began) and how long the index took to catch up after its heal; and the time to converge once
// the faults had healed and the writes stopped. Pure.
import type { FaultRecordResult } from '../results/schema.ts';
import type { FaultRecord } from '../nemesis/nemesis.ts';
import type { WriteSpan } from './op-executor.ts';

/** A lag sample: acknowledged `atMs` after the workload began, seen in the index `lagMs` later. */
export interface LagPoint {
  atMs: number;
  lagMs: number;
}

/** Below this lag (ms), a write is "current" when no sample was taken before the first fault. */
export const CATCH_UP_FLOOR_MS = 1000;

/**
 * How long after a fault's heal the index was current again: the first lag sample acknowledged at
 * or after the heal whose lag is within the normal lag (the p99 of the samples acknowledged before
 * the first fault began, at least CATCH_UP_FLOOR_MS) was seen at `atMs + lagMs`; catch-up is that
 * moment minus the heal's end. Null when no sample acknowledged after the heal was current.
 */
export function catchUpMs(healEndMs: number, normalLagMs: number, points: readonly LagPoint[]): number | null {
  const current = points.filter((point) => point.atMs >= healEndMs && point.lagMs <= normalLagMs).sort((a, b) => a.atMs - b.atMs)[0];
  return current ? Math.max(0, Math.round(current.atMs + current.lagMs - healEndMs)) : null;
}

/** The normal lag before the faults: the p99 of the samples acknowledged before `firstStartMs`, at least the floor. */
export function normalLagMs(firstStartMs: number, points: readonly LagPoint[]): number {
  const before = points.filter((point) => point.atMs < firstStartMs).map((point) => point.lagMs).sort((a, b) => a - b);
  if (before.length === 0) return CATCH_UP_FLOOR_MS;
  return Math.max(CATCH_UP_FLOOR_MS, before[Math.min(before.length - 1, Math.ceil(before.length * 0.99) - 1)]!);
}

/** `origin`: the workload's start (monotonic ms), the records' clock. */
export function faultRecordResults(records: readonly FaultRecord[], spans: readonly WriteSpan[], origin: number, lag: readonly LagPoint[] = []): FaultRecordResult[] {
  const starts = records.flatMap((record) => (record.state === 'not-injected' ? [] : [record.startMs]));
  const normal = normalLagMs(starts.length === 0 ? 0 : Math.min(...starts), lag);
  return records.map((record) => {
    const base = { kind: record.kind, target: record.target, description: record.description };
    if (record.state === 'not-injected') return { ...base, state: record.state, startMs: null, endMs: null, errors: [], reason: record.reason };
    const writes = { ok: 0, failed: 0, unknown: 0 };
    const from = origin + record.startMs;
    const to = origin + record.endMs;
    for (const span of spans) {
      if (span.invokedAt > to || span.completedAt < from) continue;
      if (span.outcome === 'ok') writes.ok++;
      else if (span.outcome === 'fail') writes.failed++;
      else writes.unknown++;
    }
    const common = { ...base, state: record.state, startMs: record.startMs, endMs: record.endMs, errors: record.errors, writes, catchUpMs: catchUpMs(record.endMs, normal, lag) };
    return record.state === 'injected' ? { ...common, detail: record.detail, heal: record.heal } : common;
  });
}

/**
 * From the later of the last heal's end and the last acknowledged write to when the stores were
 * first found equal (0 when they already were): the time to converge once the faults had healed
 * and the writes stopped. Null when they never converged; undefined when no fault struck. `origin`,
 * `lastAck` and `equalAt` are monotonic ms; `lastHealEnd` is ms since `origin`.
 */
export function convergedAfterHealMs(lastHealEnd: number | null, origin: number, lastAck: number, equalAt: number | null): number | null | undefined {
  if (lastHealEnd === null) return undefined;
  if (equalAt === null) return null;
  return Math.max(0, Math.round(equalAt - Math.max(origin + lastHealEnd, lastAck)));
}
