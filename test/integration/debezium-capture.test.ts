// A row written to the private MariaDB reaches Kafka as a Debezium change event, through a MariaDB
// connector created over Connect's REST API: the ground the cdc strategy stands on.
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { ConnectClient } from '../../harness/stores/connect-client.ts';
import { createKafka } from '../../harness/stores/kafka.ts';
import { createMysqlConnection } from '../../harness/stores/mysql.ts';
import { testConnectorConfig } from './debezium-connector.ts';

const endpoints = inject('endpoints');
const suffix = randomUUID().slice(0, 8);
const connectorName = `it-capture-${suffix}`;
const prefix = `it${suffix}`;
const table = `capture_${suffix}`;
const connect = new ConnectClient(endpoints.connect.url);

afterAll(async () => {
  await connect.delete(connectorName);
});

describe('Debezium capture on the local env', () => {
  it('lists the Debezium MariaDB and MySQL connector classes', async () => {
    const classes = (await connect.plugins()).map((plugin) => plugin.class);
    expect(classes).toContain('io.debezium.connector.mariadb.MariaDbConnector');
    expect(classes).toContain('io.debezium.connector.mysql.MySqlConnector');
  });

  it('delivers an inserted row as a change event read with kafkajs', async () => {
    const db = await createMysqlConnection(endpoints.mysql);
    await db.query(`CREATE TABLE \`${table}\` (id INT PRIMARY KEY, name VARCHAR(50), counter INT)`);
    await db.query(`INSERT INTO \`${table}\` VALUES (1, 'snapshot-row', 0)`);
    await connect.put(connectorName, testConnectorConfig(endpoints, prefix, table, 5000));
    await connect.waitForRunning(connectorName, 90_000);

    const topic = `${prefix}.${endpoints.mysql.database}.${table}`;
    const kafka = createKafka(endpoints.kafka, 'it-capture');
    const consumer = kafka.consumer({ groupId: `it-capture-${suffix}` });
    await consumer.connect();
    const events: { key: unknown; value: { payload: { op: string; after: Record<string, unknown> | null; source: Record<string, unknown> } } }[] = [];
    try {
      // The topic appears once Debezium has written the snapshot; subscribe retries until it exists.
      for (let attempt = 0; ; attempt++) {
        try {
          await consumer.subscribe({ topic, fromBeginning: true });
          break;
        } catch (error) {
          if (attempt > 60) throw error;
          await new Promise((resolve) => setTimeout(resolve, 1000));
        }
      }
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`only ${events.length} events after 60 s`)), 60_000);
        void consumer.run({
          eachMessage: async ({ message }) => {
            events.push({ key: JSON.parse(message.key!.toString()) as unknown, value: JSON.parse(message.value!.toString()) as (typeof events)[number]['value'] });
            // The second row is written only once the snapshot's event is seen, so it must stream.
            if (events.length === 1) await db.query(`INSERT INTO \`${table}\` VALUES (2, 'streamed-row', 7)`);
            if (events.length >= 2) {
              clearTimeout(timer);
              resolve();
            }
          },
        });
      });
    } finally {
      await consumer.disconnect();
      await db.end();
    }
    const [snapshot, streamed] = events.map((event) => event.value.payload);
    expect(snapshot!.op).toBe('r');
    expect(snapshot!.after).toEqual({ id: 1, name: 'snapshot-row', counter: 0 });
    expect(streamed!.op).toBe('c');
    expect(streamed!.after).toEqual({ id: 2, name: 'streamed-row', counter: 7 });
    expect(streamed!.source.connector).toBe('mariadb');
    expect(events[1]!.key).toMatchObject({ payload: { id: 2 } });
    expect(typeof streamed!.source.file).toBe('string');
    expect(Number(streamed!.source.pos)).toBeGreaterThan(0);
  });
});
