// What the sink does with one transformed record, by the sink document's rules: index the
// projected document, delete it, skip it, or reject it to the dead-letter topic. `write.method`
// insert and upsert both become an index of the whole document with an external version: the
// Confluent connector's upsert (a partial-document update) cannot carry an external version, and
// with `binlog_row_image=FULL` the after-image is the whole row, so replacing the document holds
// exactly what a merge would. Versions come from the binlog position, or from the version column
// the scenario names. Null values, ids and the document follow the connector's DataConverter. Pure.
import type { Entity } from '../../harness/scenario/schema.ts';
import { projectRow, type Row } from '../../harness/scenario/projection.ts';
import { binlogVersion } from './binlog-position.ts';
import { inferMapping, preprocessValue, type ConnectSchema } from './connect-schema.ts';
import { InvalidRecordError, type SinkRecord } from './record-transforms.ts';
import type { SinkSettings } from './sink-config.ts';

export type SinkAction =
  | { kind: 'index'; id: string; doc: Record<string, unknown>; version?: number }
  | { kind: 'delete'; id: string; version?: number }
  | { kind: 'skip'; reason: 'null-ignored' | 'null-key' }
  | { kind: 'invalid'; reason: string; stage: 'framework' | 'connector' };

export interface ActionContext {
  /** key.ignore and schema.ignore as they apply to the sink's topic (topic.key.ignore / topic.schema.ignore resolved). */
  settings: Pick<SinkSettings, 'keyIgnore' | 'nullValues'> & { schemaIgnore?: boolean };
  entity: Entity;
  /** Version documents by this column instead of the binlog position. */
  versionColumn?: string;
}

function versionOf(record: SinkRecord, context: ActionContext, deleting: boolean): number | undefined {
  const column = context.versionColumn;
  if (column !== undefined) {
    // A delete must outrank the last version the row had.
    const row = deleting ? record.deletedRow : (record.value as Record<string, unknown>);
    const value = Number(row?.[column]);
    return Number.isSafeInteger(value) ? value + (deleting ? 1 : 0) : undefined;
  }
  return record.position ? binlogVersion(record.position) : undefined;
}

const invalid = (reason: string): SinkAction => ({ kind: 'invalid', reason, stage: 'connector' });

/** The document id from the key, as the connector's convertKey: integers and strings only. */
function documentId(key: unknown): string | SinkAction {
  if (key === null || key === undefined) return invalid('key is used as document id and can not be null (key.ignore=false)');
  if (typeof key === 'object') return invalid('key is a struct; with key.ignore=false the key must be an integer or a string (ExtractField$Key)');
  if (typeof key === 'number' && !Number.isInteger(key)) return invalid('key is a floating-point number, not supported as the document id');
  if (typeof key === 'boolean') return invalid('key is a boolean, not supported as the document id');
  const id = typeof key === 'string' ? key : typeof key === 'number' || typeof key === 'bigint' ? key.toString() : JSON.stringify(key);
  return id === '' ? invalid('key is used as document id and can not be empty') : id;
}

/**
 * The document: with schema.ignore=true the row canonicalised through the projection (the index's
 * mapping comes from the entity); with schema.ignore=false the payload as the connector writes it
 * with its schema (Decimals as doubles, defaults for nulls), fields renamed and dropped by the
 * projection, computed fields added.
 */
function documentOf(record: SinkRecord, context: ActionContext): Record<string, unknown> {
  const row = record.value as Record<string, unknown>;
  const canonical = projectRow(context.entity, row as Row) as Record<string, unknown>;
  let doc: Record<string, unknown>;
  if (context.settings.schemaIgnore === false) {
    if (record.valueSchema === null) throw new InvalidRecordError('cannot infer mapping without schema (schema.ignore=false)');
    const raw = preprocessValue(row, record.valueSchema) as Record<string, unknown>;
    doc = projectFields(context.entity, raw);
    for (const name of Object.keys(context.entity.projection.computed)) doc[name] = canonical[name];
  } else {
    doc = { ...canonical };
  }
  if ('__deleted' in row) doc.__deleted = row.__deleted;
  return doc;
}

export function actionFor(record: SinkRecord, context: ActionContext): SinkAction {
  const { settings } = context;
  if (record.value === null) {
    if (settings.nullValues === 'ignore') return { kind: 'skip', reason: 'null-ignored' };
    if (settings.nullValues === 'fail') return invalid('null value with behavior.on.null.values=fail');
    // delete: a null key names no document, so there is nothing to delete (the connector skips it).
    if (record.key === null || record.key === undefined) return { kind: 'skip', reason: 'null-key' };
  }
  let id: string;
  if (settings.keyIgnore) {
    id = `${record.topic}+${record.partition}+${record.offset}`;
  } else {
    const converted = documentId(record.key);
    if (typeof converted !== 'string') return converted;
    id = converted;
  }
  if (record.value === null) {
    // With key.ignore the id is this record's own topic+partition+offset: deleted unversioned, as the connector does (it finds nothing).
    if (settings.keyIgnore) return { kind: 'delete', id };
    const version = versionOf(record, context, true);
    return version === undefined ? { kind: 'delete', id } : { kind: 'delete', id, version };
  }
  if (typeof record.value !== 'object' || Array.isArray(record.value)) return invalid('value is not a struct');
  if ((record.value as Record<string, unknown>).id === undefined) return invalid('value has no id field');
  let doc: Record<string, unknown>;
  try {
    doc = documentOf(record, context);
  } catch (error) {
    if (error instanceof InvalidRecordError) return invalid(error.message);
    throw error;
  }
  if (settings.keyIgnore) return { kind: 'index', id, doc };
  const version = versionOf(record, context, false);
  return version === undefined ? { kind: 'index', id, doc } : { kind: 'index', id, doc, version };
}

/** The index mapping for schema.ignore=false: the Connect schema's, renamed and dropped by the projection. */
export function mappingFor(schema: ConnectSchema, entity: Entity): Record<string, unknown> {
  const inferred = inferMapping(schema) as { properties?: Record<string, unknown> };
  return { properties: projectFields(entity, inferred.properties ?? {}) };
}

/** Fields keyed by column name, renamed and dropped as the projection says (other fields kept). */
function projectFields<T>(entity: Entity, fields: Record<string, T>): Record<string, T> {
  const { rename, drop } = entity.projection;
  const out: Record<string, T> = {};
  for (const [name, value] of Object.entries(fields)) if (!drop.includes(name)) out[rename[name] ?? name] = value;
  return out;
}
