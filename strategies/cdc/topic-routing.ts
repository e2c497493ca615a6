// Where a change lands, and who reads it: the topic Debezium writes a table to (`prefix.db.table`)
// passed through the source document's own routing transforms — Kafka's RegexRouter and Debezium's
// ByLogicalTableRouter, with Java regex semantics — and the sink document's subscription (`topics`
// or `topics.regex`). Both are worked out twice: in the documents' own world (their prefix,
// database and table) to find which table the pair captures and check that the sink reads what the
// source writes, and in this run's world. A routing option is kept as written when it already
// routes this run's topic as it routes the documents' topic (names swapped); otherwise its names are
// swapped for this run's and the result checked again; a routing that still disagrees, a topic
// shared by every run, a predicate or a transform whose routing converge cannot know is refused
// before anything starts, with the reason. Pure.
import { ConfigError } from '../../harness/errors.ts';
import type { ConnectorDocument } from './connector-document.ts';
import { compileJavaPattern, javaMatches, javaReplaceFirst, type JavaPattern } from './java-regex.ts';

export const REGEX_ROUTER = 'org.apache.kafka.connect.transforms.RegexRouter';
export const LOGICAL_TABLE_ROUTER = 'io.debezium.transforms.ByLogicalTableRouter';

/** Transforms that never change a record's topic (Kafka's and Debezium's). */
const NOT_ROUTING = new Set([
  'io.debezium.transforms.ExtractNewRecordState',
  'io.debezium.transforms.ExtractChangedRecordState',
  'io.debezium.transforms.Filter',
  'io.debezium.transforms.HeaderToValue',
  'io.debezium.transforms.ExtractSchemaToNewRecord',
  'io.debezium.connector.mysql.transforms.ReadToInsertEvent',
  ...['ExtractField', 'ReplaceField', 'MaskField', 'InsertField', 'Cast', 'Flatten', 'HoistField', 'SetSchemaMetadata', 'TimestampConverter']
    .flatMap((name) => [`org.apache.kafka.connect.transforms.${name}$Key`, `org.apache.kafka.connect.transforms.${name}$Value`]),
  ...['ValueToKey', 'Filter', 'HeaderFrom$Key', 'HeaderFrom$Value', 'InsertHeader', 'DropHeaders'].map((name) => `org.apache.kafka.connect.transforms.${name}`),
]);

/** The names a capture's topic is made of. */
export interface TopicNames {
  prefix: string;
  database: string;
  table: string;
}

type Router = {
  alias: string;
  kind: 'regex-router' | 'logical-table-router';
  regexKey: string;
  replacementKey: string;
  regex: string;
  replacement: string;
};

export type Subscription = { kind: 'topics'; topics: string[] } | { kind: 'regex'; pattern: JavaPattern };

export interface RoutingPlan {
  /** The documents' own world: their names and the topic their table's changes land on. */
  written: TopicNames & { topic: string };
  /** The topic Debezium writes this run's table to, before routing. */
  capturedTopic: string;
  /** The topic this run's changes land on after the source's routing: the one the sink reads. */
  topic: string;
  /** Source options to set for this run (mapped routing options). */
  sourceOverrides: Record<string, string>;
  sourceChanges: string[];
  /** The sink's subscription for this run. */
  sinkTopics: string[];
  sinkChanges: string[];
  /** A topic name as the documents write it, in this run's names (for per-topic lists such as topic.key.ignore). */
  mapTopic: (name: string) => string;
}

const first = (config: Readonly<Record<string, string>>, ...keys: string[]) => keys.map((key) => config[key]).find((value) => value !== undefined);
const list = (value: string | undefined) => (value ?? '').split(',').map((item) => item.trim()).filter(Boolean);
const unescapeDots = (entry: string) => entry.replace(/\\\./g, '.');
const PLAIN = /^[A-Za-z0-9_$-]+$/;

function routersOf(doc: ConnectorDocument, where: string): Router[] {
  const routers: Router[] = [];
  for (const alias of list(doc.config.transforms)) {
    const prefix = `transforms.${alias}.`;
    const type = doc.config[`${prefix}type`];
    if (type === REGEX_ROUTER || type === LOGICAL_TABLE_ROUTER) {
      const regexKey = `${prefix}${type === REGEX_ROUTER ? 'regex' : 'topic.regex'}`;
      const replacementKey = `${prefix}${type === REGEX_ROUTER ? 'replacement' : 'topic.replacement'}`;
      const regex = doc.config[regexKey];
      const replacement = doc.config[replacementKey];
      if (regex === undefined || replacement === undefined) throw new ConfigError(`${where}: ${regexKey} and ${replacementKey} are required by ${type}`);
      if (doc.config[`${prefix}predicate`] !== undefined) {
        throw new ConfigError(`${where}: ${prefix}predicate: a predicate on a routing transform is not mapped to this run's topics; write the condition into ${regexKey} instead`);
      }
      routers.push({ alias, kind: type === REGEX_ROUTER ? 'regex-router' : 'logical-table-router', regexKey, replacementKey, regex, replacement });
    } else if (type === undefined || !NOT_ROUTING.has(type)) {
      throw new ConfigError(
        `${where}: ${prefix}type=${type ?? '(missing)'}: converge cannot tell which topic this transform sends a change to, so it cannot point the sink at it (routing transforms it follows: RegexRouter, ByLogicalTableRouter)`,
      );
    }
  }
  return routers;
}

function route(router: Router, regex: string, replacement: string, topic: string, where: string): string {
  const pattern = compileJavaPattern(regex, `${where}: ${router.regexKey}`);
  return javaMatches(pattern, topic) ? javaReplaceFirst(pattern, topic, replacement, `${where}: ${router.replacementKey}`) : topic;
}

/** The sink's `topics` / `topics.regex` (exactly one, as Connect requires). */
export function subscriptionOf(sink: ConnectorDocument, where: string): Subscription {
  const topics = sink.config.topics;
  const regex = sink.config['topics.regex'];
  if (topics !== undefined && regex !== undefined) throw new ConfigError(`${where}: topics and topics.regex are mutually exclusive (Connect refuses both)`);
  if (regex !== undefined) return { kind: 'regex', pattern: compileJavaPattern(regex, `${where}: topics.regex`) };
  if (topics === undefined || list(topics).length === 0) throw new ConfigError(`${where}: one of topics or topics.regex is required`);
  return { kind: 'topics', topics: list(topics) };
}

export function subscribes(subscription: Subscription, topic: string): boolean {
  return subscription.kind === 'topics' ? subscription.topics.includes(topic) : javaMatches(subscription.pattern, topic);
}

/** Swaps the documents' names for this run's inside any text, longest first, in one pass. */
function nameSwapper(written: TopicNames, run: TopicNames): (text: string) => string {
  const pairs = new Map<string, string>();
  for (const key of ['prefix', 'database', 'table'] as const) if (!pairs.has(written[key])) pairs.set(written[key], run[key]);
  const names = [...pairs.keys()].sort((a, b) => b.length - a.length);
  const pattern = new RegExp(names.map((name) => name.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&')).join('|'), 'g');
  return (text) => text.replace(pattern, (name) => pairs.get(name)!);
}

export function planRouting(source: ConnectorDocument, sink: ConnectorDocument, run: TopicNames, where: { source: string; sink: string }): RoutingPlan {
  const config = source.config;
  const prefix = first(config, 'topic.prefix', 'database.server.name');
  if (prefix === undefined) throw new ConfigError(`${where.source}: topic.prefix (database.server.name before Debezium 2.0) is required`);
  if ((config['topic.delimiter'] ?? '.') !== '.') throw new ConfigError(`${where.source}: topic.delimiter=${config['topic.delimiter']} is not implemented (only ".")`);
  const naming = config['topic.naming.strategy'];
  if (naming !== undefined && naming !== 'io.debezium.schema.SchemaTopicNamingStrategy' && naming !== 'io.debezium.schema.DefaultTopicNamingStrategy') {
    throw new ConfigError(`${where.source}: topic.naming.strategy=${naming}: converge cannot tell which topic it names; use the default and a RegexRouter`);
  }
  const routers = routersOf(source, where.source);
  const subscription = subscriptionOf(sink, where.sink);
  const routeAll = (topic: string) => routers.reduce((current, router) => route(router, router.regex, router.replacement, current, where.source), topic);

  // Which table the documents capture: their include lists, or else what their sink reads.
  const databases = list(first(config, 'database.include.list', 'database.whitelist')).map(unescapeDots).filter((db) => PLAIN.test(db));
  const tables = list(first(config, 'table.include.list', 'table.whitelist'))
    .map(unescapeDots)
    .map((entry) => entry.split('.'))
    .filter((parts): parts is [string, string] => parts.length === 2 && PLAIN.test(parts[0]!) && PLAIN.test(parts[1]!))
    .filter(([db]) => databases.length === 0 || databases.includes(db));
  const candidates: [string, string][] = [...tables];
  if (candidates.length === 0) {
    if (databases.length !== 1) throw new ConfigError(`${where.source}: cannot tell which table the document captures: name it in table.include.list (or one database in database.include.list)`);
    const db = databases[0]!;
    const subscribed = subscription.kind === 'topics' ? subscription.topics : [];
    for (const topic of subscribed) {
      for (const name of [topic, ...topic.split('.'), topic.startsWith(`${prefix}.${db}.`) ? topic.slice(prefix.length + db.length + 2) : '']) {
        if (PLAIN.test(name)) candidates.push([db, name]);
      }
    }
    if (candidates.length === 0) throw new ConfigError(`${where.source}: cannot tell which table of database ${db} the pair captures: name it in table.include.list`);
  }
  const chosen = candidates.find(([db, table]) => subscribes(subscription, routeAll(`${prefix}.${db}.${table}`)));
  if (chosen === undefined) {
    const [db, table] = candidates[0]!;
    const reads = subscription.kind === 'topics' ? `topics ${subscription.topics.join(',')}` : `topics.regex ${subscription.pattern.source}`;
    throw new ConfigError(`${where.sink}: the sink reads ${reads}, but the source writes ${db}.${table}'s changes to ${routeAll(`${prefix}.${db}.${table}`)}: as written, nothing reaches the index`);
  }
  const written: TopicNames = { prefix, database: chosen[0], table: chosen[1] };
  const swap = nameSwapper(written, run);

  // This run: each routing transform kept, or its names swapped, so that it routes this run's topic as it routes theirs.
  const sourceOverrides: Record<string, string> = {};
  const sourceChanges: string[] = [];
  let writtenTopic = `${prefix}.${written.database}.${written.table}`;
  const capturedTopic = `${run.prefix}.${run.database}.${run.table}`;
  let topic = capturedTopic;
  for (const router of routers) {
    const theirs = route(router, router.regex, router.replacement, writtenTopic, where.source);
    const expected = swap(theirs);
    const asWritten = route(router, router.regex, router.replacement, topic, where.source);
    if (asWritten === expected) {
      if (asWritten !== topic) sourceChanges.push(`transforms.${router.alias} (as written) routes ${topic} → ${asWritten}, as it routes ${writtenTopic} → ${theirs}`);
      topic = asWritten;
    } else {
      const regex = swap(router.regex);
      const replacement = swap(router.replacement);
      const mapped = route(router, regex, replacement, topic, where.source);
      if (mapped !== expected) {
        throw new ConfigError(
          `${where.source}: transforms.${router.alias} routes ${writtenTopic} → ${theirs}, but this run's ${topic} would go to ${asWritten} as written and to ${mapped} with its names swapped, not ${expected}: the routing cannot be mapped to this run's names`,
        );
      }
      if (regex !== router.regex) sourceOverrides[router.regexKey] = regex;
      if (replacement !== router.replacement) sourceOverrides[router.replacementKey] = replacement;
      for (const key of [router.regexKey, router.replacementKey]) {
        if (sourceOverrides[key] !== undefined) sourceChanges.push(`${key}: ${config[key]} → ${sourceOverrides[key]} (this run's names; routes ${topic} → ${mapped} as the document routes ${writtenTopic} → ${theirs})`);
      }
      topic = mapped;
    }
    writtenTopic = theirs;
    if (router.kind === 'logical-table-router') mapKeyField(config, router.alias, capturedTopic, swap, sourceOverrides, sourceChanges, where.source);
  }
  if (!topic.includes(run.prefix) && !topic.includes(run.table)) {
    throw new ConfigError(`${where.source}: the routing sends every change to ${topic}, a topic without the table's or the prefix's name; converge runs pairs side by side in one Kafka, so this topic would be shared: route to a name built from the table (e.g. RegexRouter replacement $3)`);
  }

  const sinkChanges: string[] = [];
  if (subscription.kind === 'topics') {
    const others = subscription.topics.filter((t) => t !== writtenTopic);
    sinkChanges.push(`topics: ${subscription.topics.join(',')} → ${topic} (this run's ${writtenTopic === topic ? 'topic' : `topic for ${writtenTopic}`}${others.length > 0 ? `; ${others.join(', ')} belong to tables this run does not capture` : ''})`);
  } else if (javaMatches(subscription.pattern, topic)) {
    sinkChanges.push(`topics.regex: ${subscription.pattern.source} (as written) matches this run's ${topic}; the sink reads that topic alone, the others it matches in the shared Kafka are other runs'`);
  } else {
    const mapped = compileJavaPattern(swap(subscription.pattern.source), `${where.sink}: topics.regex`);
    if (!javaMatches(mapped, topic)) throw new ConfigError(`${where.sink}: topics.regex ${subscription.pattern.source} matches ${writtenTopic} but, even with this run's names (${mapped.source}), not this run's ${topic}`);
    sinkChanges.push(`topics.regex: ${subscription.pattern.source} → ${mapped.source} (this run's names; matches ${topic})`);
  }
  return {
    written: { ...written, topic: writtenTopic },
    capturedTopic,
    topic,
    sourceOverrides,
    sourceChanges,
    sinkTopics: [topic],
    sinkChanges,
    mapTopic: (name) => (name === writtenTopic ? topic : swap(name)),
  };
}

/** ByLogicalTableRouter's key field regex, matched against the captured topic: its names swapped when it does not match this run's as written. */
function mapKeyField(config: Readonly<Record<string, string>>, alias: string, capturedTopic: string, swap: (text: string) => string, overrides: Record<string, string>, changes: string[], where: string): void {
  const regexKey = `transforms.${alias}.key.field.regex`;
  const replacementKey = `transforms.${alias}.key.field.replacement`;
  const regex = config[regexKey];
  if (regex === undefined) return;
  if (config[replacementKey] === undefined) throw new ConfigError(`${where}: ${replacementKey} is required with ${regexKey}`);
  if (javaMatches(compileJavaPattern(regex, `${where}: ${regexKey}`), capturedTopic)) return;
  for (const key of [regexKey, replacementKey]) {
    const swapped = swap(config[key]!);
    if (swapped !== config[key]) {
      overrides[key] = swapped;
      changes.push(`${key}: ${config[key]} → ${swapped} (this run's names)`);
    }
  }
}
