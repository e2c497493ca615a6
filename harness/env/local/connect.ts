// The local Kafka Connect: one distributed worker (ConnectDistributed) whose REST API listens on
// 127.0.0.1, with Debezium's MariaDB and MySQL connectors in its plugin.path (each its own folder,
// Kafka's jars excluded, so plugin isolation loads them beside the worker's own Kafka).
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ConnectEndpoint } from '../endpoints.ts';
import { javaArgs } from './java-command.ts';
import { startProcess, type RunningProcess } from './process-service.ts';

export const DEBEZIUM_CLASSES = ['io.debezium.connector.mariadb.MariaDbConnector', 'io.debezium.connector.mysql.MySqlConnector'];

export interface ConnectOptions {
  java: string;
  classpathDir: string;
  /** Plugin folders by name, e.g. { 'debezium-connector-mariadb': '<cache>/debezium-mariadb' }. */
  plugins: Record<string, string>;
  dir: string;
  port: number;
  brokers: string[];
  readyTimeoutMs: number;
}

export interface StartedConnect {
  process: RunningProcess;
  endpoint: ConnectEndpoint;
}

export function connectWorkerProperties(brokers: string[], port: number, pluginPath: string): string {
  return [
    '# converge: one distributed Connect worker, REST on loopback only',
    `bootstrap.servers=${brokers.join(',')}`,
    'group.id=converge-connect',
    `listeners=http://127.0.0.1:${port}`,
    'rest.advertised.host.name=127.0.0.1',
    `rest.advertised.port=${port}`,
    'key.converter=org.apache.kafka.connect.json.JsonConverter',
    'value.converter=org.apache.kafka.connect.json.JsonConverter',
    'config.storage.topic=converge-connect-configs',
    'offset.storage.topic=converge-connect-offsets',
    'status.storage.topic=converge-connect-status',
    'config.storage.replication.factor=1',
    'offset.storage.replication.factor=1',
    'offset.storage.partitions=1',
    'status.storage.replication.factor=1',
    'status.storage.partitions=1',
    // Source offsets are flushed every second so quiesce can compare them to the binlog position.
    'offset.flush.interval.ms=1000',
    `plugin.path=${pluginPath}`,
    // Every plugin here (Kafka's own, Debezium's) ships ServiceLoader manifests, as the worker itself
    // reports under hybrid_warn; reading them instead of scanning every class with reflection cut
    // the worker's start (plugin scan 50 s on a loaded two-core machine) that a connect-restart waits on.
    'plugin.discovery=service_load',
    '',
  ].join('\n');
}

export async function startConnect(options: ConnectOptions): Promise<StartedConnect> {
  const { dir, port } = options;
  const pluginPath = path.join(dir, 'plugins');
  rmSync(pluginPath, { recursive: true, force: true });
  mkdirSync(pluginPath, { recursive: true });
  for (const [name, folder] of Object.entries(options.plugins)) symlinkSync(folder, path.join(pluginPath, name));
  const propertiesFile = path.join(dir, 'worker.properties');
  writeFileSync(propertiesFile, connectWorkerProperties(options.brokers, port, pluginPath));
  const url = `http://127.0.0.1:${port}`;
  const proc = await startProcess({
    name: 'connect',
    command: options.java,
    args: javaArgs({
      heapMb: 768,
      classpathDir: options.classpathDir,
      main: 'org.apache.kafka.connect.cli.ConnectDistributed',
      args: [propertiesFile],
      configDir: dir,
    }),
    cwd: dir,
    logFile: path.join(dir, 'connect.log'),
    pidFile: path.join(dir, 'service.pid'),
    ports: [port],
    readyTimeoutMs: options.readyTimeoutMs,
    probe: async () => {
      const response = await fetch(`${url}/connector-plugins`, { signal: AbortSignal.timeout(3000) });
      if (!response.ok) throw new Error(`GET /connector-plugins answered ${response.status}`);
      const plugins = (await response.json()) as { class: string }[];
      const missing = DEBEZIUM_CLASSES.filter((cls) => !plugins.some((plugin) => plugin.class === cls));
      if (missing.length > 0) throw new Error(`plugins not loaded yet: ${missing.join(', ')}`);
    },
  });
  return { process: proc, endpoint: { url } };
}
