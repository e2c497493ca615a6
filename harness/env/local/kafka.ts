// The local Kafka: one KRaft node acting as broker and controller (org.apache.kafka:kafka_2.13),
// listeners on 127.0.0.1 only, storage formatted once with a fresh cluster id, replication factor 1.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { ServiceStartError } from '../../errors.ts';
import type { KafkaEndpoint } from '../endpoints.ts';
import { javaArgs } from './java-command.ts';
import { startProcess, type RunningProcess } from './process-service.ts';

export interface KafkaOptions {
  java: string;
  classpathDir: string;
  dir: string;
  port: number;
  controllerPort: number;
  readyTimeoutMs: number;
}

export interface StartedKafka {
  process: RunningProcess;
  endpoint: KafkaEndpoint;
}

export function kafkaServerProperties(dataDir: string, port: number, controllerPort: number): string {
  return [
    '# converge: single-node KRaft broker+controller, loopback only',
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
    'controller.listener.names=CONTROLLER',
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'inter.broker.listener.name=PLAINTEXT',
    `log.dirs=${dataDir}`,
    'num.partitions=1',
    'default.replication.factor=1',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=4',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    'auto.create.topics.enable=true',
    'delete.topic.enable=true',
    '',
  ].join('\n');
}

export async function startKafka(options: KafkaOptions): Promise<StartedKafka> {
  const { dir, port, controllerPort } = options;
  const dataDir = path.join(dir, 'data');
  mkdirSync(dir, { recursive: true });
  const propertiesFile = path.join(dir, 'server.properties');
  writeFileSync(propertiesFile, kafkaServerProperties(dataDir, port, controllerPort));
  if (!existsSync(path.join(dataDir, 'meta.properties'))) {
    // A KRaft cluster id is 16 random bytes, base64url without padding.
    const clusterId = randomBytes(16).toString('base64url');
    const format = spawnSync(
      options.java,
      javaArgs({
        heapMb: 256,
        classpathDir: options.classpathDir,
        main: 'kafka.tools.StorageTool',
        args: ['format', '-t', clusterId, '-c', propertiesFile],
        configDir: dir,
      }),
      { encoding: 'utf8' },
    );
    if (format.status !== 0) {
      throw new ServiceStartError('kafka', `storage format failed (exit ${format.status}):\n${format.stdout}${format.stderr}`);
    }
  }
  const brokers = [`127.0.0.1:${port}`];
  const kafka = new Kafka({ clientId: 'converge-probe', brokers, logLevel: logLevel.NOTHING, retry: { retries: 0 } });
  const proc = await startProcess({
    name: 'kafka',
    command: options.java,
    args: javaArgs({ heapMb: 512, classpathDir: options.classpathDir, main: 'kafka.Kafka', args: [propertiesFile], configDir: dir }),
    cwd: dir,
    logFile: path.join(dir, 'kafka.log'),
    pidFile: path.join(dir, 'service.pid'),
    ports: [port, controllerPort],
    readyTimeoutMs: options.readyTimeoutMs,
    probe: async () => {
      const admin = kafka.admin();
      await admin.connect();
      try {
        const cluster = await admin.describeCluster();
        if (cluster.brokers.length === 0) throw new Error('no broker registered yet');
      } finally {
        await admin.disconnect();
      }
    },
  });
  return { process: proc, endpoint: { brokers } };
}
