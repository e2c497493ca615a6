import { describe, expect, it } from 'vitest';
import { JsonConverterDecoder } from './json-converter-decoder.ts';
import { decodeWithSchema, InvalidRecordError } from './record-transforms.ts';

const schema = { type: 'struct', name: 'cv.Envelope', optional: false, fields: [{ field: 'id', type: 'int64', optional: false }] };
const bytes = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('JsonConverterDecoder', () => {
  it('gives exactly what the full decode gives, parsing a known schema once', () => {
    const decoder = new JsonConverterDecoder();
    const messages = [1, 2, 3].map((id) => bytes({ schema, payload: { id, name: `n${id}`, nested: { a: [id] } } }));
    for (const message of messages) {
      const decoded = decoder.decode(message, true, 'value');
      expect({ payload: decoded.payload, schema: decoded.schema }).toEqual(decodeWithSchema(message, true, 'value'));
    }
    expect(decoder.misses).toBe(1);
    expect(decoder.hits).toBe(2);
    expect(decoder.decode(messages[1]!, true, 'value').payloadBytes).toBe(JSON.stringify({ id: 2, name: 'n2', nested: { a: [2] } }).length);
  });

  it('decodes another schema in full, and a null payload, a tombstone and bytes after the payload correctly', () => {
    const decoder = new JsonConverterDecoder();
    decoder.decode(bytes({ schema, payload: { id: 1 } }), true, 'value');
    const other = { ...schema, name: 'cv.Other' };
    expect(decoder.decode(bytes({ schema: other, payload: { id: 2 } }), true, 'value')).toMatchObject({ schema: other, payload: { id: 2 } });
    expect(decoder.decode(bytes({ schema: other, payload: null }), true, 'value').payload).toBeNull();
    expect(decoder.decode(null, true, 'value')).toMatchObject({ payload: null, schema: null });
    // Same schema prefix, then a field after the payload: not `P}`, so decoded in full.
    const extra = Buffer.from(`{"schema":${JSON.stringify(other)},"payload":{"id":3},"x":1}`);
    expect(decoder.decode(extra, true, 'value').payload).toEqual({ id: 3 });
  });

  it('refuses what the converter refuses, whatever it has cached', () => {
    const decoder = new JsonConverterDecoder();
    decoder.decode(bytes({ schema, payload: { id: 1 } }), true, 'value');
    expect(() => decoder.decode(Buffer.from(`{"schema":${JSON.stringify(schema)},"payload":{"id":}`), true, 'value')).toThrow(InvalidRecordError);
    expect(() => decoder.decode(bytes({ id: 1 }), true, 'value')).toThrow(/requires "schema" and "payload"/);
    expect(decoder.decode(bytes({ id: 1 }), false, 'value')).toMatchObject({ payload: { id: 1 }, schema: null });
  });
});
