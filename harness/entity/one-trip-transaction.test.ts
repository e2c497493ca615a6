// The one-trip transaction of each write kind: its statements in order with their parameters
// joined in the same order, and which of the per-statement results hold the count and the row.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.ts';
import type { Op } from '../workload/op.ts';
import { oneTripOutcome, oneTripTransaction, supportsReturning } from './one-trip-transaction.ts';

const op = (kind: Op['kind'], id: number, extra: Partial<Op> = {}): Op => ({ index: 0, phase: 'p', kind, id, ...extra });
const header = (affectedRows: number) => ({ affectedRows });

describe('one-trip transaction', () => {
  it('joins start, write, read and commit, with the parameters in statement order', () => {
    expect(oneTripTransaction('t', op('insert', 3, { values: { name: 'a', n: 2 } }))).toEqual({
      sql: 'START TRANSACTION; INSERT INTO `t` (`id`, `version`, `name`, `n`) VALUES (?, 1, ?, ?); SELECT * FROM `t` WHERE `id` = ?; COMMIT',
      params: [3, 'a', 2, 3],
      countedWrite: null,
      rowRead: 2,
    });
    expect(oneTripTransaction('t', op('update', 3, { values: { name: 'b' } }))).toMatchObject({
      sql: 'START TRANSACTION; UPDATE `t` SET `name` = ?, `version` = `version` + 1 WHERE `id` = ?; SELECT * FROM `t` WHERE `id` = ?; COMMIT',
      params: ['b', 3, 3],
      countedWrite: 1,
      rowRead: 2,
    });
    expect(oneTripTransaction('t', op('increment', 3, { column: 'n', delta: -4 }))).toMatchObject({ params: [-4, 3, 3], countedWrite: 1, rowRead: 2 });
  });

  it('reads the row under its lock before deleting it', () => {
    expect(oneTripTransaction('t', op('delete', 8))).toEqual({
      sql: 'START TRANSACTION; SELECT * FROM `t` WHERE `id` = ? FOR UPDATE; DELETE FROM `t` WHERE `id` = ?; COMMIT',
      params: [8, 8],
      countedWrite: null,
      rowRead: 1,
    });
  });

  it('refuses what is not a write', () => {
    expect(() => oneTripTransaction('t', op('read', 1))).toThrow(ConfigError);
    expect(() => oneTripTransaction('t', op('xaRollback', 1))).toThrow(ConfigError);
  });

  it('returns the row read, numbers for id and version, and null when the update found no row', () => {
    const row = { id: '4', version: '2', name: 'x' };
    const update = oneTripTransaction('t', op('update', 4, { values: { name: 'x' } }));
    expect(oneTripOutcome(update, [header(0), header(1), [row], header(0)])).toEqual({ value: { id: 4, version: 2, name: 'x' }, version: 2 });
    expect(oneTripOutcome(update, [header(0), header(0), [], header(0)])).toEqual({ value: null, version: null });
    const remove = oneTripTransaction('t', op('delete', 4));
    expect(oneTripOutcome(remove, [header(0), [row], header(1), header(0)])).toEqual({ value: { id: 4, version: 2, name: 'x' }, version: 2 });
    expect(oneTripOutcome(remove, [header(0), [], header(0), header(0)])).toEqual({ value: null, version: null });
  });

  it('with RETURNING, an insert or a delete is one statement whose result is the row; updates stay a transaction', () => {
    const insert = oneTripTransaction('t', op('insert', 4, { values: { name: 'x' } }), true);
    expect(insert).toEqual({ sql: 'INSERT INTO `t` (`id`, `version`, `name`) VALUES (?, 1, ?) RETURNING *', params: [4, 'x'], countedWrite: null, rowRead: null });
    expect(oneTripOutcome(insert, [{ id: 4, version: 1, name: 'x' }])).toEqual({ value: { id: 4, version: 1, name: 'x' }, version: 1 });
    const remove = oneTripTransaction('t', op('delete', 4), true);
    expect(remove.sql).toBe('DELETE FROM `t` WHERE `id` = ? RETURNING *');
    expect(oneTripOutcome(remove, [])).toEqual({ value: null, version: null });
    expect(oneTripTransaction('t', op('update', 4, { values: { name: 'x' } }), true).rowRead).toBe(2);
  });

  it('knows which servers take RETURNING', () => {
    expect(supportsReturning({ flavor: 'mariadb', version: '10.11.6-MariaDB-0+deb12u1' })).toBe(true);
    expect(supportsReturning({ flavor: 'mariadb', version: '11.8.3-MariaDB' })).toBe(true);
    expect(supportsReturning({ flavor: 'mariadb', version: '10.4.32-MariaDB' })).toBe(false);
    expect(supportsReturning({ flavor: 'mysql', version: '8.4.3' })).toBe(false);
  });
});
