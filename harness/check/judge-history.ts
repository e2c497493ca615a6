// converge: re-judging one pair from its history alone, without the services — what a killed run
// can still prove. One streamed pass counts the operations (an invocation never completed is
// `unfinished`: its outcome is unknown), measures write latency (invoke → `ok`), and feeds the
// anomaly checker (seed rows from the scenario and the run's seed); the anomaly verdict lines are
// the bench's own. A last line cut short by a killed writer is skipped and reported. Convergence,
// final values, lag and acknowledged writes (lost-writes.ts judges them against MySQL's final rows,
// which a run folder does not keep) need the stores: their lines are `unknown`, saying so. The
// final index snapshot is not available either, so resurrections are judged over the reads only.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { AnomalyChecker, type AnomalyReport } from '../checker/anomalies.ts';
import { PercentileRecorder } from '../checker/percentiles.ts';
import { anomalyLines, type Outcome } from '../checker/verdict.ts';
import type { HistoryEntry } from '../history/entry.ts';
import { readHistory, type TruncatedTail } from '../history/reader.ts';
import type { VerdictLine } from '../results/schema.ts';
import { anomaliesResult } from '../run/run-strategy.ts';
import { expectationFor } from '../run/pair-expectation.ts';
import { phaseGroups } from '../scenario/schedule.ts';
import type { Scenario } from '../scenario/schema.ts';
import { Workload } from '../workload/generator.ts';
import type { PairCheck } from './check-file.ts';

export const NEEDS_THE_STORES = 'needs the stores: not judged from the history alone';

export interface PairToCheck {
  runDir: string;
  scenario: Scenario;
  strategy: string;
  seed: number;
  /** Relative to runDir. */
  history: string;
}

/** The lines only the stores can judge, as `unknown`. */
function storeLines(scenario: Scenario): VerdictLine[] {
  const unknown = (check: string): VerdictLine => ({ check, outcome: 'unknown', reason: NEEDS_THE_STORES });
  const checkpoints = phaseGroups(scenario).filter((group) => group.checkpoint).map((group) => unknown(`converged after ${group.phases.at(-1)!.phase.name}`));
  const finalValues = scenario.expect.finalValues.map((_, i) => unknown(`finalValues[${i}]`));
  const lag = (['p50', 'p95', 'p99', 'max'] as const).filter((p) => scenario.expect.maxLagMs?.[p] !== undefined).map((p) => unknown(`maxLagMs.${p}`));
  return [...checkpoints, unknown('converged'), ...finalValues, unknown('acknowledgedWrites'), ...lag];
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

export async function judgeHistory(pair: PairToCheck): Promise<PairCheck> {
  const { scenario, strategy } = pair;
  const file = path.join(pair.runDir, pair.history);
  const ops = { attempted: 0, ok: 0, failed: 0, unknown: 0, unfinished: 0 };
  const latency = new PercentileRecorder();
  const expectation = expectationFor(scenario, strategy);
  const base = { strategy, scenario: scenario.name, seed: pair.seed, history: pair.history, expectation };
  if (!existsSync(file)) {
    const reason = 'the pair never started: no history';
    return {
      ...base,
      state: 'no-history',
      truncatedTail: null,
      ops,
      latencyMs: latency.summary(reason),
      anomalies: { state: 'unknown', error: reason },
      lines: [{ check: 'run', outcome: 'unknown', reason }],
      failedLines: 0,
      asExpected: true,
    };
  }
  const checker = new AnomalyChecker(scenario.entity, new Workload(scenario, pair.seed).seedRows());
  let checkerError: string | null = null;
  let readError: string | null = null;
  let truncatedTail: TruncatedTail | null = null;
  const invoked = new Map<number, HistoryEntry>();
  try {
    for await (const entry of readHistory(file, { onTruncatedTail: (tail) => (truncatedTail = tail) })) {
      if (entry.type === 'invoke') {
        ops.attempted++;
        invoked.set(entry.process, entry);
      } else {
        ops[entry.type === 'fail' ? 'failed' : entry.type]++;
        const invoke = invoked.get(entry.process);
        invoked.delete(entry.process);
        if (entry.type === 'ok' && entry.op.kind !== 'read' && invoke !== undefined) latency.record(entry.time - invoke.time);
      }
      if (checkerError === null) {
        try {
          checker.add(entry);
        } catch (error) {
          checkerError = errorText(error);
        }
      }
    }
  } catch (error) {
    readError = errorText(error);
  }
  ops.unfinished = invoked.size;
  let anomalies: Outcome<AnomalyReport>;
  if (readError !== null) anomalies = { state: 'crashed', error: `the history could not be read: ${readError}` };
  else if (checkerError !== null) anomalies = { state: 'crashed', error: checkerError };
  else {
    try {
      anomalies = { state: 'done', value: checker.report() };
    } catch (error) {
      anomalies = { state: 'crashed', error: errorText(error) };
    }
  }
  const lines = [...storeLines(scenario), ...anomalyLines(scenario, anomalies)];
  const failedLines = lines.filter((line) => line.outcome === 'fail').length;
  return {
    ...base,
    state: readError === null ? 'judged' : 'unreadable',
    ...(readError === null ? {} : { error: readError }),
    truncatedTail,
    ops,
    latencyMs: latency.summary('no write was acknowledged'),
    anomalies: anomaliesResult(anomalies),
    lines,
    failedLines,
    asExpected: failedLines === 0 || expectation.verdict === 'may-fail',
  };
}
