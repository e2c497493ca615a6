// Runs one operation and records it: an `invoke` entry, then its completion — `ok` with the row
// (writes, through the strategy's worker) or what the index showed (reads, done by the harness
// itself); `fail` when the error is definite; `unknown` otherwise (a timeout, a crashed worker).
// An xaRollback is run by the harness too (an XA branch on its own MySQL connection, rolled back
// after its PREPARE): always `fail`, its `value` the row the branch held (null if it wrote none),
// which is what a phantom in the index would show. It has no latency or lag sample: it is not the
// strategy's write.
import { ConvergeError } from '../errors.ts';
import { XaBranchError, type XaBranchRunner } from '../entity/xa-branch.ts';
import { monotonicMs, type ReadValue } from '../history/entry.ts';
import type { HistoryWriter } from '../history/writer.ts';
import type { PercentileRecorder } from '../checker/percentiles.ts';
import type { SearchPort } from '../stores/search/search-port.ts';
import type { StrategyWorker } from '../worker/strategy-worker.ts';
import type { Op } from '../workload/op.ts';
import type { RowValue } from '../../strategies/contract.ts';
import type { LagSampler } from './lag-sampler.ts';
import type { Timeline } from './timeline.ts';

export interface OpCounts {
  attempted: number;
  ok: number;
  failed: number;
  unknown: number;
}

export interface ExecutorParts {
  worker: StrategyWorker;
  search: SearchPort;
  index: string;
  history: HistoryWriter;
  latency: PercentileRecorder;
  lag: LagSampler;
  timeline: Timeline;
  counts: OpCounts;
  /** Time of the last acknowledged write (monotonic ms), for time-to-convergence. */
  lastAck: { time: number };
  /** Runs xaRollback ops' XA branches on the pair's table. */
  xa: XaBranchRunner;
  /** When present, every write's span and outcome is appended (the run counts them per fault window). */
  writeSpans?: WriteSpan[];
}

/** One write as the client saw it: invoked and completed (monotonic ms), and how it ended. */
export interface WriteSpan {
  invokedAt: number;
  completedAt: number;
  outcome: 'ok' | 'fail' | 'unknown';
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

async function readIndex(search: SearchPort, index: string, id: number): Promise<ReadValue> {
  const doc = await search.get(index, String(id));
  return doc ? { found: true, doc: doc.source, version: Number(doc.source.version ?? doc.version) } : { found: false, doc: null, version: null };
}

async function executeXaRollback(parts: ExecutorParts, process: number, op: Op): Promise<void> {
  const { history, counts } = parts;
  await history.append({ process, type: 'invoke', op, time: monotonicMs() });
  let row: RowValue | null;
  let error: string;
  try {
    const branch = await parts.xa.run(op);
    row = branch.row;
    error = `rolled back after XA PREPARE (held ${branch.preparedMs.toFixed(0)} ms): the harness never commits it`;
  } catch (failure) {
    row = failure instanceof XaBranchError ? failure.row : null;
    error = errorText(failure);
  }
  const done = monotonicMs();
  counts.failed++;
  parts.timeline.record(done, 'fail');
  await history.append({ process, type: 'fail', op, value: row, time: done, error });
}

export async function executeOp(parts: ExecutorParts, process: number, op: Op): Promise<void> {
  const { history, counts } = parts;
  counts.attempted++;
  if (op.kind === 'xaRollback') return executeXaRollback(parts, process, op);
  // The lag sampler's look before a write (a sampled delete reads its document) is not the write's latency.
  const lagTicket = op.kind === 'read' ? undefined : await parts.lag.beforeWrite(op);
  const invokedAt = monotonicMs();
  await history.append({ process, type: 'invoke', op, time: invokedAt });
  if (op.kind === 'read') {
    try {
      const value = await readIndex(parts.search, parts.index, op.id);
      counts.ok++;
      await history.append({ process, type: 'ok', op, value, version: value.version, time: monotonicMs(), store: 'index' });
    } catch (error) {
      // A read changes nothing: a failed one is a definite `fail`.
      counts.failed++;
      await history.append({ process, type: 'fail', op, time: monotonicMs(), store: 'index', error: errorText(error) });
    }
    return;
  }
  try {
    const outcome = await parts.worker.write(op);
    const done = monotonicMs();
    counts.ok++;
    parts.latency.record(done - invokedAt);
    parts.timeline.record(done, 'ok', done - invokedAt);
    parts.lastAck.time = done;
    parts.writeSpans?.push({ invokedAt, completedAt: done, outcome: 'ok' });
    await history.append({ process, type: 'ok', op, value: outcome.value, version: outcome.version, time: done });
    if (lagTicket) parts.lag.acknowledged(lagTicket, outcome.version, done);
  } catch (error) {
    const done = monotonicMs();
    if (lagTicket) parts.lag.abandoned(lagTicket);
    const definite = error instanceof ConvergeError ? error.definite : false;
    if (definite) counts.failed++;
    else counts.unknown++;
    parts.timeline.record(done, definite ? 'fail' : 'unknown');
    parts.writeSpans?.push({ invokedAt, completedAt: done, outcome: definite ? 'fail' : 'unknown' });
    await history.append({ process, type: definite ? 'fail' : 'unknown', op, time: done, error: errorText(error) });
  }
}
