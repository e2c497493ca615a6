// The `pipeline` block of results.json (`npm run bench -- --suite pipeline`): the cdc pipeline's
// throughput and lag targets, each measured beside the raw rate it is read against in the same run,
// with the CPU and memory each service used during the measurement. Every repetition is kept;
// `summary` holds the medians across repetitions and judges each goal on the median.
import { z } from 'zod';

/** One service's CPU and memory over a measurement window, read from /proc. */
export const serviceUsageSchema = z.strictObject({
  /** `mariadb`, `kafka`, `connect`, `search`, `converge` (the bench process), `worker` (its child processes). */
  service: z.string(),
  /** The processes counted (a service's whole process group, or the bench's children). */
  pids: z.array(z.number().int()),
  /** Mean CPU over the window, in cores (1 = one core busy the whole window). */
  cpuCores: z.number(),
  /** The highest CPU over one sampling interval, in cores. */
  cpuPeakCores: z.number(),
  rssMeanBytes: z.number(),
  rssMaxBytes: z.number(),
});
export type ServiceUsage = z.infer<typeof serviceUsageSchema>;

export const usageSchema = z.discriminatedUnion('state', [
  z.strictObject({
    state: z.literal('measured'),
    windowMs: z.number(),
    intervalMs: z.number(),
    /** The machine's cores, to read cpuCores against. */
    cores: z.number().int(),
    services: z.array(serviceUsageSchema),
    /** The service with the most CPU over the window. */
    busiest: z.string(),
  }),
  /** E.g. a docker or external provider: its processes are not on this machine's /proc. */
  z.strictObject({ state: z.literal('unavailable'), reason: z.string() }),
]);
export type Usage = z.infer<typeof usageSchema>;

export const pipelineFigureSchema = z.strictObject({ value: z.number(), unit: z.string() });

/** A goal on one figure: `figure op threshold`, e.g. ratio >= 0.85. `met` is null when the figure is missing. */
export const pipelineGoalSchema = z.strictObject({
  text: z.string(),
  figure: z.string(),
  op: z.enum(['>=', '<=']),
  threshold: z.number(),
  met: z.boolean().nullable(),
});
export type PipelineGoal = z.infer<typeof pipelineGoalSchema>;

export const PIPELINE_TARGETS = ['sink-catch-up', 'snapshot-catch-up', 'lag-half-load', 'lag-half-load-tuned', 'write-path'] as const;
export type PipelineTarget = (typeof PIPELINE_TARGETS)[number];

/** One target measured once. */
export const pipelineMeasurementSchema = z.strictObject({
  target: z.enum(PIPELINE_TARGETS),
  title: z.string(),
  state: z.enum(['measured', 'failed']),
  /** Why the measurement failed (a failed one has no goal met). */
  error: z.string().nullable(),
  /** The figures by name (e.g. `rate`, `raw`, `ratio`, `lagP50`, `lagP99`). */
  figures: z.record(z.string(), pipelineFigureSchema),
  goals: z.array(pipelineGoalSchema),
  /** What was measured, as it ran: sizes, concurrency, the connector pair, the rate. */
  config: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])),
  /** Did both stores hold the same rows at the end (null: not checked). */
  converged: z.boolean().nullable(),
  usage: usageSchema,
  durationMs: z.number(),
});
export type PipelineMeasurement = z.infer<typeof pipelineMeasurementSchema>;

/** One target across repetitions: each figure's median, each goal judged on the median. */
export const pipelineSummarySchema = z.strictObject({
  target: z.enum(PIPELINE_TARGETS),
  title: z.string(),
  /** Repetitions in which the target was measured (failed ones are not in the medians). */
  measured: z.number().int().min(0),
  failed: z.number().int().min(0),
  figures: z.record(z.string(), pipelineFigureSchema),
  goals: z.array(pipelineGoalSchema),
  /** The busiest service in each measured repetition, and its median CPU in cores. */
  busiest: z.array(z.strictObject({ service: z.string(), cpuCores: z.number() })),
  /** Each service's median CPU (cores) and median of its max RSS (bytes) across repetitions. */
  usage: z.array(z.strictObject({ service: z.string(), cpuCores: z.number(), rssMaxBytes: z.number() })),
});
export type PipelineSummary = z.infer<typeof pipelineSummarySchema>;

export const pipelineResultSchema = z.strictObject({
  /** The suite's parameters as they ran (defaults merged with `--param`). */
  params: z.record(z.string(), z.number()),
  repeat: z.number().int().min(1),
  /** Every repetition, in order: its targets in the order they ran. */
  runs: z.array(z.array(pipelineMeasurementSchema)),
  summary: z.array(pipelineSummarySchema),
});
export type PipelineResult = z.infer<typeof pipelineResultSchema>;
