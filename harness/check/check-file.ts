// converge: the contract of check.json, what `npm run check -- RUN_DIR` writes — per pair of the
// run, what its history alone can prove: operation counts, write latency, anomalies and their
// verdict lines. Convergence, final values, lag and acknowledged writes (checked against MySQL's
// final rows) need the stores, so their lines are `unknown`.
import { z } from 'zod';
import { anomaliesResultSchema, expectationSchema, percentilesSchema, verdictLineSchema } from '../results/schema.ts';

const count = z.number().int().min(0);

export const pairCheckSchema = z.strictObject({
  strategy: z.string(),
  scenario: z.string(),
  seed: z.number().int(),
  /** The history file, relative to the run folder. */
  history: z.string(),
  /** `judged`: the history was read; `no-history`: the pair never started; `unreadable`: a line other than the last is malformed. */
  state: z.enum(['judged', 'no-history', 'unreadable']),
  /** Why the history could not be read (state `unreadable`). */
  error: z.string().optional(),
  /** The last line was cut short (a writer killed mid-line) and skipped. */
  truncatedTail: z.strictObject({ line: z.number().int().min(1), chars: count }).nullable(),
  /** Invocations; completions by outcome; `unfinished`: invoked, never completed (outcome unknown). */
  ops: z.strictObject({ attempted: count, ok: count, failed: count, unknown: count, unfinished: count }),
  /** From invoke to `ok` completion of each write. */
  latencyMs: percentilesSchema,
  anomalies: anomaliesResultSchema,
  expectation: expectationSchema,
  lines: z.array(verdictLineSchema),
  /** Judged lines that failed. */
  failedLines: count,
  /** False when a judged line failed and the scenario expects this strategy to pass. */
  asExpected: z.boolean(),
});
export type PairCheck = z.infer<typeof pairCheckSchema>;

export const checkFileSchema = z.strictObject({
  runId: z.string(),
  /** ISO 8601. */
  checkedAt: z.string(),
  /** Whether the run finished (results.json exists) — a killed run has none. */
  runFinished: z.boolean(),
  pairs: z.array(pairCheckSchema),
});
export type CheckFile = z.infer<typeof checkFileSchema>;
