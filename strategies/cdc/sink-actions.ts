// What the sink does with one transformed record, by the sink document's rules: index the
// projected document, delete it, skip it, or reject it to the dead-letter topic. `write.method`
// insert and upsert both become an index of the whole document with an external version: the
// Confluent connector's upsert (a partial-document update) cannot carry an external version, and
// with `binlog_row_image=FULL` the after-image is the whole row, so replacing the document holds
// exactly what a merge would. Versions come from the binlog position, or from the version column
// the scenario names. Pure.
import type { Entity } from '../../harness/scenario/schema.ts';
import { projectRow, type Row } from '../../harness/scenario/projection.ts';
import { binlogVersion } from './binlog-position.ts';
import type { SinkRecord } from './record-transforms.ts';
import type { SinkSettings } from './sink-config.ts';

export type SinkAction =
  | { kind: 'index'; id: string; doc: Record<string, unknown>; version?: number }
  | { kind: 'delete'; id: string; version?: number }
  | { kind: 'skip'; reason: 'null-ignored' }
  | { kind: 'invalid'; reason: string };

export interface ActionContext {
  settings: Pick<SinkSettings, 'keyIgnore' | 'nullValues'>;
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

export function actionFor(record: SinkRecord, context: ActionContext): SinkAction {
  const { settings } = context;
  let id: string;
  if (settings.keyIgnore) {
    id = `${record.topic}+${record.partition}+${record.offset}`;
  } else {
    if (record.key === null || record.key === undefined) return { kind: 'invalid', reason: 'key is null; with key.ignore=false the key is the document id' };
    if (typeof record.key === 'object') return { kind: 'invalid', reason: 'key is a struct; with key.ignore=false the key must be a primitive (ExtractField$Key)' };
    id = typeof record.key === 'string' ? record.key : JSON.stringify(record.key);
  }
  if (record.value === null) {
    if (settings.nullValues === 'ignore') return { kind: 'skip', reason: 'null-ignored' };
    if (settings.nullValues === 'fail') return { kind: 'invalid', reason: 'null value with behavior.on.null.values=fail' };
    if (settings.keyIgnore) return { kind: 'invalid', reason: 'null value with key.ignore=true: no document id to delete' };
    const version = versionOf(record, context, true);
    return version === undefined ? { kind: 'delete', id } : { kind: 'delete', id, version };
  }
  if (typeof record.value !== 'object' || Array.isArray(record.value)) return { kind: 'invalid', reason: 'value is not a struct' };
  const row = record.value as Record<string, unknown>;
  if (row.id === undefined) return { kind: 'invalid', reason: 'value has no id field' };
  const doc: Record<string, unknown> = { ...projectRow(context.entity, row as Row) };
  if ('__deleted' in row) doc.__deleted = row.__deleted;
  if (settings.keyIgnore) return { kind: 'index', id, doc };
  const version = versionOf(record, context, false);
  return version === undefined ? { kind: 'index', id, doc } : { kind: 'index', id, doc, version };
}
