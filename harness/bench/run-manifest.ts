// The run manifest, `run.json`, written in the run folder when the bench starts (before any pair
// runs): which scenarios (with their text and the overrides they were loaded with), seed,
// strategies and history files the run is made of. A run killed before results.json can still be
// judged from it and its histories (`npm run check -- RUN_DIR`).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../errors.ts';

export const RUN_MANIFEST = 'run.json';

const scalar = z.union([z.number(), z.string(), z.boolean()]);

export const runManifestSchema = z.strictObject({
  runId: z.string().min(1),
  /** ISO 8601. */
  startedAt: z.string(),
  /** The bench process. */
  pid: z.number().int().min(1),
  /** The generator's run seed. */
  seed: z.number().int().min(0),
  strategies: z.array(z.string().min(1)),
  /** `--param` overrides as given. */
  paramOverrides: z.record(z.string(), z.string()),
  scenarios: z.array(
    z.strictObject({
      name: z.string().min(1),
      /** The file as given (absolute). */
      file: z.string(),
      /** The file's text when the run started. */
      text: z.string(),
      /** The param overrides the scenario was loaded with (`--param`s routed to it, `--full`'s sizes). */
      overrides: z.record(z.string(), z.string()),
      /** The params as resolved. */
      params: z.record(z.string(), scalar),
    }),
  ),
  /** Every planned pair, in run order, with its history file (relative to the run folder). */
  pairs: z.array(z.strictObject({ strategy: z.string().min(1), scenario: z.string().min(1), history: z.string().min(1) })),
});
export type RunManifest = z.infer<typeof runManifestSchema>;

export function writeRunManifest(runDir: string, manifest: RunManifest): string {
  const file = path.join(runDir, RUN_MANIFEST);
  writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
  return file;
}

/** Reads and validates `run.json`; a missing or malformed one is a ConfigError naming the problem. */
export function readRunManifest(runDir: string): RunManifest {
  const file = path.join(runDir, RUN_MANIFEST);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`${file}: ${error instanceof Error ? error.message : String(error)} (is ${runDir} a folder written by npm run bench?)`, { cause: error });
  }
  const parsed = runManifestSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(`${file} is not a run manifest:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
