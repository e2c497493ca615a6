// `npm run bench -- --suite pipeline`: the cdc pipeline's throughput and lag targets, each beside
// the raw rate it is read against, measured in the same repetition, with every service's CPU and
// RSS over the measurement. Per repetition, in order: sink catch-up (which also measures the raw
// bulk-index rate), snapshot catch-up, the write path against raw mysql2 commits, then the
// sustainable-rate probe and lag at half of it with the seed's pair and the tuned pair. `--repeat N`
// runs it all N times; the summary takes each figure's median and judges the goals on it.
import type { Endpoints } from '../env/endpoints.ts';
import { envUsageTargets, startUsageSampler } from '../env/service-usage.ts';
import { PIPELINE_TARGETS, type PipelineMeasurement, type PipelineResult, type PipelineTarget } from '../results/pipeline-schema.ts';
import type { ScenarioResult } from '../results/schema.ts';
import { loadScenario } from '../scenario/load.ts';
import type { PipelineContext } from './context.ts';
import { halfLoadLag, PROBE_FILE } from './half-load.ts';
import { measureTarget } from './measurement.ts';
import type { PipelineParams } from './params.ts';
import type { RawBulk } from './raw-bulk.ts';
import { sinkCatchUp } from './sink-catch-up.ts';
import { snapshotCatchUp } from './snapshot-catch-up.ts';
import { summarize } from './summary.ts';
import { formatFigure } from './summary-text.ts';
import { writePath } from './write-path.ts';

export interface PipelineSuiteInput {
  endpoints: Endpoints;
  envDir: string;
  runId: string;
  runDir: string;
  params: PipelineParams;
  repeat: number;
  /** Only these targets (default: all); the half-load targets run together, after their probe. */
  targets?: readonly PipelineTarget[];
  signal: AbortSignal;
  log: (line: string) => void;
  /** Called after each repetition with everything so far (the CLI keeps its manifest current). */
  onRepetition?: (done: PipelineSuiteOutput) => void;
}

export interface PipelineSuiteOutput {
  pipeline: PipelineResult;
  /** The probe and half-load pairs, judged like any pair. */
  results: ScenarioResult[];
  scenarios: { file: string; name: string; overrides: Record<string, string> }[];
}

export async function runPipelineSuite(input: PipelineSuiteInput): Promise<PipelineSuiteOutput> {
  const { params, repeat, log } = input;
  const entity = (await loadScenario(PROBE_FILE)).entity;
  const targets = envUsageTargets(input.envDir);
  const ctx: PipelineContext = {
    endpoints: input.endpoints,
    envDir: input.envDir,
    runId: input.runId,
    runDir: input.runDir,
    entity,
    params,
    signal: input.signal,
    log,
    watchUsage: () => startUsageSampler(targets),
  };
  const chosen = new Set(input.targets ?? PIPELINE_TARGETS);
  const runs: PipelineMeasurement[][] = [];
  const output: PipelineSuiteOutput = { pipeline: { params: { ...params }, repeat, runs, summary: [] }, results: [], scenarios: [] };
  for (let k = 1; k <= repeat && !input.signal.aborted; k++) {
    const suffix = repeat > 1 ? `-r${k}` : '';
    const run: PipelineMeasurement[] = [];
    runs.push(run);
    const say = (m: PipelineMeasurement) => {
      run.push(m);
      log(`pipeline ${k}/${repeat}: ${m.title}: ${m.state === 'failed' ? `FAILED: ${m.error}` : headline(m)}`);
    };
    let raw: RawBulk | null = null;
    if (chosen.has('sink-catch-up')) say(
      await measureTarget('sink-catch-up', 'Sink catch-up: changes already in the topic, applied by the sink', async () => {
        const measured = await sinkCatchUp(ctx);
        raw = measured.raw;
        return measured;
      }),
    );
    if (input.signal.aborted) break;
    if (chosen.has('snapshot-catch-up')) say(await measureTarget('snapshot-catch-up', 'Snapshot catch-up: rows in the table before the connector, to the index', () => snapshotCatchUp(ctx, raw)));
    if (input.signal.aborted) break;
    if (chosen.has('write-path')) say(await measureTarget('write-path', 'Write path: the strategy worker vs raw mysql2 single-row commits', () => writePath(ctx)));
    if (input.signal.aborted) break;
    if (chosen.has('lag-half-load') || chosen.has('lag-half-load-tuned')) {
      const lag = await halfLoadLag(ctx, suffix, chosen);
      for (const m of lag.measurements) say(m);
      output.results.push(...lag.results);
      output.scenarios.push(...lag.scenarios);
    }
    output.pipeline.summary = summarize(runs);
    input.onRepetition?.(output);
  }
  output.pipeline.summary = summarize(runs);
  return output;
}

/** One line for the log: the main figures and whether the goals were met. */
export function headline(m: PipelineMeasurement): string {
  const figures = Object.entries(m.figures)
    .slice(0, 4)
    .map(([name, f]) => `${name} ${formatFigure(f.value, f.unit)}`)
    .join(', ');
  const goals = m.goals.map((g) => `${g.text}: ${g.met === null ? 'unknown' : g.met ? 'met' : 'NOT met'}`).join('; ');
  const busiest = m.usage.state === 'measured' ? `; busiest ${m.usage.busiest}` : '';
  return `${figures}${goals ? `; ${goals}` : ''}${busiest}${m.converged === false ? '; DIVERGED' : ''}`;
}
