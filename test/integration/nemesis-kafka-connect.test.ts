// kafka-restart and connect-restart on the real broker and Connect worker of the live env: a
// topic's messages survive the broker's SIGKILL; a Debezium connector runs again after the
// worker's SIGKILL and resumes from its committed offsets (no second snapshot, new rows captured).
import { randomUUID } from 'node:crypto';
import type { Consumer } from 'kafkajs';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { serviceControlFor } from '../../harness/env/select-service-control.ts';
import type { FaultContext, InjectedFault } from '../../harness/nemesis/fault-kind.ts';
import { faultSpecSchema, type FaultSpecOf } from '../../harness/nemesis/fault-spec.ts';
import { connectRestart } from '../../harness/nemesis/kinds/connect-restart.ts';
import { kafkaRestart } from '../../harness/nemesis/kinds/kafka-restart.ts';
import { ConnectClient } from '../../harness/stores/connect-client.ts';
import { createKafka } from '../../harness/stores/kafka.ts';
import { createMysqlConnection } from '../../harness/stores/mysql.ts';
import { ensureServicesRunning } from './nemesis-guard.ts';
import { testConnectorConfig } from './debezium-connector.ts';

const endpoints = inject('endpoints');
const envDir = inject('envDir');
const suffix = randomUUID().slice(0, 8);
const topic = `nemesis-it-${suffix}`;
const connectorName = `nemesis-it-${suffix}`;
const prefix = `nemesisit${suffix}`;
const table = `nemesis_capture_${suffix}`;
const dataTopic = `${prefix}.${endpoints.mysql.database}.${table}`;
const kafka = createKafka(endpoints.kafka, 'nemesis-it');
const connect = new ConnectClient(endpoints.connect.url);
const context: FaultContext = { endpoints, services: serviceControlFor(envDir), proxies: {} };

afterAll(async () => {
  await ensureServicesRunning(envDir);
  await connect.delete(connectorName).catch(() => {});
  const admin = kafka.admin();
  await admin.connect();
  const existing = await admin.listTopics();
  const mine = [topic, dataTopic, `${prefix}.schema-history`, prefix].filter((name) => existing.includes(name));
  if (mine.length > 0) await admin.deleteTopics({ topics: mine }).catch(() => {});
  await admin.disconnect();
  const db = await createMysqlConnection(endpoints.mysql);
  await db.query(`DROP TABLE IF EXISTS \`${table}\``);
  await db.end();
});

/** Every message of `name` from the beginning, read by a fresh group until `enough` holds (or 60 s). */
async function readTopic(name: string, enough: (values: string[]) => boolean): Promise<string[]> {
  const consumer: Consumer = kafka.consumer({ groupId: `nemesis-it-${randomUUID()}` });
  const values: string[] = [];
  await consumer.connect();
  try {
    // A capture's topic appears once Debezium writes to it: subscribe until it exists.
    for (let attempt = 0; ; attempt++) {
      try {
        await consumer.subscribe({ topic: name, fromBeginning: true });
        break;
      } catch (error) {
        if (attempt > 60) throw error;
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${values.length} messages on ${name} after 60 s`)), 60_000);
      void consumer.run({
        eachMessage: ({ message }) => {
          values.push(message.value?.toString() ?? '');
          if (enough(values)) {
            clearTimeout(timer);
            resolve();
          }
          return Promise.resolve();
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return values;
}

describe('Kafka and Connect faults on the real services', () => {
  it('kafka-restart: the broker comes back with a leader for every topic and the messages it held', async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: Array.from({ length: 50 }, (_, i) => ({ key: String(i), value: `m${i}` })) });
    await producer.disconnect();

    let injected: InjectedFault | undefined = await kafkaRestart.inject(context, faultSpecSchema.parse({ kind: 'kafka-restart', at: { afterMs: 0 } }) as FaultSpecOf<'kafka-restart'>);
    try {
      const heal = await injected.heal();
      injected = undefined;
      expect(heal.errors).toEqual([]);
      process.stderr.write(`[nemesis] kafka-restart heal: ${heal.waitedFor} in ${heal.healMs} ms\n`);
    } finally {
      await injected?.heal();
    }
    const values = await readTopic(topic, (read) => read.length >= 50);
    expect(values.sort()).toEqual(Array.from({ length: 50 }, (_, i) => `m${i}`).sort());
  });

  it('connect-restart: a Debezium connector runs again and resumes from its offsets', async () => {
    const db = await createMysqlConnection(endpoints.mysql);
    try {
      await db.query(`CREATE TABLE \`${table}\` (id INT PRIMARY KEY, name VARCHAR(50))`);
      await db.query(`INSERT INTO \`${table}\` VALUES (1, 'snapshot-row')`);
      await connect.put(connectorName, testConnectorConfig(endpoints, prefix, table, 6000));
      await connect.waitForRunning(connectorName, 90_000);
      const events = (values: string[]) =>
        values.map((value) => (JSON.parse(value) as { payload: { op: string; after: { id: number } | null } }).payload).map((payload) => `${payload.op}${payload.after?.id ?? ''}`);
      // The snapshot's row, then a streamed one: the connector has committed offsets past both.
      await readTopic(dataTopic, (values) => events(values).includes('r1'));
      await db.query(`INSERT INTO \`${table}\` VALUES (2, 'streamed-before')`);
      await readTopic(dataTopic, (values) => events(values).includes('c2'));
      await new Promise((resolve) => setTimeout(resolve, 2500)); // offset.flush.interval.ms is 1 s
      const offsetsBefore = await connect.offsets(connectorName);
      expect(offsetsBefore.offsets.length).toBeGreaterThan(0);

      let injected: InjectedFault | undefined = await connectRestart.inject(
        context,
        faultSpecSchema.parse({ kind: 'connect-restart', at: { afterMs: 0 } }) as FaultSpecOf<'connect-restart'>,
      );
      try {
        const heal = await injected.heal();
        injected = undefined;
        expect(heal.errors).toEqual([]);
        expect(heal.waitedFor).toMatch(/\((\d+) of \1 connectors running\)/);
        process.stderr.write(`[nemesis] connect-restart heal: ${heal.waitedFor} in ${heal.healMs} ms\n`);
      } finally {
        await injected?.heal();
      }
      const status = await connect.status(connectorName);
      expect(status?.connector.state).toBe('RUNNING');
      expect(status?.tasks.map((task) => task.state)).toEqual(['RUNNING']);

      await db.query(`INSERT INTO \`${table}\` VALUES (3, 'streamed-after')`);
      const after = events(await readTopic(dataTopic, (values) => events(values).includes('c3')));
      // Resumed from its offsets: the snapshot was not taken again, and nothing was lost.
      expect(after.filter((event) => event.startsWith('r'))).toEqual(['r1']);
      expect(after).toEqual(expect.arrayContaining(['r1', 'c2', 'c3']));
    } finally {
      await db.end();
    }
  });
});
