// What the sink does with one transformed record, as the Confluent connector's DataConverter does:
// null values and keys, key.ignore ids, and with schema.ignore=false the document and mapping from
// the record's Connect schema, through the scenario's projection.
import { describe, expect, it } from 'vitest';
import type { Entity } from '../../harness/scenario/schema.ts';
import type { ConnectSchema } from './connect-schema.ts';
import type { SinkRecord } from './record-transforms.ts';
import { actionFor, mappingFor } from './sink-actions.ts';

const entity: Entity = {
  table: 't',
  columns: {
    name: { type: 'varchar', length: 20, nullable: false },
    active: { type: 'boolean', nullable: false },
    updated_at: { type: 'datetime', nullable: false },
    secret: { type: 'text', nullable: true },
  },
  projection: { rename: { name: 'title' }, drop: ['secret'], computed: { shout: { upper: { col: 'name' } } } },
};
const schema: ConnectSchema = {
  type: 'struct',
  fields: [
    { type: 'int64', field: 'id' },
    { type: 'int64', field: 'version' },
    { type: 'string', field: 'name' },
    { type: 'int16', field: 'active' },
    { type: 'int64', name: 'io.debezium.time.Timestamp', field: 'updated_at' },
    { type: 'string', optional: true, field: 'secret' },
  ],
};
const row = { id: 7, version: 2, name: 'ann', active: 1, updated_at: 1_700_000_000_000, secret: 's' };
const record = (value: unknown, key: unknown = 7, valueSchema: ConnectSchema | null = schema): SinkRecord => ({ topic: 'orders', partition: 0, offset: '41', key, value, valueSchema, position: null });

describe('null values and keys', () => {
  it('skips a null value whose key is null (nothing to delete), as the connector does', () => {
    expect(actionFor(record(null, null, null), { settings: { keyIgnore: false, nullValues: 'delete' }, entity })).toEqual({ kind: 'skip', reason: 'null-key' });
  });

  it('deletes topic+partition+offset, unversioned, for a null value with key.ignore=true', () => {
    expect(actionFor(record(null, 7, null), { settings: { keyIgnore: true, nullValues: 'delete' }, entity })).toEqual({ kind: 'delete', id: 'orders+0+41' });
  });

  it('refuses floating-point, boolean and empty keys as document ids', () => {
    for (const key of [1.5, true, '']) expect(actionFor(record(row, key), { settings: { keyIgnore: false, nullValues: 'delete' }, entity })).toMatchObject({ kind: 'invalid', stage: 'connector' });
  });
});

describe('schema.ignore=false', () => {
  const settings = { keyIgnore: false, nullValues: 'delete' as const, schemaIgnore: false };

  it('writes the payload as the connector does (no canonical forms), renamed, dropped and computed by the projection', () => {
    expect(actionFor(record(row), { settings, entity })).toEqual({
      kind: 'index',
      id: '7',
      doc: { id: 7, version: 2, title: 'ann', active: 1, updated_at: 1_700_000_000_000, shout: 'ANN' },
    });
  });

  it('canonicalises for the entity’s own mapping when schema.ignore=true', () => {
    expect(actionFor(record(row), { settings: { ...settings, schemaIgnore: true }, entity })).toMatchObject({ doc: { active: true, updated_at: '2023-11-14T22:13:20.000Z' } });
  });

  it('refuses a record without a schema', () => {
    const action = actionFor(record(row, 7, null), { settings, entity });
    expect(action.kind === 'invalid' && action.reason).toMatch(/without schema/);
  });

  it('maps the index from the schema through the projection', () => {
    expect(mappingFor(schema, entity)).toEqual({
      properties: {
        id: { type: 'long' },
        version: { type: 'long' },
        title: { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } },
        active: { type: 'short' },
        updated_at: { type: 'long' },
      },
    });
  });
});
