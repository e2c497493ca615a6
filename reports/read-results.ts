// converge report: reading results.json for the report. A run folder is rendered even when part of
// it is damaged — the pairs that validate are drawn, the ones that do not (and a damaged pipeline
// block) are named with what is wrong — because a failed run is exactly when someone needs to read
// its report.
import { z } from 'zod';
import { ConfigError } from '../harness/errors.ts';
import { pipelineResultSchema } from '../harness/results/pipeline-schema.ts';
import { resultsFileSchema, scenarioResultSchema, type ResultsFile } from '../harness/results/schema.ts';

export interface ReadResults {
  file: ResultsFile;
  /** Entries of `results` (or the `pipeline` block) that did not match the schema, each said in one line. */
  invalid: string[];
}

function describe(entry: unknown, i: number): string {
  const record = (entry ?? {}) as { strategy?: unknown; scenario?: unknown };
  const pair = typeof record.strategy === 'string' && typeof record.scenario === 'string' ? ` (${record.strategy} × ${record.scenario})` : '';
  return `results[${i}]${pair}`;
}

/** Parses the text of results.json; throws a ConfigError only when the run itself cannot be read. */
export function readResults(text: string, source = 'results.json'): ReadResults {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${source} is not JSON: ${(error as Error).message}`, { cause: error });
  }
  const whole = resultsFileSchema.safeParse(raw);
  if (whole.success) return { file: whole.data, invalid: [] };
  const entries: unknown[] = Array.isArray((raw as { results?: unknown }).results) ? (raw as { results: unknown[] }).results : [];
  const results: ResultsFile['results'] = [];
  const invalid: string[] = [];
  let run = resultsFileSchema.safeParse({ ...(raw as object), results: [] });
  const { pipeline, ...rest } = (raw ?? {}) as { pipeline?: unknown };
  if (!run.success && pipeline !== undefined) {
    // a damaged pipeline block is named, and the rest of the run still renders
    const withoutPipeline = resultsFileSchema.safeParse({ ...rest, results: [] });
    const ownError = pipelineResultSchema.safeParse(pipeline).error;
    if (withoutPipeline.success && ownError) {
      run = withoutPipeline;
      invalid.push(`pipeline does not match the schema: ${z.prettifyError(ownError).replace(/\s*\n\s*/g, '; ')}`);
    }
  }
  if (!run.success) throw new ConfigError(`${source} does not match schemaVersion 1:\n${z.prettifyError(run.error)}`);
  entries.forEach((entry, i) => {
    const parsed = scenarioResultSchema.safeParse(entry);
    if (parsed.success) results.push(parsed.data);
    else invalid.push(`${describe(entry, i)} does not match the schema: ${z.prettifyError(parsed.error).replace(/\s*\n\s*/g, '; ')}`);
  });
  return { file: { ...run.data, results }, invalid };
}
