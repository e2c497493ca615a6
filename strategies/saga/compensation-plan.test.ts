// Compensation per kind of write, decided on the row as it is now: applied only when nothing
// superseded the saga's write, as a conditional statement that restores the before-image's own
// version (exact: the client was told fail) or moves the version forward (the client was told ok).
import { describe, expect, it } from 'vitest';
import type { Entity } from '../../harness/scenario/schema.ts';
import { planCompensation, type CompensationFacts } from './compensation-plan.ts';
import type { StepOneResult } from './saga-machine.ts';

const entity: Entity = {
  table: 'acc',
  columns: { name: { type: 'varchar', length: 8, nullable: false }, amount: { type: 'bigint', nullable: false } },
  projection: { rename: {}, drop: [], computed: {} },
};
const before = { id: 9, version: 3, name: 'old', amount: 1 };
const after = { id: 9, version: 4, name: 'new', amount: 9_999_999_999 };
const step = (kind: CompensationFacts['kind']): StepOneResult =>
  kind === 'insert'
    ? { seq: 10, outcome: { value: { ...after, version: 1 }, version: 1 }, before: null, after: { ...after, version: 1 } }
    : kind === 'delete'
      ? { seq: 10, outcome: { value: before, version: 3 }, before, after: null }
      : { seq: 10, outcome: { value: after, version: 4 }, before, after };
const facts = (kind: CompensationFacts['kind'], current: CompensationFacts['current'], laterSeq: number | null = null, exact = false): CompensationFacts => ({
  entity,
  table: 't',
  kind,
  step: step(kind),
  current,
  laterSeq,
  exact,
});

describe('compensation plan', () => {
  it('restores an update’s before-image at version + 1, only where the row still carries the saga’s version', () => {
    expect(planCompensation(facts('update', after))).toEqual({
      action: 'apply',
      rowAfter: true,
      statement: { sql: 'UPDATE `t` SET `name` = ?, `amount` = ?, `version` = `version` + 1 WHERE `id` = ? AND `version` = ?', params: ['old', 1, 9, 4] },
    });
    expect(planCompensation(facts('increment', after))).toMatchObject({ action: 'apply', statement: { params: ['old', 1, 9, 4] } });
  });

  it('restores the before-image exactly, version included, when exact (the write never happened)', () => {
    expect(planCompensation(facts('update', after, null, true))).toEqual({
      action: 'apply',
      rowAfter: true,
      statement: { sql: 'UPDATE `t` SET `name` = ?, `amount` = ?, `version` = ? WHERE `id` = ? AND `version` = ?', params: ['old', 1, 3, 9, 4] },
    });
    expect(planCompensation(facts('delete', null, null, true))).toMatchObject({ action: 'apply', statement: { params: [9, 3, 'old', 1] } });
    expect(planCompensation(facts('insert', { ...after, version: 1 }, null, true))).toMatchObject({ action: 'apply', statement: { params: [9, 1] } });
    expect(planCompensation(facts('update', { ...after, version: 5 }, null, true))).toMatchObject({ action: 'moot' });
  });

  it('deletes an inserted row only at the version the insert gave it', () => {
    expect(planCompensation(facts('insert', { ...after, version: 1 }))).toEqual({
      action: 'apply',
      rowAfter: false,
      statement: { sql: 'DELETE FROM `t` WHERE `id` = ? AND `version` = ?', params: [9, 1] },
    });
  });

  it('re-inserts a deleted row’s before-image at version + 1 while the key is still absent', () => {
    expect(planCompensation(facts('delete', null))).toEqual({
      action: 'apply',
      rowAfter: true,
      statement: { sql: 'INSERT INTO `t` (`id`, `version`, `name`, `amount`) VALUES (?, ?, ?, ?)', params: [9, 4, 'old', 1] },
    });
  });

  it('is moot when a later write superseded the saga’s: another version, the row gone or back, or a later saga of the key', () => {
    expect(planCompensation(facts('update', { ...after, version: 5 }))).toEqual({ action: 'moot', reason: 'row 9 is at version 5, the saga wrote 4' });
    expect(planCompensation(facts('update', null))).toEqual({ action: 'moot', reason: 'row 9 was deleted since' });
    expect(planCompensation(facts('insert', { ...after, version: 2 }))).toMatchObject({ action: 'moot' });
    expect(planCompensation(facts('delete', { ...before, version: 1 }))).toEqual({ action: 'moot', reason: 'row 9 exists again (version 1)' });
    // Same version, but a later saga committed on the key (versions restart when a key is re-created).
    expect(planCompensation(facts('update', after, 11))).toEqual({ action: 'moot', reason: 'a later saga of key 9 committed (seq 11 > 10)' });
  });
});
