// converge: the projection from a MySQL row to the index document, and the canonical forms that
// make two spellings of one value compare equal (and two different values unequal).
import { describe, expect, it } from 'vitest';
import { parseScenario } from './load.ts';
import { docFieldKinds, projectRow } from './projection.ts';
import { normaliseValue } from './values.ts';

const { entity } = parseScenario(
  `
name: shape
description: shape A to shape B
entity:
  table: people
  columns:
    first: { type: varchar, length: 16 }
    last: { type: varchar, length: 16 }
    nick: { type: varchar, length: 16, nullable: true }
    secret: { type: text }
    price: { type: double }
    qty: { type: int }
    vip: { type: boolean }
    born: { type: datetime }
  projection:
    rename: { first: given }
    drop: [secret]
    computed:
      full: { concat: [{ col: first }, " ", { upper: { col: last } }, { col: nick }] }
      total: { multiply: [{ col: price }, { col: qty }] }
      plus: { add: [{ col: qty }, 1, { col: nick }] }
      shown: { coalesce: [{ col: nick }, { lower: { col: first } }] }
phases: [{ name: p, ops: 1, mix: { read: 1 } }]
`,
  {},
  'shape.yaml',
);

describe('projectRow', () => {
  it('renames, drops and computes, keeping id and version', () => {
    const row = { id: 7, version: '3', first: 'Ada', last: 'Lovelace', nick: null, secret: 's', price: '2.5', qty: 4, vip: 1, born: new Date(Date.UTC(2024, 0, 2, 3, 4, 5)) };
    expect(projectRow(entity, row)).toEqual({
      id: 7,
      version: 3,
      given: 'Ada',
      last: 'Lovelace',
      nick: null,
      price: 2.5,
      qty: 4,
      vip: true,
      born: '2024-01-02T03:04:05.000Z',
      full: 'Ada LOVELACE',
      total: 10,
      plus: null,
      shown: 'ada',
    });
  });

  it('knows each field kind for comparison', () => {
    expect(Object.fromEntries(docFieldKinds(entity))).toEqual({
      id: 'bigint',
      version: 'bigint',
      given: 'varchar',
      last: 'varchar',
      nick: 'varchar',
      price: 'double',
      qty: 'int',
      vip: 'boolean',
      born: 'datetime',
      full: 'string',
      total: 'number',
      plus: 'number',
      shown: 'any',
    });
  });
});

describe('normaliseValue', () => {
  it('brings the spellings engines use to one form', () => {
    const at = '2024-01-02T03:04:05.000Z';
    for (const v of ['2024-01-02 03:04:05', '2024-01-02T03:04:05Z', '2024-01-02T05:04:05+02:00', Date.parse(at), new Date(at)]) {
      expect(normaliseValue('datetime', v)).toBe(at);
    }
    for (const v of [true, 1, '1', 'true']) expect(normaliseValue('boolean', v)).toBe(true);
    for (const v of [false, 0, '0', 'false']) expect(normaliseValue('boolean', v)).toBe(false);
    expect(normaliseValue('bigint', '9007199254740991')).toBe(9007199254740991);
    expect(normaliseValue('bigint', 12n)).toBe(12);
    expect(normaliseValue('varchar', undefined)).toBeNull();
  });

  it('leaves values that are not the same value unequal', () => {
    expect(normaliseValue('varchar', 1)).toBe(1);
    expect(normaliseValue('int', 'seven')).toBe('seven');
    expect(normaliseValue('boolean', 2)).toBe(2);
    expect(normaliseValue('datetime', 'yesterday')).toBe('yesterday');
    expect(normaliseValue('varchar', ' a')).not.toBe(normaliseValue('varchar', 'a'));
  });

  it('keeps apart values that differ only where a lenient reading would lose it', () => {
    const differ = (kind: Parameters<typeof normaliseValue>[0], a: unknown, b: unknown) =>
      expect(JSON.stringify(normaliseValue(kind, a)), `${String(a)} vs ${String(b)}`).not.toBe(JSON.stringify(normaliseValue(kind, b)));
    // BIGINTs beyond 2^53 that one double would hold
    differ('bigint', '9007199254740993', '9007199254740992');
    differ('bigint', 9007199254740993n, '9007199254740992');
    differ('bigint', '9007199254740993', 9007199254740992);
    expect(normaliseValue('bigint', '9223372036854775807')).toBe('9223372036854775807');
    expect(normaliseValue('bigint', 9223372036854775807n)).toBe('9223372036854775807');
    // numbers written in ways no engine writes a number
    for (const text of [' 7', '7 ', '0x7', '7e0', '0b111', '007', '+7', '7.0']) differ('int', text, 7);
    for (const text of [' 7.5', '7.5 ', 'Infinity', '0x1p3']) differ('double', text, 7.5);
    expect(normaliseValue('double', '7.5e0')).toBe(7.5);
    // a datetime's microseconds, and dates a lenient parser rolls over
    differ('datetime', '2024-05-06 07:08:09.000400', '2024-05-06 07:08:09');
    differ('datetime', '2024-05-06 07:08:09.123456', '2024-05-06T07:08:09.123Z');
    expect(normaliseValue('datetime', '2024-05-06 07:08:09.123400')).toBe(normaliseValue('datetime', '2024-05-06T09:08:09.1234+02:00'));
    differ('datetime', '2024-02-30 00:00:00', '2024-03-01 00:00:00');
    differ('datetime', '2024-01-01 24:00:00', '2024-01-02 00:00:00');
    differ('datetime', 1714979289000.5, 1714979289000);
    // null, empty and zero; case and whitespace; a number and its digits in a text field
    for (const kind of ['int', 'double', 'boolean', 'varchar', 'datetime'] as const) {
      differ(kind, null, '');
      differ(kind, '', 0);
      differ(kind, null, 0);
    }
    differ('varchar', 'Ab', 'ab');
    differ('varchar', 'a b', 'a  b');
    differ('varchar', '5', 5);
    differ('string', '5', 5);
  });
});
