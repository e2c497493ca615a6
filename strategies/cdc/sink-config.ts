// The sink connector document (the Confluent Elasticsearch sink's options) read into the settings
// converge's own sink implements. Every option it implements is listed here with its meaning and
// default (the Confluent connector's); options without effect here are listed with the reason, and
// any other option is refused by name (with the reason and the alternative where one is known), so a
// document never runs with a setting silently ignored. `topics` / `topics.regex` are read by
// topic-routing.ts. Pure.
import { ConfigError } from '../../harness/errors.ts';
import { parseBoolean, parseCount, type ConnectorDocument } from './connector-document.ts';
import { compileJavaPattern, javaMatches, javaReplaceFirst, type JavaPattern } from './java-regex.ts';
import { REGEX_ROUTER } from './topic-routing.ts';

/** How ExtractNewRecordState treats delete events and tombstones (legacy and Debezium 2.5+ spellings unified). */
export type DeleteMode = 'drop' | 'rewrite' | 'none' | 'tombstone' | 'rewrite-with-tombstone';

export type TransformSpec =
  | { alias: string; kind: 'extract-field'; on: 'key' | 'value'; field: string }
  | { alias: string; kind: 'unwrap'; dropTombstones: boolean; deletes: DeleteMode }
  /** RegexRouter on the sink: renames the record's topic (the connector's index name; here the index is this run's, so it names key.ignore ids and selects topic.*.ignore entries). */
  | { alias: string; kind: 'route'; pattern: JavaPattern; replacement: string };

export interface SinkSettings {
  name: string;
  /** `key.ignore`: true uses topic+partition+offset as the document id (and no version). Default false. */
  keyIgnore: boolean;
  /** `topic.key.ignore`: topics (as the document names them) for which key.ignore is true. Default none. */
  topicKeyIgnore: string[];
  /** `schema.ignore`: false maps the index from the record's Connect schema (connect-schema.ts); true leaves the mapping to the index. Default false. */
  schemaIgnore: boolean;
  /** `topic.schema.ignore`: topics (as the document names them) for which schema.ignore is true. Default none. */
  topicSchemaIgnore: string[];
  /** `write.method`: insert | upsert. Default insert. Both are a versioned index of the whole document (see sink-actions.ts). */
  writeMethod: 'insert' | 'upsert';
  /** `behavior.on.null.values`: what a null value (tombstone) does. Default fail. */
  nullValues: 'ignore' | 'delete' | 'fail';
  /** `behavior.on.malformed.documents`: a document the engine refuses as malformed (400) is skipped (ignore, warn) or fails the task (fail). Default fail. */
  malformed: 'ignore' | 'warn' | 'fail';
  /** `batch.size`: records per bulk request. Default 2000. */
  batchSize: number;
  /** `bulk.size.bytes`: most record bytes per bulk request, -1 for no limit. Default 5242880. */
  bulkSizeBytes: number;
  /** `max.in.flight.requests`: bulk requests in flight at once. Default 5. */
  maxInFlight: number;
  /** `max.buffered.records`: most records held (prepared, not yet acknowledged) at once. Default 20000. */
  maxBufferedRecords: number;
  /** `linger.ms`: how long a fetch waits for more records to fill a bulk. Default 1 ms. */
  lingerMs: number;
  /** `max.retries`: retries of a failed bulk (or its retriable items); exhausted, the task fails. Default 5. */
  maxRetries: number;
  /** `retry.backoff.ms`: first retry delay, doubled per attempt with jitter. Default 100 ms. */
  retryBackoffMs: number;
  /** `flush.timeout.ms`: longest time one bulk may take, retries included. Default 180000 ms. */
  flushTimeoutMs: number;
  /** `key.converter.schemas.enable` / `value.converter.schemas.enable`: JSON with a schema envelope. Default true. */
  keySchemas: boolean;
  valueSchemas: boolean;
  /** `drop.invalid.message`: a record the connector cannot turn into a request is dropped instead of failing the task. Default false. */
  dropInvalid: boolean;
  /** `errors.tolerance`: none fails the task on a record the converter or a transform cannot handle; all skips it. Default none. */
  errorsTolerance: 'none' | 'all';
  /** `errors.deadletterqueue.topic.name`: where skipped and failed records are reported (prefixed per run). Default `dlq` (unused unless named). */
  deadLetterName: string;
  /** Whether the document names a dead-letter topic; records are reported to it only with errors.tolerance=all, as Connect does. */
  deadLetterNamed: boolean;
  transforms: TransformSpec[];
  /** Options accepted but without effect here, with the reason (shown in the configuration). */
  inert: string[];
}

const SINK_CLASS = /(ElasticsearchSinkConnector|OpensearchSinkConnector)$/;
const JSON_CONVERTER = 'org.apache.kafka.connect.json.JsonConverter';
const EXTRACT_FIELD = /^org\.apache\.kafka\.connect\.transforms\.ExtractField\$(Key|Value)$/;
const UNWRAP = 'io.debezium.transforms.ExtractNewRecordState';

const ENGINE = 'the environment’s search engine and its client are used';
/** Accepted without effect: why each has none here. */
const INERT: Record<string, string> = {
  'tasks.max': 'one sink consumer per run; Debezium writes one partition',
  'type.name': 'mapping types are gone from Elasticsearch 7+ and OpenSearch',
  'connection.url': ENGINE,
  'connection.username': ENGINE,
  'connection.password': ENGINE,
  'connection.compression': ENGINE,
  'connection.timeout.ms': ENGINE,
  'read.timeout.ms': ENGINE,
  'max.connection.idle.time.ms': ENGINE,
  'elastic.security.protocol': ENGINE,
  'proxy.host': ENGINE,
  'proxy.port': ENGINE,
  'proxy.username': ENGINE,
  'proxy.password': ENGINE,
  'kerberos.user.principal': ENGINE,
  'kerberos.keytab.path': ENGINE,
  'log.sensitive.data': 'records are never logged; errors are counted and named in the dead-letter headers',
  'flush.synchronously': 'the sink always waits for every bulk of a fetch before committing its offsets',
  'auto.create.indices.at.start': 'this run’s index is created at setup',
  'topic.index.map': 'the index is this run’s index',
  'errors.deadletterqueue.topic.replication.factor': 'single-broker environment',
  'errors.deadletterqueue.context.headers.enable': 'the error, source topic and offset are always added as headers',
  'errors.log.enable': 'errors are counted in the stats and the failure is in the configuration',
  'errors.log.include.messages': 'records are never logged',
  'errors.retry.timeout': 'a record the converter or a transform cannot handle is not transient here (bad JSON, a missing field)',
  'errors.retry.delay.max.ms': 'a record the converter or a transform cannot handle is not transient here (bad JSON, a missing field)',
  name: 'the consumer group is named per run',
};

/** Refused with the reason and what to write instead. */
const REFUSED: Record<string, string> = {
  'external.version.header': 'versions come from the change’s binlog position (or the scenario’s versionColumn); drop the option',
  'use.autogenerated.ids': 'engine-made ids cannot be updated or deleted, so the index cannot mirror the table; use key.ignore=false with ExtractField$Key',
  'data.stream.type': 'a data stream is append-only and cannot mirror a table; index into a plain index (drop the data.stream.* options)',
  'data.stream.dataset': 'a data stream is append-only and cannot mirror a table; index into a plain index (drop the data.stream.* options)',
  'data.stream.namespace': 'a data stream is append-only and cannot mirror a table; index into a plain index (drop the data.stream.* options)',
  'data.stream.timestamp.field': 'a data stream is append-only and cannot mirror a table; index into a plain index (drop the data.stream.* options)',
  predicates: 'predicates on the sink’s transforms are not implemented; apply the transform to every record',
};

const MALFORMED = ['ignore', 'warn', 'fail'] as const;

export function parseSinkConfig(doc: ConnectorDocument, where = 'sink connector'): SinkSettings {
  const config = { ...doc.config };
  const used = new Set<string>(['topics', 'topics.regex']);
  const take = (key: string): string | undefined => {
    used.add(key);
    return config[key];
  };
  const connectorClass = take('connector.class');
  if (connectorClass === undefined || !SINK_CLASS.test(connectorClass)) {
    throw new ConfigError(`${where}: connector.class ${JSON.stringify(connectorClass)} is not implemented; converge's sink implements the Elasticsearch sink connector`);
  }
  for (const [key, why] of Object.entries(REFUSED)) {
    if (config[key] !== undefined) throw new ConfigError(`${where}: ${key} is not implemented: ${why}`);
  }
  for (const key of Object.keys(config)) {
    if (key.startsWith('elastic.https.')) used.add(key);
    if (/^transforms\.[^.]+\.(predicate|negate)$/.test(key)) throw new ConfigError(`${where}: ${key}: ${REFUSED.predicates}`);
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
  const topicList = (key: string) => (take(key) ?? '').split(',').map((topic) => topic.trim()).filter(Boolean);
  for (const key of ['key.converter', 'value.converter']) {
    const value = take(key);
    if (value !== undefined && value !== JSON_CONVERTER) throw new ConfigError(`${where}: ${key}=${value} is not implemented (only ${JSON_CONVERTER})`);
  }
  if (bool('compact.map.entries', true) === false) throw new ConfigError(`${where}: compact.map.entries=false is not implemented (map entries are written compactly)`);
  const bulkBytes = take('bulk.size.bytes');
  const deadLetter = take('errors.deadletterqueue.topic.name');
  const settings: SinkSettings = {
    name: take('name') ?? doc.name,
    keyIgnore: bool('key.ignore', false),
    topicKeyIgnore: topicList('topic.key.ignore'),
    schemaIgnore: bool('schema.ignore', false),
    topicSchemaIgnore: topicList('topic.schema.ignore'),
    writeMethod: oneOf('write.method', ['insert', 'upsert'] as const, 'insert'),
    nullValues: oneOf('behavior.on.null.values', ['ignore', 'delete', 'fail'] as const, 'fail'),
    malformed: oneOf('behavior.on.malformed.documents', MALFORMED, 'fail'),
    batchSize: count('batch.size', 2000, 1),
    bulkSizeBytes: bulkBytes === '-1' ? -1 : count('bulk.size.bytes', 5_242_880, 1),
    maxInFlight: count('max.in.flight.requests', 5, 1),
    maxBufferedRecords: count('max.buffered.records', 20_000, 1),
    lingerMs: count('linger.ms', 1),
    maxRetries: count('max.retries', 5),
    retryBackoffMs: count('retry.backoff.ms', 100),
    flushTimeoutMs: count('flush.timeout.ms', 180_000, 1),
    keySchemas: bool('key.converter.schemas.enable', true),
    valueSchemas: bool('value.converter.schemas.enable', true),
    dropInvalid: bool('drop.invalid.message', false),
    errorsTolerance: oneOf('errors.tolerance', ['none', 'all'] as const, 'none'),
    deadLetterName: deadLetter || 'dlq',
    deadLetterNamed: Boolean(deadLetter),
    transforms: [],
    inert: [],
  };
  if (!settings.valueSchemas && !settings.schemaIgnore && settings.topicSchemaIgnore.length === 0) {
    throw new ConfigError(`${where}: schema.ignore=false maps the index from the record's schema, but value.converter.schemas.enable=false leaves records without one (the connector fails: "Cannot infer mapping without schema"); set schema.ignore=true or enable the schemas`);
  }
  for (const alias of (take('transforms') ?? '').split(',').map((a) => a.trim()).filter(Boolean)) {
    settings.transforms.push(parseTransform(alias, config, take, where));
  }
  for (const key of Object.keys(INERT)) {
    if (config[key] !== undefined && !used.has(key)) {
      used.add(key);
      settings.inert.push(`${key}: ${INERT[key]}`);
    }
  }
  for (const key of Object.keys(config).filter((key) => key.startsWith('elastic.https.'))) settings.inert.push(`${key}: ${ENGINE}`);
  const unknown = Object.keys(config).filter((key) => !used.has(key));
  if (unknown.length > 0) throw new ConfigError(`${where}: option${unknown.length > 1 ? 's' : ''} not implemented by converge's sink: ${unknown.join(', ')}`);
  return settings;
}

/** The topic a record read from `topic` carries after the sink's own RegexRouters (the connector's index name). */
export function sinkRoutedTopic(settings: Pick<SinkSettings, 'transforms'>, topic: string): string {
  let current = topic;
  for (const spec of settings.transforms) {
    if (spec.kind === 'route' && javaMatches(spec.pattern, current)) current = javaReplaceFirst(spec.pattern, current, spec.replacement, `transforms.${spec.alias}.replacement`);
  }
  return current;
}

/**
 * key.ignore and schema.ignore as they apply to the documents' topic (`topic`, as the documents
 * name it: the per-topic lists are written with their names), after the sink's own routing, as
 * the connector looks them up by the record's topic.
 */
export function forTopic(settings: SinkSettings, topic: string): { keyIgnore: boolean; schemaIgnore: boolean } {
  const routed = sinkRoutedTopic(settings, topic);
  return {
    keyIgnore: settings.keyIgnore || settings.topicKeyIgnore.includes(routed),
    schemaIgnore: settings.schemaIgnore || settings.topicSchemaIgnore.includes(routed),
  };
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
  if (type === REGEX_ROUTER) {
    allow(['regex', 'replacement']);
    const regex = take(`${prefix}regex`);
    const replacement = take(`${prefix}replacement`);
    if (regex === undefined || replacement === undefined) throw new ConfigError(`${where}: ${prefix}regex and ${prefix}replacement are required by RegexRouter`);
    return { alias, kind: 'route', pattern: compileJavaPattern(regex, `${where}: ${prefix}regex`), replacement };
  }
  throw new ConfigError(`${where}: ${prefix}type=${type ?? '(missing)'} is not implemented (implemented: ExtractField$Key, ExtractField$Value, ${UNWRAP}, RegexRouter)`);
}
