// The source connector's config as it must run here: the document's every semantic option kept,
// and only what names the seed's own world mapped to this environment — the connector class to the
// database flavour, hosts, port, credentials, server id, database and table, the topic prefix
// (legacy `database.server.name`), the schema history (legacy `database.history.*`) and the routing
// transforms' names (topic-routing.ts works out how). Options
// converge does not know pass through to Debezium untouched. Pure: a document and a target in,
// a config and the list of what changed out.
import type { MysqlFlavor } from '../../harness/env/endpoints.ts';
import type { ConnectorDocument } from './connector-document.ts';

export const CONNECTOR_CLASSES: Record<MysqlFlavor, string> = {
  mariadb: 'io.debezium.connector.mariadb.MariaDbConnector',
  mysql: 'io.debezium.connector.mysql.MySqlConnector',
};

/** Where the capture runs: this environment's database and Kafka, this run's names. */
export interface CaptureTarget {
  flavor: MysqlFlavor;
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  table: string;
  brokers: string[];
  /** This run's topic prefix (Debezium's `topic.prefix`). */
  topicPrefix: string;
  /** A replica server id no other capture on the server uses. */
  serverId: number;
}

export interface MappedSource {
  config: Record<string, string>;
  /** One line per option that was renamed, replaced or added, e.g. `database.hostname: my-mysql → 127.0.0.1`. */
  changes: string[];
}

/** Debezium ≤ 1.x names and their 2.x+ successors (topic prefix and history are handled apart). */
const RENAMED: Record<string, string> = {
  'database.whitelist': 'database.include.list',
  'database.blacklist': 'database.exclude.list',
  'table.whitelist': 'table.include.list',
  'table.blacklist': 'table.exclude.list',
  'column.whitelist': 'column.include.list',
  'column.blacklist': 'column.exclude.list',
};

const HISTORY_CLASSES: Record<string, string> = {
  'io.debezium.relational.history.KafkaDatabaseHistory': 'io.debezium.storage.kafka.history.KafkaSchemaHistory',
  'io.debezium.relational.history.FileDatabaseHistory': 'io.debezium.storage.file.history.FileSchemaHistory',
  'io.debezium.relational.history.MemoryDatabaseHistory': 'io.debezium.relational.history.MemorySchemaHistory',
};

/** Heartbeats let the connector's committed offset follow the binlog while the table is quiet (quiesce reads it). */
export const DEFAULT_HEARTBEAT_MS = '1000';

export function schemaHistoryTopic(topicPrefix: string): string {
  return `${topicPrefix}.schema-history`;
}

/** The routing options mapped to this run's names (topic-routing.ts). */
export interface RoutingOverrides {
  sourceOverrides: Record<string, string>;
  sourceChanges: string[];
}

export function mapSourceConfig(doc: ConnectorDocument, target: CaptureTarget, routing?: RoutingOverrides): MappedSource {
  const changes: string[] = [];
  const config: Record<string, string> = {};
  for (const [key, value] of Object.entries(doc.config)) {
    let name = RENAMED[key] ?? key;
    if (key === 'database.history') name = 'schema.history.internal';
    else if (key.startsWith('database.history.')) name = `schema.history.internal.${key.slice('database.history.'.length)}`;
    if (name !== key) changes.push(`${key} → ${name}`);
    config[name] = name === 'schema.history.internal' ? (HISTORY_CLASSES[value] ?? value) : value;
  }
  const set = (key: string, value: string, why: string) => {
    const before = config[key];
    if (before === value) return;
    changes.push(`${key}: ${before === undefined ? '(unset)' : key.includes('password') ? '********' : before} → ${key.includes('password') ? '********' : value} (${why})`);
    config[key] = value;
  };
  if ('database.server.name' in config) {
    changes.push(`database.server.name (${config['database.server.name']}) → topic.prefix`);
    delete config['database.server.name'];
  }
  set('connector.class', CONNECTOR_CLASSES[target.flavor], `the ${target.flavor} connector`);
  set('database.hostname', target.host, 'this environment');
  set('database.port', String(target.port), 'this environment');
  set('database.user', target.user, "the capture's own user, so its statements can be counted");
  set('database.password', target.password, "the capture's own user");
  set('database.server.id', String(target.serverId), 'unique among the replicas of this server');
  set('topic.prefix', target.topicPrefix, 'per-run topic prefix');
  set('database.include.list', target.database, 'this environment');
  set('table.include.list', `${target.database}.${target.table}`, "this run's table");
  if (config['schema.history.internal'] === undefined || config['schema.history.internal'].endsWith('KafkaSchemaHistory')) {
    set('schema.history.internal.kafka.bootstrap.servers', target.brokers.join(','), 'this environment');
    set('schema.history.internal.kafka.topic', schemaHistoryTopic(target.topicPrefix), 'per-run history topic');
  }
  if (routing) {
    Object.assign(config, routing.sourceOverrides);
    changes.push(...routing.sourceChanges);
  }
  if (config['heartbeat.interval.ms'] === undefined) set('heartbeat.interval.ms', DEFAULT_HEARTBEAT_MS, "offsets follow the binlog while the table is quiet (quiesce)");
  return { config, changes };
}

/** The Kafka topic Debezium writes a table's change events to. */
export function dataTopic(topicPrefix: string, database: string, table: string): string {
  return `${topicPrefix}.${database}.${table}`;
}

/** Whether the source emits a tombstone after each delete event (Debezium's `tombstones.on.delete`, default true). */
export function emitsTombstones(config: Readonly<Record<string, string>>): boolean {
  return config['tombstones.on.delete'] !== 'false';
}
