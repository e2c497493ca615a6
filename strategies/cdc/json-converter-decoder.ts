// Kafka's JsonConverter decoding (schemas.enable=true), made cheap for a stream of records of one
// table: every value is `{"schema":S,"payload":P}` with the same S, which is most of the bytes. Once a
// record's S is known, a later record whose bytes begin with exactly `{"schema":S,"payload":` (byte
// for byte: S is a complete JSON value, so a matching prefix is the same schema) has only P parsed.
// Anything else — another schema, extra fields, whitespace, invalid JSON — takes the full decode,
// so the result is always what decodeWithSchema gives; the cache only skips re-parsing S.
import type { ConnectSchema } from './connect-schema.ts';
import { decodeWithSchema } from './record-transforms.ts';

const CLOSING_BRACE = 0x7d;

export interface DecodedValue {
  payload: unknown;
  schema: ConnectSchema | null;
  /** The payload's JSON length in bytes when it was read without its schema; null otherwise. */
  payloadBytes: number | null;
}

export class JsonConverterDecoder {
  private prefix: Buffer | null = null;
  private schema: ConnectSchema | null = null;
  /** Records whose schema was recognised, and records fully decoded. */
  hits = 0;
  misses = 0;

  decode(bytes: Buffer | null, schemas: boolean, what: 'key' | 'value'): DecodedValue {
    const prefix = this.prefix;
    if (bytes !== null && schemas && prefix !== null && bytes.length > prefix.length && bytes[bytes.length - 1] === CLOSING_BRACE && bytes.compare(prefix, 0, prefix.length, 0, prefix.length) === 0) {
      const body = bytes.subarray(prefix.length, bytes.length - 1);
      try {
        const payload: unknown = JSON.parse(body.toString('utf8'));
        this.hits++;
        return { payload, schema: this.schema, payloadBytes: body.length };
      } catch {
        // not `P}`: decoded in full below, which says what is wrong
      }
    }
    this.misses++;
    const decoded = decodeWithSchema(bytes, schemas, what);
    if (bytes !== null && schemas && decoded.schema !== null) {
      const candidate = Buffer.from(`{"schema":${JSON.stringify(decoded.schema)},"payload":`, 'utf8');
      if (bytes.length > candidate.length && bytes.compare(candidate, 0, candidate.length, 0, candidate.length) === 0) {
        this.prefix = candidate;
        this.schema = decoded.schema;
      }
    }
    return { ...decoded, payloadBytes: null };
  }
}
