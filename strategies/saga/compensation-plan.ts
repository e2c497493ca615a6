// What compensating step 1 means for each kind of write, decided on the row as it is now (read
// under lock) — pure. A compensation applies only if nothing superseded the saga's write: the row
// still carries the version step 1 committed (for a delete: the row is still absent) and no later
// saga of the key committed its step 1. Then:
//   insert           → delete the row (WHERE version = the saga's);
//   update/increment → restore the before-image's columns, version + 1 (WHERE version = the saga's);
//   delete           → re-insert the before-image, version + 1.
// A compensation is a new write, so the version moves forward, never back. Otherwise the
// compensation is moot: the later write stands and its own saga carries it to the index.
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
}

export function restoreStatement(table: string, columns: string[], before: RowValue, sagaVersion: number): Statement {
  return {
    sql: `UPDATE ${quote(table)} SET ${columns.map((name) => `${quote(name)} = ?, `).join('')}\`version\` = \`version\` + 1 WHERE \`id\` = ? AND \`version\` = ?`,
    params: [...columns.map((name) => before[name] ?? null), before.id, sagaVersion],
  };
}

export function undoInsertStatement(table: string, id: number, sagaVersion: number): Statement {
  return { sql: `DELETE FROM ${quote(table)} WHERE \`id\` = ? AND \`version\` = ?`, params: [id, sagaVersion] };
}

export function reinsertStatement(table: string, columns: string[], before: RowValue): Statement {
  return {
    sql: `INSERT INTO ${quote(table)} (\`id\`, \`version\`${columns.map((name) => `, ${quote(name)}`).join('')}) VALUES (?, ?${', ?'.repeat(columns.length)})`,
    params: [before.id, before.version + 1, ...columns.map((name) => before[name] ?? null)],
  };
}

export function planCompensation(facts: CompensationFacts): CompensationPlan {
  const { entity, table, kind, step, current, laterSeq } = facts;
  const columns = Object.keys(entity.columns);
  if (laterSeq !== null) return { action: 'moot', reason: `a later saga of key ${step.outcome.value?.id ?? '?'} committed (seq ${laterSeq} > ${step.seq})` };
  if (kind === 'delete') {
    const before = step.before!;
    if (current !== null) return { action: 'moot', reason: `row ${before.id} exists again (version ${current.version})` };
    return { action: 'apply', statement: reinsertStatement(table, columns, before), rowAfter: true };
  }
  const after = step.after!;
  if (current === null) return { action: 'moot', reason: `row ${after.id} was deleted since` };
  if (current.version !== after.version) return { action: 'moot', reason: `row ${after.id} is at version ${current.version}, the saga wrote ${after.version}` };
  if (kind === 'insert') return { action: 'apply', statement: undoInsertStatement(table, after.id, after.version), rowAfter: false };
  return { action: 'apply', statement: restoreStatement(table, columns, step.before!, after.version), rowAfter: true };
}
