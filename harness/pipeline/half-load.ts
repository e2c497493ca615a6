// Lag at half load (issue 12, P3), through the harness's ordinary run (worker process, history,
// the harness's own lag sampler, the checker), so these runs are pairs in results.json like any:
//   1. the probe (scenarios/pipeline/sustainable-probe.yaml) writes as fast as its writers go; the
//      pipeline's sustainable rate is the writes acknowledged over the workload's time plus the
//      time until the index held them all (what gets through end to end);
//   2. at half that rate, scenarios/pipeline/half-load.yaml with the seed's connector pair as
//      written, then half-load-tuned.yaml with the tuned pair, each `halfLoadSeconds` long; their
//      lag p50 and p99 are judged against 1 s and the index refresh interval + 0.75 s.
// The CPU is watched from the workload's start until the strategy has quiesced after it.
import path from 'node:path';
import { INDEX_SETTINGS } from '../entity/index-mapping.ts';
import { REPO_ROOT } from '../env/state.ts';
import type { ScenarioResult } from '../results/schema.ts';
import type { PipelineMeasurement, PipelineTarget, Usage } from '../results/pipeline-schema.ts';
import { leaseDir } from '../run/lease.ts';
import { runStrategy } from '../run/run-strategy.ts';
import { loadScenario } from '../scenario/load.ts';
import type { UsageSampler } from '../env/service-usage.ts';
import type { PipelineContext } from './context.ts';
import { measureTarget } from './measurement.ts';

export const PIPELINE_SCENARIO_DIR = path.join(REPO_ROOT, 'scenarios', 'pipeline');
export const PROBE_FILE = path.join(PIPELINE_SCENARIO_DIR, 'sustainable-probe.yaml');
const HALF_LOAD_FILES: Record<'lag-half-load' | 'lag-half-load-tuned', string> = {
  'lag-half-load': path.join(PIPELINE_SCENARIO_DIR, 'half-load.yaml'),
  'lag-half-load-tuned': path.join(PIPELINE_SCENARIO_DIR, 'half-load-tuned.yaml'),
};
export const LAG_P50_GOAL_MS = 1000;
export const LAG_P99_MARGIN_MS = 750;

/** An index refresh interval (`1s`, `500ms`) in ms. */
export function refreshIntervalMs(value: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(value);
  if (!match) throw new Error(`refresh_interval ${JSON.stringify(value)}: not a time value`);
  return Number(match[1]) * { ms: 1, s: 1000, m: 60_000 }[match[2] as 'ms' | 's' | 'm'];
}

export interface HalfLoadRuns {
  measurements: PipelineMeasurement[];
  /** The pairs as the harness judged them (probe and both half-load runs). */
  results: ScenarioResult[];
  /** Each pair's scenario file and the params it ran with, for the run manifest. */
  scenarios: { file: string; name: string; overrides: Record<string, string> }[];
}

/** One scenario run through cdc, the CPU watched over its workload. */
async function runPair(ctx: PipelineContext, file: string, overrides: Record<string, string>, suffix: string): Promise<{ result: ScenarioResult; usage: Usage; name: string }> {
  const loaded = await loadScenario(file, overrides);
  const scenario = { ...loaded, name: `${loaded.name}${suffix}` };
  let sampler: UsageSampler | undefined;
  let usage: Usage = { state: 'unavailable', reason: 'the workload never started' };
  const { result } = await runStrategy({
    strategy: 'cdc',
    scenario,
    seed: 1,
    endpoints: ctx.endpoints,
    runId: ctx.runId,
    runDir: ctx.runDir,
    signal: ctx.signal,
    log: ctx.log,
    skipPerOpCost: true,
    leaseDir: leaseDir(ctx.envDir),
    envDir: ctx.envDir,
    onWorkloadStart: () => (sampler = ctx.watchUsage()),
    afterWorkload: () => {
      if (sampler) usage = sampler.stop();
      return Promise.resolve();
    },
  });
  return { result, usage, name: scenario.name };
}

function convergedOf(result: ScenarioResult): boolean | null {
  return result.convergence.state === 'checked' ? result.convergence.converged : null;
}

export async function halfLoadLag(ctx: PipelineContext, suffix: string, chosen: ReadonlySet<PipelineTarget>): Promise<HalfLoadRuns> {
  const { loadConcurrency: concurrency, probeOps, halfLoadSeconds } = ctx.params;
  const out: HalfLoadRuns = { measurements: [], results: [], scenarios: [] };
  const probeOverrides = { ops: String(probeOps), concurrency: String(concurrency) };
  const probe = await runPair(ctx, PROBE_FILE, probeOverrides, suffix);
  out.results.push(probe.result);
  out.scenarios.push({ file: PROBE_FILE, name: probe.name, overrides: probeOverrides });
  const { convergence, throughput, ops } = probe.result;
  const runningMs = throughput.runningMs ?? (throughput.opsPerSec > 0 ? (ops.attempted * 1000) / throughput.opsPerSec : 0);
  const convergeMs = convergence.state === 'checked' && convergence.converged ? (convergence.timeMs ?? 0) : null;
  const sustainable = convergeMs === null || runningMs <= 0 ? null : (ops.ok * 1000) / (runningMs + convergeMs);
  ctx.log(`pipeline: sustainable rate ${sustainable === null ? 'unknown (the probe did not converge)' : `${sustainable.toFixed(0)} writes/s`} (${ops.ok} acknowledged in ${(runningMs / 1000).toFixed(1)} s, converged ${convergeMs === null ? 'never' : `${(convergeMs / 1000).toFixed(1)} s`} after)`);
  const refreshMs = refreshIntervalMs(INDEX_SETTINGS.refresh_interval);
  for (const target of ['lag-half-load', 'lag-half-load-tuned'] as const satisfies readonly PipelineTarget[]) {
    if (!chosen.has(target)) continue;
    const tuned = target === 'lag-half-load-tuned';
    const title = tuned ? 'Lag at half load, tuned connector pair' : "Lag at half load, the seed's connector pair as written";
    out.measurements.push(
      await measureTarget(target, title, async () => {
        if (sustainable === null) throw new Error('no sustainable rate: the probe did not converge');
        const rate = Math.max(1, Math.round(sustainable / 2));
        const overrides = { rate: String(rate), ops: String(rate * halfLoadSeconds), concurrency: String(concurrency) };
        const pair = await runPair(ctx, HALF_LOAD_FILES[target], overrides, suffix);
        out.results.push(pair.result);
        out.scenarios.push({ file: HALF_LOAD_FILES[target], name: pair.name, overrides });
        const lag = pair.result.lagMs;
        if (lag.state !== 'measured') throw new Error(`no lag was measured: ${lag.reason}`);
        return {
          figures: {
            lagP50: { value: lag.p50, unit: 'ms' },
            lagP99: { value: lag.p99, unit: 'ms' },
            lagMax: { value: lag.max, unit: 'ms' },
            rate: { value: rate, unit: 'ops/s' },
            achievedRate: { value: pair.result.throughput.opsPerSec, unit: 'ops/s' },
            sustainableRate: { value: sustainable, unit: 'ops/s' },
            refreshMs: { value: refreshMs, unit: 'ms' },
          },
          goals: [
            { text: `lag p50 ≤ ${LAG_P50_GOAL_MS / 1000} s`, figure: 'lagP50', op: '<=', threshold: LAG_P50_GOAL_MS },
            { text: `lag p99 ≤ refresh interval + ${LAG_P99_MARGIN_MS / 1000} s (${(refreshMs + LAG_P99_MARGIN_MS) / 1000} s)`, figure: 'lagP99', op: '<=', threshold: refreshMs + LAG_P99_MARGIN_MS },
          ],
          config: {
            scenario: pair.name,
            connectorPair: tuned ? 'tuned: strategies/cdc/connectors/tuned-source.json + tuned-sink.json' : 'the seed pair as written (strategies/cdc/connectors/seed-*.json)',
            concurrency,
            seconds: halfLoadSeconds,
            lagSamples: lag.samples,
            lagCensored: lag.censored ?? 0,
            verdict: pair.result.verdict,
          },
          converged: convergedOf(pair.result),
          usage: pair.usage,
        };
      }),
    );
  }
  return out;
}
