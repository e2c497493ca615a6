// One strategy through one scenario, start to verdict. The run lifecycle, in order:
//   1. fork the strategy's worker (its output and client logs to the pair's log file in the run
//      folder), open its clients, and let it set up its table, index and background machinery;
//   2. write the scenario's seed rows through the strategy (not part of the history: the checker
//      is given them as the starting state), and let the strategy warm up on them (optional
//      `warmUp`: its machinery catches up, so lag is measured in steady state);
//   3. run the phase groups in order, every operation recorded in the history, while the nemesis
//      strikes the scenario's faults on their schedule (its clock is the workload's: ms since the
//      workload began, as every series); after a group with a checkpoint, wait for the faults struck
//      so far to heal, ask the strategy to quiesce and compare the stores (throughput counts only
//      the groups' own running time, not these waits);
//   4. heal and wait: every fault healed (the nemesis reports each as it went), then ask the
//      strategy to quiesce (bounded by the scenario's convergence timeout);
//   5. final reads: compare the stores until they have converged — equal, then quiet, then equal
//      again on a confirming comparison (see waitForConvergence) — or the timeout passes since the
//      last acknowledged write (time to convergence; the lag samples keep being watched meanwhile,
//      and those still unseen are then closed as censored), then check the whole history against
//      one more read of the stores — anomalies against the final index, acknowledged writes against
//      MySQL's final rows (history-checks.ts) — and read the keys the expectations name;
//   6. judge the expectations; measure one write's cost with tinybench; collect the strategy's
//      stats and configuration; tear its machinery down and stop the worker.
// Every check runs under `settle`: one that crashes is reported `unknown`, never a silent pass.
// A scenario with faults first sets up their machinery (pair-faults.ts: proxies, the worker's own
// MySQL user, service control); a fault this provider cannot inject skips the pair before anything
// starts, with the reason.
// With `leaseDir`, a lease naming what the pair creates is written before `setup` (the first step
// that creates anything) and removed once the machinery is torn down and the table and index
// dropped (lease.ts); a pair that crashed before step 6 is torn down in a fresh worker, and if that
// fails too the lease stays for the next bench's cleanup.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { MultiBar } from 'cli-progress';
import type mysql from 'mysql2/promise';
import type { AnomalyReport } from '../checker/anomalies.ts';
import type { LostWriteReport } from '../checker/lost-writes.ts';
import type { ConvergenceReport } from '../checker/convergence.ts';
import { PercentileRecorder } from '../checker/percentiles.ts';
import { judge, settle, type Outcome } from '../checker/verdict.ts';
import type { Endpoints } from '../env/endpoints.ts';
import { XaBranches } from '../entity/xa-branch.ts';
import { monotonicMs } from '../history/entry.ts';
import { HistoryWriter } from '../history/writer.ts';
import type { AnomaliesResult, ConvergenceResult, JsonValue, LostWritesResult, PerOpCost, ScenarioResult, Series } from '../results/schema.ts';
import { phaseGroups } from '../scenario/schedule.ts';
import type { Scenario } from '../scenario/schema.ts';
import { createMysqlPool } from '../stores/mysql.ts';
import { connectSearch } from '../stores/search/connect-search.ts';
import type { SearchPort } from '../stores/search/search-port.ts';
import { StrategyWorker } from '../worker/strategy-worker.ts';
import { Workload } from '../workload/generator.ts';
import type { QuiesceResult, StrategyContext } from '../../strategies/contract.ts';
import { compareSnapshot, finalStates, waitForConvergence, type ConvergenceProbe, type ConvergenceWait, type SnapshotSources } from './final-read.ts';
import { historyFileName } from './history-file.ts';
import { checkHistory } from './history-checks.ts';
import { removeLease, writeLease } from './lease.ts';
import { dropPairData, tearDownInFreshWorker } from './pair-cleanup.ts';
import { expectationFor } from './pair-expectation.ts';
import { LagSampler } from './lag-sampler.ts';
import type { OpCounts } from './op-executor.ts';
import { runPhaseGroup } from './phase-group-runner.ts';
import { workloadThroughput, type GroupRun } from './throughput.ts';
import { measurePerOpCost } from './per-op-cost.ts';
import { Timeline } from './timeline.ts';
import { DEFAULT_ENV_DIR } from '../env/state.ts';
import { lastHealEndMs } from '../checker/fault-lines.ts';
import { Nemesis } from '../nemesis/nemesis.ts';
import type { FaultRecordResult } from '../results/schema.ts';
import { skippedResult } from './crashed-result.ts';
import { convergedAfterHealMs, faultRecordResults } from './fault-records.ts';
import type { WriteSpan } from './op-executor.ts';
import { preparePairFaults, type PairFaults } from './pair-faults.ts';
import { workerLogName } from './worker-log.ts';

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
  /** Called as the workload starts (after setup, seeding and warm-up). */
  onWorkloadStart?: () => void;
  /** Called once the workload has run, before the final reads (tests use it to tamper with the index). */
  afterWorkload?: (names: { table: string; index: string }) => Promise<void>;
  /** Keep the pair's table and index after the run for inspection (default: dropped). */
  keepData?: boolean;
  /** Where to keep the pair's lease while it holds anything in the env (`<envDir>/leases`); none when absent. */
  leaseDir?: string;
  /** The env folder (its env.json names the provider whose services the faults act on); default .converge/env. */
  envDir?: string;
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

function convergenceResult(outcome: Outcome<ConvergenceWait>, afterHealMs: number | null | undefined): ConvergenceResult {
  if (outcome.state === 'crashed') return { state: 'unknown', error: outcome.error };
  const { report, timeMs, converged, quiet } = outcome.value;
  const afterHeal = afterHealMs !== undefined ? { afterHealMs } : {};
  return { state: 'checked', converged, timeMs, quiet, ...afterHeal, missing: report.missing, extra: report.extra, mismatched: report.mismatched, sampleIds: report.sampleIds };
}

export function anomaliesResult(outcome: Outcome<AnomalyReport>): AnomaliesResult {
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
    ...(a.phantoms === null ? {} : { phantoms: JSON.parse(JSON.stringify(a.phantoms)) as NonNullable<Extract<AnomaliesResult, { state: 'checked' }>['phantoms']> }),
  };
}

export function lostWritesResult(outcome: Outcome<LostWriteReport>): LostWritesResult {
  if (outcome.state === 'crashed') return { state: 'unknown', error: outcome.error };
  const { acknowledged, judgedKeys, unjudgedKeys, lost, samples } = outcome.value;
  return { state: 'checked', acknowledged, judgedKeys, unjudgedKeys, lost, samples: samples.map((s) => ({ id: s.id, acked: { ...s.acked }, final: s.final })) };
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
  const tag = randomBytes(3).toString('hex');
  const names = physicalNames(scenario, strategy, tag);
  const workload = new Workload(scenario, input.seed);
  const concurrency = Math.max(...scenario.phases.map((phase) => phase.concurrency)) * scenario.phases.length;
  const context: StrategyContext = {
    endpoints: input.endpoints,
    runId: input.runId,
    entity: scenario.entity,
    table: names.table,
    index: names.index,
    concurrency,
    options: scenario.strategies?.[strategy] ?? {},
    logFile: path.join(input.runDir, workerLogName(strategy, scenario.name)),
  };
  const historyFile = historyFileName(strategy, scenario.name);
  const worker = new StrategyWorker(strategy, context);
  const { endpoints: _, ...leased } = context;
  let leaseFile: string | undefined;
  let setupBegun = false;
  let tornDown = false;
  let pool: mysql.Pool | undefined;
  let search: SearchPort | undefined;
  let lag: LagSampler | undefined;
  let pairFaults: PairFaults | undefined;
  try {
    // 1. worker, clients, setup (`open` creates nothing: the lease is taken before `setup`)
    pool = createMysqlPool(input.endpoints.mysql, { connectionLimit: 4 });
    search = await connectSearch(input.endpoints.search.url);
    if (scenario.faults.length > 0) {
      pairFaults = await preparePairFaults({
        faults: scenario.faults,
        endpoints: input.endpoints,
        envDir: input.envDir ?? DEFAULT_ENV_DIR,
        runId: input.runId,
        strategy,
        admin: pool,
        crashWorker: () => worker.restart(),
      });
      if (pairFaults.unsupported.length > 0) {
        const reason = pairFaults.unsupported.map((entry) => `faults[${entry.index}] ${entry.kind}: ${entry.reason}`).join('; ');
        log(`${strategy}/${scenario.name}: skipped: ${reason}`);
        return { result: skippedResult(strategy, scenario, input.seed, reason), extras: { names, interrupted: false } };
      }
      context.endpoints = pairFaults.workerEndpoints;
    }
    await worker.start();
    if (input.leaseDir) {
      leaseFile = writeLease(input.leaseDir, tag, { pid: process.pid, strategy, scenario: scenario.name, createdAt: new Date().toISOString(), keepData: input.keepData ?? false, context: leased });
    }
    setupBegun = true;
    await worker.call('setup');
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
    input.onWorkloadStart?.();
    const history = new HistoryWriter(path.join(input.runDir, historyFile));
    const latency = new PercentileRecorder();
    const timeline = new Timeline(runStart);
    lag = new LagSampler(search, names.index, runStart, { timeoutMs: scenario.expect.convergenceTimeoutMs });
    const counts: OpCounts = { attempted: 0, ok: 0, failed: 0, unknown: 0 };
    const lastAck = { time: runStart };
    const xa = new XaBranches(input.endpoints.mysql, names.table);
    const writeSpans: WriteSpan[] | undefined = pairFaults ? [] : undefined;
    const parts = { worker, search, index: names.index, history, latency, lag, timeline, counts, lastAck, xa, ...(writeSpans ? { writeSpans } : {}) };
    const nemesis = pairFaults
      ? new Nemesis({ faults: scenario.faults, context: pairFaults.context, origin: runStart, signal: input.signal, log: (line) => log(`${strategy}/${scenario.name}: ${line}`) })
      : undefined;
    nemesis?.start();
    const checkpoints: { after: string; result: Outcome<ConvergenceReport> }[] = [];
    const extrasCheckpoints: Series['checkpoints'] = [];
    const phases: Series['phases'] = [];
    const divergence: Series['divergence'] = [];
    const onCheck = (at: number, report: ConvergenceReport) =>
      divergence.push({ atMs: at - runStart, missing: report.missing, extra: report.extra, mismatched: report.mismatched });
    let firstProcess = 0;
    const groupRuns: GroupRun[] = [];
    let equalSince: { ack: number; at: number } | undefined;
    for (const group of phaseGroups(scenario)) {
      if (input.signal.aborted) break;
      const ran = await runPhaseGroup(group, {
        workload,
        parts,
        signal: input.signal,
        firstProcess,
        ...(input.progress ? { progress: input.progress } : {}),
        ...(nemesis ? { onProgress: (phase: string, fraction: number) => nemesis.onProgress(phase, fraction) } : {}),
      });
      firstProcess += ran.processesUsed;
      phases.push(...ran.phases);
      groupRuns.push(ran);
      if (group.checkpoint && !input.signal.aborted) {
        const after = group.phases.at(-1)!.phase.name;
        await nemesis?.healed();
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
    const interrupted = input.signal.aborted;

    // 4. every fault healed, then quiesce
    const faultRecords = nemesis ? await nemesis.finish() : [];
    const timeoutMs = interrupted ? 0 : scenario.expect.convergenceTimeoutMs;
    const quiesce = await settle(() => worker.quiesce(timeoutMs));
    if (quiesce.state === 'crashed') log(`${strategy}/${scenario.name}: quiesce failed: ${quiesce.error}`);
    await history.close();
    await input.afterWorkload?.(names);

    // 5. final reads (the lag samples are watched meanwhile, then those still unseen are closed).
    // A checkpoint after the last phase already confirmed the stores equal: time to convergence
    // counts to that, not to the final check's own first comparison (nothing was written since).
    const carried = equalSince?.ack === lastAck.time ? { equalSince: equalSince.at } : {};
    const convergence = await settle(() => waitForConvergence(probe, { since: lastAck.time, timeoutMs, now: monotonicMs, onCheck, ...carried }));
    await lag.finish();
    const { anomalies, lostWrites } = await checkHistory(path.join(input.runDir, historyFile), seedRows, sources);
    const finalValues = await settle(() => finalStates(sources, scenario.expect.finalValues.map((expected) => expected.id)));
    const lagSummary = lag.summary();
    // Each fault's catch-up is read off the lag samples, final once they are all closed.
    const faults: FaultRecordResult[] = faultRecordResults(faultRecords, writeSpans ?? [], runStart, lag.points);
    const lastHeal = lastHealEndMs(faults);
    const equalAt = convergence.state === 'done' && convergence.value.converged && convergence.value.timeMs !== null ? lastAck.time + convergence.value.timeMs : null;
    const afterHealMs = convergedAfterHealMs(lastHeal, runStart, lastAck.time, equalAt);

    // 6. verdict, per-op cost, stats, teardown
    const verdict = judge(scenario, {
      convergence: convergence.state === 'done' ? { state: 'done', value: convergence.value.report } : convergence,
      checkpoints,
      finalValues,
      anomalies,
      lostWrites,
      lag: { state: 'done', value: lagSummary },
      faults,
      ...(afterHealMs !== undefined ? { afterHealMs } : {}),
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
    const config = await worker.configuration().catch((error: unknown) => ({ configurationError: String(error) }));
    await worker.call('teardown').then(
      () => (tornDown = true),
      (error: unknown) => log(`${strategy}: teardown failed: ${String(error)}`),
    );
    const result: ScenarioResult = {
      strategy,
      scenario: scenario.name,
      params: scenario.params,
      seed: input.seed,
      ops: counts,
      throughput: workloadThroughput(groupRuns),
      latencyMs: latency.summary('no write was acknowledged'),
      lagMs: lagSummary,
      lagSampling: lag.sampling(),
      convergence: convergenceResult(convergence, afterHealMs),
      anomalies: anomaliesResult(anomalies),
      lostWrites: lostWritesResult(lostWrites),
      perOpCost,
      stats: scalarStats(stats),
      ...(config ? { config: JSON.parse(JSON.stringify(config)) as Record<string, JsonValue> } : {}),
      faults,
      expect: scenario.expect,
      verdict: interrupted ? 'fail' : verdict.verdict,
      expectation: expectationFor(scenario, strategy),
      reasons: verdict.reasons,
      lines: verdict.lines,
      history: historyFile,
      log: workerLogName(strategy, scenario.name),
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
    lag?.stop();
    await worker.stop();
    if (setupBegun && !tornDown) {
      // The pair crashed before its teardown (or the teardown failed): try once more in a fresh worker.
      await tearDownInFreshWorker(strategy, { ...context, endpoints: input.endpoints }).then(
        () => (tornDown = true),
        (error: unknown) => log(`${strategy}/${scenario.name}: teardown in a fresh worker failed: ${String(error)}`),
      );
    }
    let dropped = input.keepData ?? false;
    if (!input.keepData && setupBegun && pool && search) {
      await dropPairData(pool, search, names).then(
        () => (dropped = true),
        (error: unknown) => log(`${strategy}/${scenario.name}: dropping ${names.table} and ${names.index} failed: ${String(error)}`),
      );
    }
    for (const problem of (await pairFaults?.close()) ?? []) log(`${strategy}/${scenario.name}: ${problem}`);
    if (leaseFile && tornDown && dropped) removeLease(leaseFile);
    else if (leaseFile) log(`${strategy}/${scenario.name}: what it created is not all removed; the next npm run bench on this env removes it (${leaseFile})`);
    await pool?.end();
    await search?.close();
  }
}
