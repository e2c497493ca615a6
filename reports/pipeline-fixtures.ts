// converge report tests: a `--suite pipeline` run's block as the bench writes it — three targets
// over two repetitions, one measurement failed (lag-half-load in the second), one whose CPU and
// memory could not be read (write-path in the second), and the medians of what was measured.
import type { PipelineMeasurement, PipelineResult, ServiceUsage, Usage } from '../harness/results/pipeline-schema.ts';

const MiB = 2 ** 20;

function service(name: string, cpuCores: number, rssMiB: number, pid: number): ServiceUsage {
  return { service: name, pids: [pid], cpuCores, cpuPeakCores: cpuCores * 1.4, rssMeanBytes: rssMiB * 0.9 * MiB, rssMaxBytes: rssMiB * MiB };
}

function measuredUsage(connect: number, search: number, busiest = connect >= search ? 'connect' : 'search'): Usage {
  return {
    state: 'measured',
    windowMs: 20_000,
    intervalMs: 250,
    cores: 2,
    services: [service('mariadb', 0.21, 410, 101), service('kafka', 0.34, 690, 202), service('connect', connect, 1130, 303), service('search', search, 1540, 404), service('converge', 0.08, 120, 505)],
    busiest,
  };
}

function sinkCatchUp(rate: number, raw: number, connect: number): PipelineMeasurement {
  return {
    target: 'sink-catch-up',
    title: 'Sink catch-up against raw bulk indexing',
    state: 'measured',
    error: null,
    figures: { rate: { value: rate, unit: 'changes/s' }, raw: { value: raw, unit: 'docs/s' }, ratio: { value: rate / raw, unit: '×' } },
    goals: [{ text: 'the sink drains a backlog at ≥ 0.85× raw bulk indexing', figure: 'ratio', op: '>=', threshold: 0.85, met: rate / raw >= 0.85 }],
    config: { rows: 200_000, batchSize: 2000, pair: 'debezium-mariadb → converge sink' },
    converged: true,
    usage: measuredUsage(connect, 0.62),
    durationMs: 24_310,
  };
}

function lagHalfLoad(lagP50: number, lagP99: number): PipelineMeasurement {
  return {
    target: 'lag-half-load',
    title: 'Lag at half the raw insert rate',
    state: 'measured',
    error: null,
    figures: { rate: { value: 2310, unit: 'ops/s' }, raw: { value: 4620, unit: 'ops/s' }, lagP50: { value: lagP50, unit: 'ms' }, lagP99: { value: lagP99, unit: 'ms' } },
    goals: [
      { text: 'p50 lag ≤ 250 ms', figure: 'lagP50', op: '<=', threshold: 250, met: lagP50 <= 250 },
      { text: 'p99 lag ≤ 1 s', figure: 'lagP99', op: '<=', threshold: 1000, met: lagP99 <= 1000 },
    ],
    config: { rate: 2310, durationMs: 20_000, concurrency: 8 },
    converged: true,
    usage: measuredUsage(0.74, 0.41),
    durationMs: 31_020,
  };
}

export const FAILED_LAG_ERROR = 'connector cv_pipeline_lag did not reach RUNNING within 60 s (state FAILED: task 0 threw ConnectException)';
export const UNAVAILABLE_USAGE_REASON = 'the services run in docker: their processes are not on this machine’s /proc';

function writePath(rate: number, usage: Usage): PipelineMeasurement {
  return {
    target: 'write-path',
    title: 'Application write path with capture on',
    state: 'measured',
    error: null,
    figures: { rate: { value: rate, unit: 'rows/s' }, raw: { value: 4620, unit: 'ops/s' }, ratio: { value: rate / 4620, unit: '×' } },
    goals: [{ text: 'capture costs the writers ≤ 10 %', figure: 'ratio', op: '>=', threshold: 0.9, met: rate / 4620 >= 0.9 }],
    config: { rows: 50_000, concurrency: 8 },
    converged: null,
    usage,
    durationMs: 12_800,
  };
}

/** Two repetitions; the medians of the measured ones in `summary`, goals judged on them. */
export function pipelineFixture(): PipelineResult {
  const failedLag: PipelineMeasurement = { ...lagHalfLoad(0, 0), state: 'failed', error: FAILED_LAG_ERROR, figures: {}, goals: [], converged: null, usage: { state: 'unavailable', reason: 'not measured: the target failed' }, durationMs: 60_400 };
  const failedGoals = lagHalfLoad(0, 0).goals.map((goal) => ({ ...goal, met: goal.figure === 'lagP50' ? true : false }));
  return {
    params: { sinkRows: 200_000, lagSeconds: 20, writeRows: 50_000 },
    repeat: 2,
    runs: [
      [sinkCatchUp(18_400, 20_100, 1.1), lagHalfLoad(180, 1340), writePath(4280, measuredUsage(0.12, 0.05, 'mariadb'))],
      [sinkCatchUp(18_200, 20_300, 1.0), failedLag, writePath(4200, { state: 'unavailable', reason: UNAVAILABLE_USAGE_REASON })],
    ],
    summary: [
      {
        target: 'sink-catch-up',
        title: 'Sink catch-up against raw bulk indexing',
        measured: 2,
        failed: 0,
        figures: { rate: { value: 18_300, unit: 'changes/s' }, raw: { value: 20_200, unit: 'docs/s' }, ratio: { value: 0.906, unit: '×' } },
        goals: [{ text: 'the sink drains a backlog at ≥ 0.85× raw bulk indexing', figure: 'ratio', op: '>=', threshold: 0.85, met: true }],
        busiest: [
          { service: 'connect', cpuCores: 1.1 },
          { service: 'connect', cpuCores: 1.0 },
        ],
        usage: [
          { service: 'mariadb', cpuCores: 0.21, rssMaxBytes: 410 * MiB },
          { service: 'kafka', cpuCores: 0.34, rssMaxBytes: 690 * MiB },
          { service: 'connect', cpuCores: 1.05, rssMaxBytes: 1130 * MiB },
          { service: 'search', cpuCores: 0.62, rssMaxBytes: 1540 * MiB },
          { service: 'converge', cpuCores: 0.08, rssMaxBytes: 120 * MiB },
        ],
      },
      {
        target: 'lag-half-load',
        title: 'Lag at half the raw insert rate',
        measured: 1,
        failed: 1,
        figures: { rate: { value: 2310, unit: 'ops/s' }, raw: { value: 4620, unit: 'ops/s' }, lagP50: { value: 180, unit: 'ms' }, lagP99: { value: 1340, unit: 'ms' } },
        goals: failedGoals,
        busiest: [{ service: 'connect', cpuCores: 0.74 }],
        usage: [{ service: 'connect', cpuCores: 0.74, rssMaxBytes: 1130 * MiB }],
      },
      {
        target: 'write-path',
        title: 'Application write path with capture on',
        measured: 2,
        failed: 0,
        figures: { rate: { value: 4240, unit: 'rows/s' }, raw: { value: 4620, unit: 'ops/s' }, ratio: { value: 0.918, unit: '×' } },
        goals: [{ text: 'capture costs the writers ≤ 10 %', figure: 'ratio', op: '>=', threshold: 0.9, met: true }],
        busiest: [{ service: 'mariadb', cpuCores: 0.21 }],
        usage: [{ service: 'mariadb', cpuCores: 0.21, rssMaxBytes: 410 * MiB }],
      },
    ],
  };
}
