// What compensating step 1 means for each kind of write, decided on the row as it is now (read
// under lock) — pure. A compensation applies only if nothing superseded the saga's write: the row
// still carries the version step 1 committed (for a delete: the row is still absent) and no later
// saga of the key committed its step 1. Then:
//   insert           → delete the row (WHERE version = the saga's);
//   update/increment → restore the before-image's columns (WHERE version = the saga's);
//   delete           → re-insert the before-image.
// The restored row's version: with `exact` (the strategy answers at the saga's end, so the client
// was told `fail` and nothing else built on the write), the before-image's own version — the row is
// exactly as if the write never happened. Otherwise (the client was told `ok` at step 1) the
// compensation is a new write: version + 1 over the saga's, never back. A moot compensation
// leaves the later write standing; its own saga carries it to the index.
import { quote, type Statement } from '../../harness/entity/table-sql.ts';
import type { Entity } from '../../harness/scenario/schema.ts';
import type { OpKind } from '../../harness/scenario/schema.ts';
import type { RowValue } from '../contract.ts';
import type { StepOneResult } from './saga-machine.ts';

export type CompensationPlan =
  | { action: 'apply'; statement: Statement; /** True when a row exists after it (to read back). */ rowAfter: boolean }
  | { action: 'moot'; reason: string };

export interface CompensationFacts {
  entity: Entity;
  table: string;
  kind: Exclude<OpKind, 'read'>;
  step: StepOneResult;
  /** The row now, read FOR UPDATE in the compensation's transaction. */
  current: RowValue | null;
  /** The seq of a later saga of the key, if one committed. */
  laterSeq: number | null;
  /** Restore the before-image's own version (the write never happened) rather than move it forward. */
  exact: boolean;
}

export function restoreStatement(table: string, columns: string[], before: RowValue, sagaVersion: number, exact: boolean): Statement {
  const assignments = columns.map((name) => `${quote(name)} = ?, `).join('');
  const values = columns.map((name) => before[name] ?? null);
  if (exact) {
    return { sql: `UPDATE ${quote(table)} SET ${assignments}\`version\` = ? WHERE \`id\` = ? AND \`version\` = ?`, params: [...values, before.version, before.id, sagaVersion] };
  }
  return { sql: `UPDATE ${quote(table)} SET ${assignments}\`version\` = \`version\` + 1 WHERE \`id\` = ? AND \`version\` = ?`, params: [...values, before.id, sagaVersion] };
}

export function undoInsertStatement(table: string, id: number, sagaVersion: number): Statement {
  return { sql: `DELETE FROM ${quote(table)} WHERE \`id\` = ? AND \`version\` = ?`, params: [id, sagaVersion] };
}

export function reinsertStatement(table: string, columns: string[], before: RowValue, exact: boolean): Statement {
  return {
    sql: `INSERT INTO ${quote(table)} (\`id\`, \`version\`${columns.map((name) => `, ${quote(name)}`).join('')}) VALUES (?, ?${', ?'.repeat(columns.length)})`,
    params: [before.id, exact ? before.version : before.version + 1, ...columns.map((name) => before[name] ?? null)],
  };
}

export function planCompensation(facts: CompensationFacts): CompensationPlan {
  const { entity, table, kind, step, current, laterSeq, exact } = facts;
  const columns = Object.keys(entity.columns);
  if (laterSeq !== null) return { action: 'moot', reason: `a later saga of key ${step.outcome.value?.id ?? '?'} committed (seq ${laterSeq} > ${step.seq})` };
  if (kind === 'delete') {
    const before = step.before!;
    if (current !== null) return { action: 'moot', reason: `row ${before.id} exists again (version ${current.version})` };
    return { action: 'apply', statement: reinsertStatement(table, columns, before, exact), rowAfter: true };
  }
  const after = step.after!;
  if (current === null) return { action: 'moot', reason: `row ${after.id} was deleted since` };
  if (current.version !== after.version) return { action: 'moot', reason: `row ${after.id} is at version ${current.version}, the saga wrote ${after.version}` };
  if (kind === 'insert') return { action: 'apply', statement: undoInsertStatement(table, after.id, after.version), rowAfter: false };
  return { action: 'apply', statement: restoreStatement(table, columns, step.before!, after.version, exact), rowAfter: true };
}
