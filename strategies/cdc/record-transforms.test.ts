// The sink's transforms and actions on Debezium change events: the seed's chain (ExtractField$Key
// on id, ExtractNewRecordState keeping tombstones, upsert, delete on null) and its alternatives.
import { describe, expect, it } from 'vitest';
import type { Entity } from '../../harness/scenario/schema.ts';
import { binlogVersion } from './binlog-position.ts';
import { applyTransforms, decodeJson, InvalidRecordError, pairTombstone, toSinkRecord, type SinkRecord } from './record-transforms.ts';
import { actionFor } from './sink-actions.ts';
import type { TransformSpec } from './sink-config.ts';

const entity: Entity = {
  table: 't',
  columns: { name: { type: 'varchar', length: 20, nullable: false }, active: { type: 'boolean', nullable: false } },
  projection: { rename: {}, drop: [], computed: {} },
};
const seedChain: TransformSpec[] = [
  { alias: 'extractKey', kind: 'extract-field', on: 'key', field: 'id' },
  { alias: 'unwrap', kind: 'unwrap', dropTombstones: false, deletes: 'drop' },
];
const seedSink = { keyIgnore: false, nullValues: 'delete' as const };

const source = (pos: number, row = 0) => ({ connector: 'mariadb', file: 'mysql-bin.000004', pos, row, snapshot: 'false' });
const message = (offset: number, key: unknown, value: unknown) => ({
  topic: 'p.db.t',
  partition: 0,
  offset: String(offset),
  key: Buffer.from(JSON.stringify({ schema: { type: 'struct' }, payload: key })),
  value: value === null ? null : Buffer.from(JSON.stringify({ schema: { type: 'struct' }, payload: value })),
});
const record = (offset: number, key: unknown, value: unknown): SinkRecord => toSinkRecord(message(offset, key, value), { key: true, value: true });

describe('decoding', () => {
  it('unwraps the JSON converter schema envelope, or reads plain JSON', () => {
    expect(decodeJson(Buffer.from('{"schema":{},"payload":{"id":1}}'), true, 'key')).toEqual({ id: 1 });
    expect(decodeJson(Buffer.from('{"id":1}'), false, 'key')).toEqual({ id: 1 });
    expect(decodeJson(null, true, 'value')).toBeNull();
    expect(() => decodeJson(Buffer.from('{"id":1}'), true, 'key')).toThrow(InvalidRecordError);
    expect(() => decodeJson(Buffer.from('nope'), false, 'value')).toThrow(/not JSON/);
  });

  it('reads the binlog position from the envelope', () => {
    expect(record(0, { id: 1 }, { op: 'c', after: { id: 1 }, source: source(500, 2) }).position).toEqual({ file: 'mysql-bin.000004', pos: 500, row: 2 });
  });
});

describe("the seed's sink chain", () => {
  const run = (r: SinkRecord) => {
    const out = applyTransforms(r, seedChain);
    return out === null ? null : actionFor(out, { settings: seedSink, entity });
  };

  it('indexes the after-image under the key id with the binlog version', () => {
    const action = run(record(0, { id: 7 }, { op: 'u', before: { id: 7, version: 1, name: 'a', active: 0 }, after: { id: 7, version: 2, name: 'b', active: 1 }, source: source(900) }));
    expect(action).toEqual({ kind: 'index', id: '7', doc: { id: 7, version: 2, name: 'b', active: true }, version: binlogVersion({ file: 'mysql-bin.000004', pos: 900, row: 0 }) });
  });

  it('drops the delete event and deletes on its tombstone, versioned by the delete event', () => {
    const deleteEvent = record(1, { id: 7 }, { op: 'd', before: { id: 7, version: 2, name: 'b', active: 1 }, after: null, source: source(1200, 0) });
    expect(run(deleteEvent)).toBeNull();
    const tombstone = pairTombstone(deleteEvent, record(2, { id: 7 }, null));
    expect(run(tombstone)).toEqual({ kind: 'delete', id: '7', version: binlogVersion({ file: 'mysql-bin.000004', pos: 1200, row: 0 }) });
  });

  it('does not pair a tombstone with a delete of another key', () => {
    const deleteEvent = record(1, { id: 8 }, { op: 'd', before: { id: 8 }, after: null, source: source(1200) });
    expect(pairTombstone(deleteEvent, record(2, { id: 7 }, null)).position).toBeNull();
  });

  it('orders a snapshot read below the first change streamed after it', () => {
    const read = run(record(0, { id: 1 }, { op: 'r', after: { id: 1, version: 1, name: 'a', active: 0 }, source: { ...source(1000), snapshot: 'last' } }));
    const update = run(record(1, { id: 1 }, { op: 'u', after: { id: 1, version: 2, name: 'b', active: 0 }, source: source(1164) }));
    expect((read as { version: number }).version).toBeLessThan((update as { version: number }).version);
  });
});

describe('alternatives the sink document may choose', () => {
  const deleteEvent = record(1, { id: 7 }, { op: 'd', before: { id: 7, version: 2, name: 'b', active: 1 }, after: null, source: source(1200) });

  it('drops tombstones by default (drop.tombstones=true)', () => {
    expect(applyTransforms(record(2, { id: 7 }, null), [{ alias: 'u', kind: 'unwrap', dropTombstones: true, deletes: 'drop' }])).toBeNull();
  });

  it('rewrites a delete as the before-image marked __deleted', () => {
    const out = applyTransforms(deleteEvent, [{ alias: 'u', kind: 'unwrap', dropTombstones: true, deletes: 'rewrite' }]);
    expect(out?.value).toEqual({ id: 7, version: 2, name: 'b', active: 1, __deleted: 'true' });
  });

  it('turns a delete into a versioned null with delete.tombstone.handling.mode=tombstone', () => {
    const out = applyTransforms(deleteEvent, [
      { alias: 'k', kind: 'extract-field', on: 'key', field: 'id' },
      { alias: 'u', kind: 'unwrap', dropTombstones: true, deletes: 'tombstone' },
    ])!;
    expect(actionFor(out, { settings: seedSink, entity })).toEqual({ kind: 'delete', id: '7', version: binlogVersion({ file: 'mysql-bin.000004', pos: 1200, row: 0 }) });
  });

  it('ignores or rejects null values as behavior.on.null.values says', () => {
    const tombstone = { ...record(2, 7, null), key: 7 };
    expect(actionFor(tombstone, { settings: { keyIgnore: false, nullValues: 'ignore' }, entity })).toEqual({ kind: 'skip', reason: 'null-ignored' });
    expect(actionFor(tombstone, { settings: { keyIgnore: false, nullValues: 'fail' }, entity }).kind).toBe('invalid');
  });

  it('uses topic+partition+offset as id and no version with key.ignore=true', () => {
    const out = applyTransforms(record(5, { id: 7 }, { op: 'c', after: { id: 7, version: 1, name: 'a', active: 0 }, source: source(10) }), seedChain)!;
    expect(actionFor(out, { settings: { keyIgnore: true, nullValues: 'delete' }, entity })).toMatchObject({ kind: 'index', id: 'p.db.t+0+5' });
    expect(actionFor(out, { settings: { keyIgnore: true, nullValues: 'delete' }, entity })).not.toHaveProperty('version');
  });

  it('versions by a column when the scenario names one; a delete outranks the deleted row', () => {
    const out = applyTransforms(record(0, { id: 7 }, { op: 'u', after: { id: 7, version: 5, name: 'a', active: 0 }, source: source(10) }), seedChain)!;
    expect(actionFor(out, { settings: seedSink, entity, versionColumn: 'version' })).toMatchObject({ version: 5 });
    const tombstone = pairTombstone(deleteEvent, record(2, { id: 7 }, null));
    expect(actionFor(applyTransforms(tombstone, seedChain)!, { settings: seedSink, entity, versionColumn: 'version' })).toEqual({ kind: 'delete', id: '7', version: 3 });
  });

  it('rejects a struct key as a document id', () => {
    const out = applyTransforms(record(0, { id: 7 }, { op: 'c', after: { id: 7, version: 1, name: 'a', active: 0 }, source: source(10) }), [{ alias: 'u', kind: 'unwrap', dropTombstones: true, deletes: 'drop' }])!;
    expect(actionFor(out, { settings: seedSink, entity })).toMatchObject({ kind: 'invalid' });
  });

  it('passes a non-envelope value through ExtractNewRecordState unchanged', () => {
    const r = record(0, { id: 1 }, { ddl: 'CREATE TABLE t' });
    expect(applyTransforms(r, [{ alias: 'u', kind: 'unwrap', dropTombstones: true, deletes: 'drop' }])).toEqual(r);
  });
});
