// A record's Kafka Connect schema (as the JSON converter writes it beside the payload) turned into an
// index mapping and a document the way the Confluent Elasticsearch sink does with
// `schema.ignore=false`: Connect's own logical types Date, Time and Timestamp become `date` and
// Decimal becomes `double` (its value decoded from the converter's base64 bytes); every other named
// type — Debezium's io.debezium.time.Timestamp, MicroTimestamp, Date, ZonedTimestamp,
// VariableScaleDecimal, … — is unknown to the connector and mapped by its physical type (int64 →
// long, int32 → integer, string → text with a keyword sub-field, struct → object). A field's default
// becomes `null_value`, except for text and binary. Pure.
import { InvalidRecordError } from './record-transforms.ts';

export interface ConnectSchema {
  type: string;
  name?: string;
  optional?: boolean;
  default?: unknown;
  field?: string;
  fields?: ConnectSchema[];
  items?: ConnectSchema;
  keys?: ConnectSchema;
  values?: ConnectSchema;
  parameters?: Record<string, string>;
}

const CONNECT_DATE = 'org.apache.kafka.connect.data.Date';
const CONNECT_TIME = 'org.apache.kafka.connect.data.Time';
const CONNECT_TIMESTAMP = 'org.apache.kafka.connect.data.Timestamp';
const CONNECT_DECIMAL = 'org.apache.kafka.connect.data.Decimal';

const PRIMITIVES: Record<string, string> = {
  boolean: 'boolean',
  int8: 'byte',
  int16: 'short',
  int32: 'integer',
  int64: 'long',
  // The JSON converter spells FLOAT32 and FLOAT64 "float" and "double".
  float: 'float',
  double: 'double',
  string: 'text',
  bytes: 'binary',
};

function primitive(type: string, schema: ConnectSchema): Record<string, unknown> {
  const mapping: Record<string, unknown> = { type };
  if (type === 'text') mapping.fields = { keyword: { type: 'keyword', ignore_above: 256 } };
  if (schema.default !== undefined && schema.default !== null && type !== 'text' && type !== 'binary') {
    mapping.null_value = type === 'double' && schema.name === CONNECT_DECIMAL ? decodeDecimal(schema.default, schema) : schema.default;
  }
  return mapping;
}

/** The mapping the Confluent connector infers for one schema (a struct gives `{ properties }`). */
export function inferMapping(schema: ConnectSchema): Record<string, unknown> {
  switch (schema.name) {
    case CONNECT_DATE:
    case CONNECT_TIME:
    case CONNECT_TIMESTAMP:
      return primitive('date', schema);
    case CONNECT_DECIMAL:
      return primitive('double', schema);
  }
  switch (schema.type) {
    case 'array':
      return inferMapping(schema.items!);
    case 'map':
      return { properties: { key: inferMapping(schema.keys!), value: inferMapping(schema.values!) } };
    case 'struct':
      return { properties: Object.fromEntries((schema.fields ?? []).map((field) => [field.field!, inferMapping(field)])) };
  }
  const type = PRIMITIVES[schema.type];
  if (type === undefined) throw new InvalidRecordError(`schema type ${schema.type} has no index mapping`);
  return primitive(type, schema);
}

/** Connect's Decimal: base64 big-endian two's-complement unscaled value, `scale` in the parameters. */
export function decodeDecimal(value: unknown, schema: ConnectSchema): number {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') throw new InvalidRecordError(`Decimal ${schema.field ?? ''}: expected base64 bytes`);
  const bytes = Buffer.from(value, 'base64');
  let unscaled = 0n;
  for (const byte of bytes) unscaled = (unscaled << 8n) | BigInt(byte);
  if (bytes.length > 0 && (bytes[0]! & 0x80) !== 0) unscaled -= 1n << BigInt(bytes.length * 8);
  const scale = Number(schema.parameters?.scale ?? 0);
  return Number(unscaled) / 10 ** scale;
}

/**
 * A payload as the connector writes it with its schema: Decimals as doubles, a null replaced by
 * the field's default, a null in a required field without one an invalid record.
 */
export function preprocessValue(value: unknown, schema: ConnectSchema): unknown {
  if (value === null || value === undefined) {
    if (schema.default !== undefined && schema.default !== null) return preprocessValue(schema.default, schema);
    if (schema.optional) return null;
    throw new InvalidRecordError(`null value for field ${schema.field ?? '(value)'} that is required and has no default value`);
  }
  if (schema.name === CONNECT_DECIMAL) return decodeDecimal(value, schema);
  if (schema.type === 'struct' && typeof value === 'object') {
    const struct = value as Record<string, unknown>;
    return Object.fromEntries((schema.fields ?? []).map((field) => [field.field!, preprocessValue(struct[field.field!], field)]));
  }
  if (schema.type === 'array' && Array.isArray(value)) return value.map((item) => preprocessValue(item, schema.items!));
  if (schema.type === 'map' && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, preprocessValue(item, schema.values!)]));
  }
  return value;
}

/** The schema of one field of a struct schema, or null. */
export function fieldSchema(schema: ConnectSchema | null | undefined, field: string): ConnectSchema | null {
  return schema?.type === 'struct' ? (schema.fields ?? []).find((f) => f.field === field) ?? null : null;
}
