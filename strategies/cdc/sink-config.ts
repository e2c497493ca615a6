// The sink connector document (the Confluent Elasticsearch sink's options) read into the settings
// converge's own sink implements. Every option it implements is listed here with its meaning and
// default (the Confluent connector's); any other option is rejected by name, so a document never
// runs with a setting silently ignored. Pure.
import { ConfigError } from '../../harness/errors.ts';
import { parseBoolean, parseCount, type ConnectorDocument } from './connector-document.ts';

/** How ExtractNewRecordState treats delete events and tombstones (legacy and Debezium 2.5+ spellings unified). */
export type DeleteMode = 'drop' | 'rewrite' | 'none' | 'tombstone' | 'rewrite-with-tombstone';

export type TransformSpec =
  | { alias: string; kind: 'extract-field'; on: 'key' | 'value'; field: string }
  | { alias: string; kind: 'unwrap'; dropTombstones: boolean; deletes: DeleteMode };

export interface SinkSettings {
  name: string;
  /** `key.ignore`: true uses topic+partition+offset as the document id (and no version). Default false. */
  keyIgnore: boolean;
  /** `write.method`: insert | upsert. Default insert. Both are a versioned index of the whole document (see sink-actions.ts). */
  writeMethod: 'insert' | 'upsert';
  /** `behavior.on.null.values`: what a null value (tombstone) does. Default fail. */
  nullValues: 'ignore' | 'delete' | 'fail';
  /** `batch.size`: records per bulk request. Default 2000. */
  batchSize: number;
  /** `max.in.flight.requests`: bulk requests in flight at once. Default 5. */
  maxInFlight: number;
  /** `max.retries`: retries of a failed bulk (or its retriable items). Default 5. */
  maxRetries: number;
  /** `retry.backoff.ms`: first retry delay, doubled per attempt with jitter. Default 100 ms. */
  retryBackoffMs: number;
  /** `flush.timeout.ms`: longest time one bulk may take, retries included. Default 180000 ms. */
  flushTimeoutMs: number;
  /** `key.converter.schemas.enable` / `value.converter.schemas.enable`: JSON with a schema envelope. Default true. */
  keySchemas: boolean;
  valueSchemas: boolean;
  /** `drop.invalid.message`: drop (count) records that cannot be turned into a request instead of dead-lettering them. Default false. */
  dropInvalid: boolean;
  /** `errors.deadletterqueue.topic.name`: the dead-letter topic's name (prefixed per run). Default `dlq`. */
  deadLetterName: string;
  transforms: TransformSpec[];
  /** Options accepted but without effect here, with the reason (shown in the stats). */
  inert: string[];
}

const SINK_CLASS = /(ElasticsearchSinkConnector|OpensearchSinkConnector)$/;
const JSON_CONVERTER = 'org.apache.kafka.connect.json.JsonConverter';
const EXTRACT_FIELD = /^org\.apache\.kafka\.connect\.transforms\.ExtractField\$(Key|Value)$/;
const UNWRAP = 'io.debezium.transforms.ExtractNewRecordState';

/** Accepted without effect: why each has none here. */
const INERT: Record<string, string> = {
  'tasks.max': 'one sink consumer per run; Debezium writes one partition',
  'type.name': 'mapping types are gone from Elasticsearch 7+ and OpenSearch',
  'connection.url': 'the environment’s search engine is used',
  'connection.username': 'the environment’s search engine is used',
  'connection.password': 'the environment’s search engine is used',
  'linger.ms': 'a bulk holds what one Kafka fetch returned, up to batch.size',
  'read.timeout.ms': 'the search client’s own request timeout applies',
  'connection.timeout.ms': 'the search client’s own connect timeout applies',
  'errors.deadletterqueue.topic.replication.factor': 'single-broker environment',
  'errors.deadletterqueue.context.headers.enable': 'the error is always added as a header',
  'errors.tolerance': 'records that cannot be written always go to the dead-letter topic (or are dropped with drop.invalid.message)',
  'errors.log.enable': 'errors are counted in the stats',
  'topics': 'the sink reads this run’s change topic',
  'name': 'the consumer group is named per run',
};

export function parseSinkConfig(doc: ConnectorDocument, where = 'sink connector'): SinkSettings {
  const config = { ...doc.config };
  const used = new Set<string>();
  const take = (key: string): string | undefined => {
    used.add(key);
    return config[key];
  };
  const connectorClass = take('connector.class');
  if (connectorClass === undefined || !SINK_CLASS.test(connectorClass)) {
    throw new ConfigError(`${where}: connector.class ${JSON.stringify(connectorClass)} is not implemented; converge's sink implements the Elasticsearch sink connector`);
  }
  const oneOf = <T extends string>(key: string, allowed: readonly T[], fallback: T): T => {
    const value = take(key) ?? fallback;
    if (!(allowed as readonly string[]).includes(value)) throw new ConfigError(`${where}: ${key}=${value} is not implemented (implemented: ${allowed.join(', ')})`);
    return value as T;
  };
  const bool = (key: string, fallback: boolean) => {
    const value = take(key);
    return value === undefined ? fallback : parseBoolean(value, key, where);
  };
  const count = (key: string, fallback: number, min = 0) => {
    const value = take(key);
    return value === undefined ? fallback : parseCount(value, key, where, min);
  };
  for (const key of ['key.converter', 'value.converter']) {
    const value = take(key);
    if (value !== undefined && value !== JSON_CONVERTER) throw new ConfigError(`${where}: ${key}=${value} is not implemented (only ${JSON_CONVERTER})`);
  }
  if (!bool('schema.ignore', false)) {
    throw new ConfigError(`${where}: schema.ignore=false (an index mapping derived from the record schema) is not implemented; the index mapping comes from the scenario's entity: set schema.ignore=true`);
  }
  if (bool('compact.map.entries', true) === false) throw new ConfigError(`${where}: compact.map.entries=false is not implemented`);
  const settings: SinkSettings = {
    name: take('name') ?? doc.name,
    keyIgnore: bool('key.ignore', false),
    writeMethod: oneOf('write.method', ['insert', 'upsert'] as const, 'insert'),
    nullValues: oneOf('behavior.on.null.values', ['ignore', 'delete', 'fail'] as const, 'fail'),
    batchSize: count('batch.size', 2000, 1),
    maxInFlight: count('max.in.flight.requests', 5, 1),
    maxRetries: count('max.retries', 5),
    retryBackoffMs: count('retry.backoff.ms', 100),
    flushTimeoutMs: count('flush.timeout.ms', 180_000, 1),
    keySchemas: bool('key.converter.schemas.enable', true),
    valueSchemas: bool('value.converter.schemas.enable', true),
    dropInvalid: bool('drop.invalid.message', false),
    deadLetterName: take('errors.deadletterqueue.topic.name') || 'dlq',
    transforms: [],
    inert: [],
  };
  const tolerance = take('errors.tolerance');
  if (tolerance !== undefined && tolerance !== 'none' && tolerance !== 'all') throw new ConfigError(`${where}: errors.tolerance=${tolerance}: expected none or all`);
  for (const alias of (take('transforms') ?? '').split(',').map((a) => a.trim()).filter(Boolean)) {
    settings.transforms.push(parseTransform(alias, config, take, where));
  }
  for (const key of Object.keys(INERT)) {
    if (config[key] !== undefined && !used.has(key)) {
      used.add(key);
      settings.inert.push(`${key}: ${INERT[key]}`);
    }
  }
  const unknown = Object.keys(config).filter((key) => !used.has(key));
  if (unknown.length > 0) throw new ConfigError(`${where}: option${unknown.length > 1 ? 's' : ''} not implemented by converge's sink: ${unknown.join(', ')}`);
  return settings;
}

function parseTransform(alias: string, config: Record<string, string>, take: (key: string) => string | undefined, where: string): TransformSpec {
  const prefix = `transforms.${alias}.`;
  const type = take(`${prefix}type`);
  const extract = type === undefined ? null : EXTRACT_FIELD.exec(type);
  const options = Object.keys(config).filter((key) => key.startsWith(prefix) && key !== `${prefix}type`);
  const allow = (names: string[]) => {
    const extra = options.filter((key) => !names.includes(key.slice(prefix.length)));
    if (extra.length > 0) throw new ConfigError(`${where}: transform option${extra.length > 1 ? 's' : ''} not implemented: ${extra.join(', ')}`);
  };
  if (extract) {
    allow(['field']);
    const field = take(`${prefix}field`);
    if (!field) throw new ConfigError(`${where}: ${prefix}field is required by ExtractField`);
    return { alias, kind: 'extract-field', on: extract[1] === 'Key' ? 'key' : 'value', field };
  }
  if (type === UNWRAP) {
    allow(['drop.tombstones', 'delete.handling.mode', 'delete.tombstone.handling.mode']);
    const modern = take(`${prefix}delete.tombstone.handling.mode`);
    const legacyDrop = take(`${prefix}drop.tombstones`);
    const legacyDeletes = take(`${prefix}delete.handling.mode`);
    if (modern !== undefined) {
      if (legacyDrop !== undefined || legacyDeletes !== undefined) {
        throw new ConfigError(`${where}: ${prefix}delete.tombstone.handling.mode replaces drop.tombstones and delete.handling.mode; give one or the other`);
      }
      const modes = ['drop', 'tombstone', 'rewrite', 'rewrite-with-tombstone'] as const;
      if (!(modes as readonly string[]).includes(modern)) throw new ConfigError(`${where}: ${prefix}delete.tombstone.handling.mode=${modern} is not implemented (implemented: ${modes.join(', ')})`);
      return { alias, kind: 'unwrap', dropTombstones: modern !== 'rewrite-with-tombstone', deletes: modern as DeleteMode };
    }
    const deletes = legacyDeletes ?? 'drop';
    if (!['drop', 'rewrite', 'none'].includes(deletes)) throw new ConfigError(`${where}: ${prefix}delete.handling.mode=${deletes}: expected drop, rewrite or none`);
    return { alias, kind: 'unwrap', dropTombstones: legacyDrop === undefined ? true : parseBoolean(legacyDrop, `${prefix}drop.tombstones`, where), deletes: deletes as DeleteMode };
  }
  throw new ConfigError(`${where}: ${prefix}type=${type ?? '(missing)'} is not implemented (implemented: ExtractField$Key, ExtractField$Value, ${UNWRAP})`);
}
