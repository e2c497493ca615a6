// One strategy through one scenario, start to verdict. The run lifecycle, in order:
//   1. fork the strategy's worker, open its clients, and let it set up its table, index and
//      background machinery;
//   2. write the scenario's seed rows through the strategy (not part of the history: the checker
//      is given them as the starting state), and let the strategy warm up on them (optional
//      `warmUp`: its machinery catches up, so lag is measured in steady state);
//   3. run the phase groups in order, every operation recorded in the history; after a group with
//      a checkpoint, ask the strategy to quiesce and compare the stores;
//   4. heal and wait: ask the strategy to quiesce (bounded by the scenario's convergence timeout)
//      and let the lag samples finish;
//   5. final reads: compare the stores until they have converged — equal, then quiet, then equal
//      again on a confirming comparison (see waitForConvergence) — or the timeout passes since the
//      last acknowledged write (time to convergence), then check anomalies over the whole history
//      and the final index, and read the keys the expectations name;
//   6. judge the expectations; measure one write's cost with tinybench; collect the strategy's
//      stats; tear its machinery down and stop the worker.
// Every check runs under `settle`: one that crashes is reported `unknown`, never a silent pass.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { MultiBar } from 'cli-progress';
import type mysql from 'mysql2/promise';
import { AnomalyChecker, type AnomalyReport } from '../checker/anomalies.ts';
import type { ConvergenceReport } from '../checker/convergence.ts';
import { PercentileRecorder } from '../checker/percentiles.ts';
import { judge, settle, type Outcome } from '../checker/verdict.ts';
import { dropTableSql } from '../entity/table-sql.ts';
import type { Endpoints } from '../env/endpoints.ts';
import { monotonicMs } from '../history/entry.ts';
import { readHistory } from '../history/reader.ts';
import { HistoryWriter } from '../history/writer.ts';
import type { AnomaliesResult, ConvergenceResult, PerOpCost, ScenarioResult, Series } from '../results/schema.ts';
import { phaseGroups } from '../scenario/schedule.ts';
import type { Scenario } from '../scenario/schema.ts';
import { createMysqlPool } from '../stores/mysql.ts';
import { connectSearch } from '../stores/search/connect-search.ts';
import type { SearchPort } from '../stores/search/search-port.ts';
import { StrategyWorker } from '../worker/strategy-worker.ts';
import { Workload } from '../workload/generator.ts';
import type { QuiesceResult, StrategyContext } from '../../strategies/contract.ts';
import { compareSnapshot, finalStates, waitForConvergence, type ConvergenceProbe, type ConvergenceWait, type SnapshotSources } from './final-read.ts';
import { LagSampler } from './lag-sampler.ts';
import type { OpCounts } from './op-executor.ts';
import { runPhaseGroup } from './phase-group-runner.ts';
import { measurePerOpCost } from './per-op-cost.ts';
import { Timeline } from './timeline.ts';

export interface StrategyRunInput {
  strategy: string;
  scenario: Scenario;
  seed: number;
  endpoints: Endpoints;
  runId: string;
  runDir: string;
  signal: AbortSignal;
  progress?: MultiBar;
  log: (line: string) => void;
  /** Skip the tinybench measurement (tests). */
  skipPerOpCost?: boolean;
  /** Called once the workload has run, before the final reads (tests use it to tamper with the index). */
  afterWorkload?: (names: { table: string; index: string }) => Promise<void>;
  /** Keep the pair's table and index after the run for inspection (default: dropped). */
  keepData?: boolean;
}

/** What the caller needs beyond the result. */
export interface RunExtras {
  names: { table: string; index: string };
  interrupted: boolean;
}

/** At most `limit` points, evenly thinned, keeping the first and the last. */
export function thin<T>(points: T[], limit: number): T[] {
  if (points.length <= limit) return points;
  const step = (points.length - 1) / (limit - 1);
  return Array.from({ length: limit }, (_, i) => points[Math.round(i * step)]!);
}

/** Table and index of one pair in one run; the tag keeps concurrent runs on one env apart. */
export function physicalNames(scenario: Scenario, strategy: string, tag: string): { table: string; index: string } {
  const table = `${scenario.entity.table.slice(0, 64 - strategy.length - tag.length - 2)}_${strategy}_${tag}`;
  return { table, index: `converge-${scenario.name}-${strategy}-${tag}`.toLowerCase() };
}

function convergenceResult(outcome: Outcome<ConvergenceWait>): ConvergenceResult {
  if (outcome.state === 'crashed') return { state: 'unknown', error: outcome.error };
  const { report, timeMs, converged, quiet } = outcome.value;
  return { state: 'checked', converged, timeMs, quiet, missing: report.missing, extra: report.extra, mismatched: report.mismatched, sampleIds: report.sampleIds };
}

function anomaliesResult(outcome: Outcome<AnomalyReport>): AnomaliesResult {
  if (outcome.state === 'crashed') return { state: 'unknown', error: outcome.error };
  const a = outcome.value;
  return {
    state: 'checked',
    reads: a.reads,
    judged: { ...a.judged },
    finalKeysJudged: a.finalKeysJudged,
    failedReads: a.failedReads,
    unjudgedReads: a.unjudgedReads,
    dirtyReads: a.dirtyReads,
    versionRegressions: a.versionRegressions,
    resurrections: a.resurrections,
    staleReads: a.staleReads,
    staleness: a.staleness,
    unverifiableReads: a.unverifiableReads,
    unjudgedKeys: a.unjudgedKeys,
  };
}

function scalarStats(stats: Record<string, unknown>): Record<string, number | string | boolean> {
  const out: Record<string, number | string | boolean> = {};
  for (const [key, value] of Object.entries(stats)) {
    if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') out[key] = value;
    else if (value !== undefined && value !== null) out[key] = JSON.stringify(value);
  }
  return out;
}

export async function runStrategy(input: StrategyRunInput): Promise<{ result: ScenarioResult; extras: RunExtras }> {
  const { scenario, strategy, log } = input;
  const names = physicalNames(scenario, strategy, randomBytes(3).toString('hex'));
  const workload = new Workload(scenario, input.seed);
  const concurrency = Math.max(...scenario.phases.map((phase) => phase.concurrency)) * scenario.phases.length;
  const context: StrategyContext = {
    endpoints: input.endpoints,
    runId: input.runId,
    entity: scenario.entity,
    table: names.table,
    index: names.index,
    concurrency,
    options: scenario.strategies?.[strategy as keyof NonNullable<Scenario['strategies']>] ?? {},
  };
  const historyFile = `history-${strategy}-${scenario.name}.jsonl`;
  const worker = new StrategyWorker(strategy, context);
  let pool: mysql.Pool | undefined;
  let search: SearchPort | undefined;
  try {
    // 1. worker, clients, setup
    await worker.start();
    await worker.call('setup');
    pool = createMysqlPool(input.endpoints.mysql, { connectionLimit: 4 });
    search = await connectSearch(input.endpoints.search.url);
    const sources: SnapshotSources = { pool, search, entity: scenario.entity, table: names.table, index: names.index };
    const probe: ConvergenceProbe = { compare: () => compareSnapshot(sources), quiesce: (ms) => worker.quiesce(ms) };

    // 2. seed rows through the strategy
    const seedRows = workload.seedRows();
    for (let i = 0; i < seedRows.length; i += 16) {
      await Promise.all(
        seedRows.slice(i, i + 16).map(({ id, ...values }) => worker.write({ index: 0, phase: 'seed', kind: 'insert', id, values })),
      );
    }
    const warm = await settle(() => worker.call('warmUp', scenario.expect.convergenceTimeoutMs) as Promise<QuiesceResult | undefined>);
    const warmDetail = warm.state === 'crashed' ? `warm-up failed: ${warm.error}` : warm.value ? `warm-up ${warm.value.quiet ? 'done' : 'skipped or unfinished'} in ${warm.value.waitedMs} ms` : 'nothing to warm up';
    log(`${strategy}/${scenario.name}: seeded ${seedRows.length} rows; ${warmDetail}`);

    // 3. the workload
    const runStart = monotonicMs();
    const history = new HistoryWriter(path.join(input.runDir, historyFile));
    const latency = new PercentileRecorder();
    const timeline = new Timeline(runStart);
    const lag = new LagSampler(search, names.index, runStart, { timeoutMs: scenario.expect.convergenceTimeoutMs });
    const counts: OpCounts = { attempted: 0, ok: 0, failed: 0, unknown: 0 };
    const lastAck = { time: runStart };
    const parts = { worker, search, index: names.index, history, latency, lag, timeline, counts, lastAck };
    const checkpoints: { after: string; result: Outcome<ConvergenceReport> }[] = [];
    const extrasCheckpoints: Series['checkpoints'] = [];
    const phases: Series['phases'] = [];
    const divergence: Series['divergence'] = [];
    const onCheck = (at: number, report: ConvergenceReport) =>
      divergence.push({ atMs: at - runStart, missing: report.missing, extra: report.extra, mismatched: report.mismatched });
    let firstProcess = 0;
    let equalSince: { ack: number; at: number } | undefined;
    const workloadStart = monotonicMs();
    for (const group of phaseGroups(scenario)) {
      if (input.signal.aborted) break;
      const ran = await runPhaseGroup(group, { workload, parts, signal: input.signal, firstProcess, ...(input.progress ? { progress: input.progress } : {}) });
      firstProcess += ran.processesUsed;
      phases.push(...ran.phases);
      if (group.checkpoint && !input.signal.aborted) {
        const after = group.phases.at(-1)!.phase.name;
        const outcome = await settle(async () => {
          await worker.quiesce(scenario.expect.convergenceTimeoutMs);
          const wait = await waitForConvergence(probe, { since: lastAck.time, timeoutMs: scenario.expect.convergenceTimeoutMs, now: monotonicMs, onCheck });
          equalSince = wait.converged && wait.timeMs !== null ? { ack: lastAck.time, at: lastAck.time + wait.timeMs } : undefined;
          return wait.report;
        });
        checkpoints.push({ after, result: outcome });
        extrasCheckpoints.push(
          outcome.state === 'done'
            ? { after, converged: outcome.value.converged, missing: outcome.value.missing, extra: outcome.value.extra, mismatched: outcome.value.mismatched }
            : { after, converged: null, missing: 0, extra: 0, mismatched: 0 },
        );
        log(`${strategy}/${scenario.name}: checkpoint after ${after}: ${outcome.state === 'done' ? (outcome.value.converged ? 'converged' : 'diverged') : `unknown (${outcome.error})`}`);
      }
    }
    const workloadMs = monotonicMs() - workloadStart;
    const interrupted = input.signal.aborted;

    // 4. quiesce and let the lag samples finish
    const timeoutMs = interrupted ? 0 : scenario.expect.convergenceTimeoutMs;
    const quiesce = await settle(() => worker.quiesce(timeoutMs));
    if (quiesce.state === 'crashed') log(`${strategy}/${scenario.name}: quiesce failed: ${quiesce.error}`);
    await history.close();
    await input.afterWorkload?.(names);

    // 5. final reads (the lag samples still polling finish meanwhile)
    // A checkpoint after the last phase already confirmed the stores equal: time to convergence
    // counts to that, not to the final check's own first comparison (nothing was written since).
    const carried = equalSince?.ack === lastAck.time ? { equalSince: equalSince.at } : {};
    const [convergence] = await Promise.all([settle(() => waitForConvergence(probe, { since: lastAck.time, timeoutMs, now: monotonicMs, onCheck, ...carried })), lag.drain()]);
    const anomalies = await settle(async () => {
      const checker = new AnomalyChecker(scenario.entity, seedRows);
      await checker.consume(readHistory(path.join(input.runDir, historyFile)));
      await compareSnapshot(sources, (doc) => checker.observeFinal(doc));
      checker.endFinal();
      return checker.report();
    });
    const finalValues = await settle(() => finalStates(sources, scenario.expect.finalValues.map((expected) => expected.id)));
    const lagSummary = lag.recorder.summary(lag.unresolved > 0 ? `${lag.unresolved} samples never showed up` : 'no acknowledged write was sampled');

    // 6. verdict, per-op cost, stats, teardown
    const verdict = judge(scenario, {
      convergence: convergence.state === 'done' ? { state: 'done', value: convergence.value.report } : convergence,
      checkpoints,
      finalValues,
      anomalies,
      lag: { state: 'done', value: lagSummary },
    });
    if (interrupted) {
      // A partial workload proves nothing either way: say so first, and never let it pass.
      const line = { check: 'run', outcome: 'unknown' as const, reason: 'interrupted (Ctrl-C) before the workload finished: every figure is partial' };
      verdict.lines.unshift(line);
      verdict.reasons.unshift(`${line.outcome}: ${line.check}: ${line.reason}`);
    }
    const perOpCost: PerOpCost =
      input.skipPerOpCost || interrupted
        ? { state: 'skipped', reason: interrupted ? 'run interrupted' : 'not requested' }
        : await measurePerOpCost(worker, scenario.entity).catch((error: unknown) => ({ state: 'unknown' as const, error: String(error) }));
    const stats: Record<string, unknown> = await worker.stats().catch((error: unknown) => ({ statsError: String(error) }));
    await worker.call('teardown').catch((error: unknown) => log(`${strategy}: teardown failed: ${String(error)}`));
    if (lag.skipped > 0) stats.lagSamplesSkipped = lag.skipped;
    if (lag.unresolved > 0) stats.lagSamplesUnresolved = lag.unresolved;
    if (lag.superseded > 0) stats.lagSamplesSuperseded = lag.superseded;
    const result: ScenarioResult = {
      strategy,
      scenario: scenario.name,
      params: scenario.params,
      seed: input.seed,
      ops: counts,
      throughput: { opsPerSec: workloadMs > 0 ? (counts.attempted * 1000) / workloadMs : 0 },
      latencyMs: latency.summary('no write was acknowledged'),
      lagMs: lagSummary,
      convergence: convergenceResult(convergence),
      anomalies: anomaliesResult(anomalies),
      perOpCost,
      stats: scalarStats(stats),
      faults: [],
      expect: scenario.expect,
      verdict: interrupted ? 'fail' : verdict.verdict,
      reasons: verdict.reasons,
      lines: verdict.lines,
      history: historyFile,
      series: {
        timeline: timeline.series(),
        lag: thin(lag.points, 3000),
        divergence: thin(divergence, 2000),
        phases,
        checkpoints: extrasCheckpoints,
      },
    };
    return { result, extras: { names, interrupted } };
  } finally {
    await worker.stop();
    if (!input.keepData) {
      await pool?.query(dropTableSql(names.table)).catch(() => {});
      await search?.deleteIndex(names.index).catch(() => {});
    }
    await pool?.end();
    await search?.close();
  }
}
