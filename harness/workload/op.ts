// converge: an operation — a plain JSON object the generator produces, the driver sends to a
// strategy's worker and the history records.
import { z } from 'zod';
import { OP_KINDS, rowId, scalar } from '../scenario/schema.ts';

export const opSchema = z.strictObject({
  /** Position within its phase, from 0. */
  index: z.number().int().min(0),
  /** The phase's name. */
  phase: z.string(),
  kind: z.enum(OP_KINDS),
  id: rowId,
  /** insert: every column; update: the columns it sets; xaRollback: what its branch writes. */
  values: z.record(z.string(), scalar).optional(),
  /** increment: `column = column + delta`. */
  column: z.string().optional(),
  delta: z.number().optional(),
  /** The phase's `poison` set a value the index cannot hold (see phases[].poison). */
  poison: z.literal(true).optional(),
  /** xaRollback: the write inside the XA branch (an update of a live key, or an insert of a fresh id). */
  branch: z.enum(['insert', 'update']).optional(),
  /** xaRollback: ms the branch stays prepared before its XA ROLLBACK. */
  holdMs: z.number().int().min(0).optional(),
});
export type Op = z.infer<typeof opSchema>;
