// The search index's mapping for an entity's projected documents: each field typed from its
// column (or computed kind), or from the column's `indexType` when it declares one; `id` and
// `version` as longs (the scan sorts on `id`), datetimes in MySQL's text form.
import { docFieldKinds } from '../scenario/projection.ts';
import type { Entity } from '../scenario/schema.ts';
import type { FieldKind } from '../scenario/values.ts';

const FIELD_TYPES: Record<FieldKind, Record<string, unknown> | undefined> = {
  int: { type: 'long' },
  bigint: { type: 'long' },
  double: { type: 'double' },
  number: { type: 'double' },
  boolean: { type: 'boolean' },
  varchar: { type: 'keyword' },
  string: { type: 'keyword' },
  text: { type: 'text' },
  datetime: { type: 'date', format: 'yyyy-MM-dd HH:mm:ss||strict_date_optional_time||epoch_millis' },
  any: undefined,
};

export function indexMappings(entity: Entity): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const [field, kind] of docFieldKinds(entity)) {
    const mapping = FIELD_TYPES[kind];
    if (mapping) properties[field] = mapping;
  }
  const { rename, drop } = entity.projection;
  for (const [name, column] of Object.entries(entity.columns)) {
    if ('indexType' in column && column.indexType !== undefined && !drop.includes(name)) properties[rename[name] ?? name] = { type: column.indexType };
  }
  return { properties };
}

/** Index settings for a single-node test engine: one shard, no replicas, a fast refresh. */
export const INDEX_SETTINGS = { number_of_shards: 1, number_of_replicas: 0, refresh_interval: '1s' };
