// The docker provider's containers, as plain data (images pinned here, in one place): MySQL 8.4
// with row binlog and GTID, Elasticsearch 8 single-node with security off, Kafka in KRaft, and a
// Debezium Connect image. Pure, so unit tests can check them without a Docker daemon. Host ports
// are fixed before start (a dynamic one would move when a nemesis kills and starts the container).

export const IMAGES = {
  mysql: 'mysql:8.4',
  elasticsearch: 'docker.elastic.co/elasticsearch/elasticsearch:8.19.2',
  kafka: 'apache/kafka:4.1.1',
  connect: 'quay.io/debezium/connect:3.6.1.Final',
} as const;

export const MYSQL_ROOT_PASSWORD = 'converge';
export const NETWORK_ALIASES = { mysql: 'mysql', kafka: 'kafka', elasticsearch: 'elasticsearch', connect: 'connect' } as const;

export interface ContainerDefinition {
  name: keyof typeof IMAGES;
  image: string;
  alias: string;
  env: Record<string, string>;
  command: string[];
  /** Container port → host port (fixed where the service must advertise it). */
  ports: { container: number; host?: number }[];
  /** How readiness is recognised. */
  wait: { kind: 'log'; message: string; times: number } | { kind: 'http'; path: string; port: number };
}

/** Container port → host port: fixed when a host port is given, else Docker picks one at each start. */
const mapped = (container: number, host: number | undefined) => (host === undefined ? { container } : { container, host });

export function mysqlDefinition(hostPort?: number): ContainerDefinition {
  return {
    name: 'mysql',
    image: IMAGES.mysql,
    alias: NETWORK_ALIASES.mysql,
    env: { MYSQL_ROOT_PASSWORD, MYSQL_DATABASE: 'converge' },
    command: [
      '--log-bin=mysql-bin',
      '--binlog-format=ROW',
      '--binlog-row-image=FULL',
      '--server-id=1',
      '--gtid-mode=ON',
      '--enforce-gtid-consistency=ON',
    ],
    ports: [mapped(3306, hostPort)],
    // The entrypoint starts a temporary server first; the second "ready" line is the real one.
    wait: { kind: 'log', message: 'ready for connections', times: 2 },
  };
}

export function elasticsearchDefinition(hostPort?: number): ContainerDefinition {
  return {
    name: 'elasticsearch',
    image: IMAGES.elasticsearch,
    alias: NETWORK_ALIASES.elasticsearch,
    env: {
      'discovery.type': 'single-node',
      'xpack.security.enabled': 'false',
      'cluster.routing.allocation.disk.threshold_enabled': 'false',
      ES_JAVA_OPTS: '-Xms1g -Xmx1g',
    },
    command: [],
    ports: [mapped(9200, hostPort)],
    wait: { kind: 'http', path: '/_cluster/health?wait_for_status=yellow', port: 9200 },
  };
}

/**
 * Kafka advertises two listeners: one for the Connect container on the Docker network, one for
 * converge on the host, on a host port fixed before start (a client must be told it).
 */
export function kafkaDefinition(hostPort: number): ContainerDefinition {
  return {
    name: 'kafka',
    image: IMAGES.kafka,
    alias: NETWORK_ALIASES.kafka,
    env: {
      KAFKA_NODE_ID: '1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
      KAFKA_LISTENERS: 'INTERNAL://0.0.0.0:19092,EXTERNAL://0.0.0.0:9092,CONTROLLER://localhost:9093',
      KAFKA_ADVERTISED_LISTENERS: `INTERNAL://${NETWORK_ALIASES.kafka}:19092,EXTERNAL://127.0.0.1:${hostPort}`,
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'INTERNAL:PLAINTEXT,EXTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT',
      KAFKA_INTER_BROKER_LISTENER_NAME: 'INTERNAL',
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
    },
    command: [],
    ports: [{ container: 9092, host: hostPort }],
    wait: { kind: 'log', message: 'Kafka Server started', times: 1 },
  };
}

export function connectDefinition(hostPort?: number): ContainerDefinition {
  return {
    name: 'connect',
    image: IMAGES.connect,
    alias: NETWORK_ALIASES.connect,
    env: {
      BOOTSTRAP_SERVERS: `${NETWORK_ALIASES.kafka}:19092`,
      GROUP_ID: 'converge-connect',
      CONFIG_STORAGE_TOPIC: 'converge-connect-configs',
      OFFSET_STORAGE_TOPIC: 'converge-connect-offsets',
      STATUS_STORAGE_TOPIC: 'converge-connect-status',
      OFFSET_FLUSH_INTERVAL_MS: '1000',
    },
    command: [],
    ports: [mapped(8083, hostPort)],
    wait: { kind: 'http', path: '/connector-plugins', port: 8083 },
  };
}
