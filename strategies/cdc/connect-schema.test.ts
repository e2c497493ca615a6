// The index mapping and document the Confluent sink derives from a record's Connect schema
// (schema.ignore=false): Connect's logical types by name, Debezium's by their physical type.
import { describe, expect, it } from 'vitest';
import { decodeDecimal, inferMapping, preprocessValue, type ConnectSchema } from './connect-schema.ts';

const row: ConnectSchema = {
  type: 'struct',
  name: 'p.db.t.Value',
  optional: true,
  field: 'after',
  fields: [
    { type: 'int64', optional: false, field: 'id' },
    { type: 'string', optional: true, field: 'name' },
    { type: 'int16', optional: false, default: 0, field: 'active' },
    { type: 'int64', optional: true, name: 'io.debezium.time.Timestamp', version: 1, field: 'created' } as ConnectSchema,
    { type: 'int64', optional: true, name: 'io.debezium.time.MicroTimestamp', field: 'precise' },
    { type: 'int32', optional: true, name: 'io.debezium.time.Date', field: 'day' },
    { type: 'string', optional: true, name: 'io.debezium.time.ZonedTimestamp', field: 'zoned' },
    { type: 'int64', optional: true, name: 'org.apache.kafka.connect.data.Timestamp', field: 'stamp' },
    { type: 'int32', optional: true, name: 'org.apache.kafka.connect.data.Date', field: 'birthday' },
    { type: 'bytes', optional: true, name: 'org.apache.kafka.connect.data.Decimal', parameters: { scale: '2', 'connect.decimal.precision': '10' }, field: 'price' },
    {
      type: 'struct',
      optional: true,
      name: 'io.debezium.data.VariableScaleDecimal',
      field: 'amount',
      fields: [
        { type: 'int32', optional: false, field: 'scale' },
        { type: 'bytes', optional: false, field: 'value' },
      ],
    },
    { type: 'double', optional: true, field: 'ratio' },
  ],
};

describe('the mapping the Confluent sink infers from a Connect schema', () => {
  it("maps Connect's logical types by name and Debezium's by their physical type", () => {
    expect(inferMapping(row)).toEqual({
      properties: {
        id: { type: 'long' },
        name: { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } },
        active: { type: 'short', null_value: 0 },
        created: { type: 'long' },
        precise: { type: 'long' },
        day: { type: 'integer' },
        zoned: { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } },
        stamp: { type: 'date' },
        birthday: { type: 'date' },
        price: { type: 'double' },
        amount: { properties: { scale: { type: 'integer' }, value: { type: 'binary' } } },
        ratio: { type: 'double' },
      },
    });
  });
});

describe('the document it writes', () => {
  it('decodes Decimals from base64 two’s complement, keeps the rest, fills defaults', () => {
    expect(decodeDecimal(Buffer.from([0x30, 0x39]).toString('base64'), { type: 'bytes', parameters: { scale: '2' } })).toBe(123.45);
    expect(decodeDecimal(Buffer.from([0xff, 0x85]).toString('base64'), { type: 'bytes', parameters: { scale: '1' } })).toBe(-12.3);
    const value = preprocessValue({ id: 1, name: null, active: null, created: 1_700_000_000_000, price: 'MDk=', ratio: 0.5 }, row) as Record<string, unknown>;
    expect(value).toMatchObject({ id: 1, name: null, active: 0, created: 1_700_000_000_000, price: 123.45, ratio: 0.5 });
  });

  it('refuses a null in a required field without a default', () => {
    expect(() => preprocessValue({ id: null }, row)).toThrow(/field id that is required/);
  });
});
