// The pipeline suite's parameters (`npm run bench -- --suite pipeline --param key=value`): the sizes
// of each measurement, checked before anything starts. Defaults are the issue's sizes.
import { z } from 'zod';
import { ConfigError } from '../errors.ts';

const positive = z.coerce.number().int().min(1);

export const pipelineParamsSchema = z.strictObject({
  /** Changes piled up in the topic before the sink starts (sink catch-up). */
  changes: positive.default(100_000),
  /** Rows in the table before the connector is created (snapshot catch-up). */
  snapshotRows: positive.default(100_000),
  /** Inserts through the strategy's write path, and as raw mysql2 commits (write path). */
  writePathOps: positive.default(5_000),
  /** Writers at once in the write path (and its raw baseline). */
  concurrency: positive.default(4),
  /**
   * Writers at once in the sustainable-rate probe and the half-load runs: enough that the probe's
   * rate is the pipeline's, not what a few writers reach (4 writers at ~3 ms a write stop near 800/s).
   */
  loadConcurrency: positive.default(16),
  /** Operations of the closed-loop probe that finds the pipeline's sustainable rate. */
  probeOps: positive.default(12_000),
  /** How long each half-load run writes, in seconds. */
  halfLoadSeconds: positive.default(30),
});
export type PipelineParams = z.output<typeof pipelineParamsSchema>;

export const PIPELINE_PARAM_NAMES = Object.keys(pipelineParamsSchema.shape);

/** The defaults with `--param` overrides; an unknown name or a bad value names the param. */
export function parsePipelineParams(overrides: Record<string, string>): PipelineParams {
  for (const key of Object.keys(overrides)) {
    if (!PIPELINE_PARAM_NAMES.includes(key)) throw new ConfigError(`--param ${key}: the pipeline suite has no such param (params: ${PIPELINE_PARAM_NAMES.join(', ')})`);
  }
  const parsed = pipelineParamsSchema.safeParse(overrides);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`--param ${issue.path.join('.')}: ${issue.message} (got ${JSON.stringify(overrides[String(issue.path[0])])})`);
  }
  return parsed.data;
}
