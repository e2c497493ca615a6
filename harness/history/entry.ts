// converge: one history entry. The history is an append-only JSONL file: each operation appears as
// an `invoke` and then one completion — `ok` (it happened), `fail` (it definitely did not) or
// `unknown` (it may have: a timeout, a crashed worker). Jepsen's model, with row versions.
import { z } from 'zod';
import { opSchema } from '../workload/op.ts';

export const ENTRY_TYPES = ['invoke', 'ok', 'fail', 'unknown'] as const;
export type EntryType = (typeof ENTRY_TYPES)[number];

/** What a `read` saw in the index for its key. */
export const readValueSchema = z.strictObject({
  found: z.boolean(),
  /** The document's source (with `id` and `version`), or null when not found. */
  doc: z.record(z.string(), z.unknown()).nullable(),
  version: z.number().nullable(),
});
export type ReadValue = z.infer<typeof readValueSchema>;

export const historyEntrySchema = z.strictObject({
  /** Position in the file, from 0. */
  index: z.number().int().min(0),
  /** The logical client (one per unit of concurrency) that ran the operation. */
  process: z.number().int().min(0),
  type: z.enum(ENTRY_TYPES),
  op: opSchema,
  /**
   * Completions only. Writes: the row after the write (columns, `id`, `version`), or null when no
   * row was affected (update/delete of a missing key) — for deletes, the row that was deleted.
   * Reads: a ReadValue. xaRollback (always `fail`): the row its XA branch held before the rollback
   * (`id`, `version`, columns), or null when the branch wrote none.
   */
  value: z.unknown().optional(),
  /**
   * Completions only. The row's version after the write (insert 1, update/increment version+1); for
   * a delete, the version of the row deleted; null when no row was affected. Reads: the version seen.
   */
  version: z.number().int().nullable().optional(),
  /** Monotonic time in ms (fractional), comparable across processes on one machine (monotonicMs). */
  time: z.number(),
  /** Reads only: the store that was read. A history `read` reads the index. */
  store: z.enum(['index', 'mysql']).optional(),
  /** fail/unknown: why. */
  error: z.string().optional(),
});
export type HistoryEntry = z.infer<typeof historyEntrySchema>;

/** Monotonic milliseconds from `process.hrtime.bigint()` (CLOCK_MONOTONIC: shared by processes of one host). */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
