// A change event from Kafka as the sink sees it, and the single message transforms the sink
// document names, applied in its order: ExtractField$Key / $Value (keep one field of the key or
// value), RegexRouter (rename the record's topic) and Debezium's ExtractNewRecordState (replace
// the envelope by the row after the change, with its delete and tombstone handling, legacy and
// 2.5+ spellings). The value's Connect schema
// travels with it and is transformed alike (schema.ignore=false maps the index from it). Pure: the
// semantics follow Debezium's and Kafka's SMTs; a transform returns null when it drops the record.
import { ConvergeError } from '../../harness/errors.ts';
import { sourcePosition, type BinlogPosition } from './binlog-position.ts';
import { fieldSchema, type ConnectSchema } from './connect-schema.ts';
import { javaMatches, javaReplaceFirst } from './java-regex.ts';
import type { TransformSpec } from './sink-config.ts';

export interface SinkRecord {
  topic: string;
  partition: number;
  offset: string;
  /** The key's payload (the schema envelope removed), null when absent. */
  key: unknown;
  /** The value's payload: a Debezium envelope before unwrapping; null for a tombstone. */
  value: unknown;
  /** The value's Connect schema (absent when the converter writes none), transformed with the value. */
  valueSchema: ConnectSchema | null;
  /** Binlog position of the change; for a tombstone, the position of the delete event it follows. */
  position: BinlogPosition | null;
  /** For a tombstone paired with its delete event: the row that was deleted. */
  deletedRow?: Record<string, unknown> | null;
}

/**
 * A record the sink cannot use. `stage` says who meets the problem in Kafka Connect: the framework
 * (converter, transforms: `errors.tolerance` applies) or the connector (turning it into a request:
 * `drop.invalid.message` applies).
 */
export class InvalidRecordError extends ConvergeError {
  constructor(
    message: string,
    readonly stage: 'framework' | 'connector' = 'connector',
  ) {
    super(message, { definite: true, retriable: false });
  }
}

/** The JSON converter's decoding: `{schema, payload}` → payload when schemas are enabled. */
export function decodeJson(bytes: Buffer | null, schemas: boolean, what: 'key' | 'value'): unknown {
  return decodeWithSchema(bytes, schemas, what).payload;
}

/** The JSON converter's decoding, the schema kept: `{schema, payload}` when schemas are enabled. */
export function decodeWithSchema(bytes: Buffer | null, schemas: boolean, what: 'key' | 'value'): { payload: unknown; schema: ConnectSchema | null } {
  if (bytes === null || bytes.length === 0) return { payload: null, schema: null };
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new InvalidRecordError(`${what} is not JSON: ${(error as Error).message}`, 'framework');
  }
  if (!schemas || parsed === null) return { payload: parsed, schema: null };
  if (typeof parsed !== 'object' || !('payload' in parsed) || !('schema' in parsed)) {
    throw new InvalidRecordError(`${what}: JsonConverter with schemas.enable requires "schema" and "payload" fields`, 'framework');
  }
  const { payload, schema } = parsed as { payload: unknown; schema: ConnectSchema | null };
  return { payload, schema };
}

interface Envelope {
  op: string;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  source?: unknown;
}

export function asEnvelope(value: unknown): Envelope | null {
  if (typeof value !== 'object' || value === null || typeof (value as { op?: unknown }).op !== 'string') return null;
  return value as Envelope;
}

/** The record for a Kafka message: key and value decoded, the binlog position read from the envelope. */
export function toSinkRecord(
  message: { topic: string; partition: number; offset: string; key: Buffer | null; value: Buffer | null },
  schemas: { key: boolean; value: boolean },
  decode: (bytes: Buffer | null, schemas: boolean, what: 'key' | 'value') => { payload: unknown; schema: ConnectSchema | null } = decodeWithSchema,
): SinkRecord {
  const key = decode(message.key, schemas.key, 'key').payload;
  const { payload: value, schema: valueSchema } = decode(message.value, schemas.value, 'value');
  const envelope = asEnvelope(value);
  return { topic: message.topic, partition: message.partition, offset: message.offset, key, value, valueSchema, position: envelope ? sourcePosition(envelope.source) : null };
}

function extractField(record: SinkRecord, on: 'key' | 'value', field: string): SinkRecord {
  const target = on === 'key' ? record.key : record.value;
  // Kafka's ExtractField passes a null key/value through (a tombstone keeps its null value).
  if (target === null) return record;
  if (typeof target !== 'object' || Array.isArray(target)) throw new InvalidRecordError(`ExtractField$${on === 'key' ? 'Key' : 'Value'}: ${on} is not a struct`, 'framework');
  const extracted = (target as Record<string, unknown>)[field] ?? null;
  return on === 'key' ? { ...record, key: extracted } : { ...record, value: extracted, valueSchema: fieldSchema(record.valueSchema, field) };
}

function unwrap(record: SinkRecord, spec: Extract<TransformSpec, { kind: 'unwrap' }>): SinkRecord | null {
  if (record.value === null) return spec.dropTombstones ? null : record;
  const envelope = asEnvelope(record.value);
  // Not an envelope (a schema change, a heartbeat): passed on unchanged, as Debezium does.
  if (!envelope) return record;
  const rewrite = spec.deletes === 'rewrite' || spec.deletes === 'rewrite-with-tombstone';
  // The row's schema: the envelope's `after` field, with Debezium's `__deleted` added when rewriting.
  const rowSchema = fieldSchema(record.valueSchema, 'after');
  const schema = rowSchema && rewrite ? { ...rowSchema, fields: [...(rowSchema.fields ?? []), { type: 'string', optional: true, field: '__deleted' }] } : rowSchema;
  if (envelope.op === 'd') {
    switch (spec.deletes) {
      case 'drop':
        return null;
      case 'none':
      case 'tombstone':
        return { ...record, value: null, valueSchema: null, deletedRow: envelope.before ?? null };
      default:
        return { ...record, value: { ...(envelope.before ?? {}), __deleted: 'true' }, valueSchema: schema };
    }
  }
  const after = envelope.after ?? null;
  if (after === null) return { ...record, value: null, valueSchema: null };
  return { ...record, value: rewrite ? { ...after, __deleted: 'false' } : after, valueSchema: schema };
}

/** Apply the transforms in order; null when one of them dropped the record. */
export function applyTransforms(record: SinkRecord, transforms: readonly TransformSpec[]): SinkRecord | null {
  let current: SinkRecord | null = record;
  for (const spec of transforms) {
    if (current === null) return null;
    if (spec.kind === 'route') current = javaMatches(spec.pattern, current.topic) ? { ...current, topic: javaReplaceFirst(spec.pattern, current.topic, spec.replacement, spec.alias) } : current;
    else current = spec.kind === 'extract-field' ? extractField(current, spec.on, spec.field) : unwrap(current, spec);
  }
  return current;
}

/**
 * Debezium emits a delete event and then a tombstone for the same key. A tombstone carries no
 * source block, so it borrows the binlog position (and the deleted row) of the delete event right
 * before it: a delete applied from the tombstone is versioned like every other change.
 */
export function pairTombstone(previous: SinkRecord | null, tombstone: SinkRecord): SinkRecord {
  if (tombstone.value !== null || previous === null) return tombstone;
  const envelope = asEnvelope(previous.value);
  if (!envelope || envelope.op !== 'd' || JSON.stringify(previous.key) !== JSON.stringify(tombstone.key)) return tombstone;
  return { ...tombstone, position: previous.position, deletedRow: envelope.before ?? null };
}

/** True for a delete event (whose tombstone is still to come, when the source emits tombstones). */
export function isDeleteEvent(record: SinkRecord): boolean {
  return asEnvelope(record.value)?.op === 'd';
}
