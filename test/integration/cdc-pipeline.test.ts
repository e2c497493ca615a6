// The cdc strategy on the real pipeline (MariaDB binlog → Debezium in Connect → Kafka → converge's
// sink → OpenSearch), driven through its worker process as the harness drives it: inserts, updates
// and deletes (tombstones) arrive versioned; a duplicate key MySQL rejects never shows up; the same
// events delivered again are rejected as stale, not applied; the sink SIGKILLed mid-stream and
// restarted loses nothing and leaves every document at MySQL's latest version.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { applyMysqlWrite } from '../../harness/entity/mysql-writes.ts';
import type { Entity } from '../../harness/scenario/schema.ts';
import { createKafka } from '../../harness/stores/kafka.ts';
import { createMysqlPool, type MysqlPool } from '../../harness/stores/mysql.ts';
import { connectSearch } from '../../harness/stores/search/connect-search.ts';
import type { SearchPort } from '../../harness/stores/search/search-port.ts';
import { StrategyWorker } from '../../harness/worker/strategy-worker.ts';
import type { Op } from '../../harness/workload/op.ts';
import { captureNames } from '../../strategies/cdc/capture-names.ts';
import type { StrategyContext } from '../../strategies/contract.ts';

const endpoints = inject('endpoints');
const suffix = randomUUID().slice(0, 8);
const entity: Entity = {
  table: 'cdc_it',
  columns: { name: { type: 'varchar', length: 32, nullable: false }, counter: { type: 'bigint', nullable: false } },
  projection: { rename: {}, drop: [], computed: {} },
};
const context: StrategyContext = {
  endpoints,
  runId: `it-${suffix}`,
  entity,
  table: `cdc_it_${suffix}`,
  index: `converge-cdc-it-${suffix}`,
  concurrency: 4,
  options: {},
};
const names = captureNames(context.runId, endpoints.mysql.database, context.table, 'es_sink_connector', 'dlq');
const worker = new StrategyWorker('cdc', context);
let pool: MysqlPool;
let search: SearchPort;
let step = 0;
const op = (kind: Op['kind'], id: number, values?: Record<string, string | number>): Op => ({ index: step++, phase: 'it', kind, id, ...(values ? { values } : {}) });

async function stats(): Promise<Record<string, number>> {
  return (await worker.stats()) as Record<string, number>;
}

/** Every row of the table and every document of the index, by id: { version, counter, name }. */
async function bothStores(): Promise<{ rows: Map<number, string>; docs: Map<number, string> }> {
  const [rows] = await pool.query<import('mysql2').RowDataPacket[]>(`SELECT id, version, name, counter FROM \`${context.table}\``);
  const rowMap = new Map(rows.map((row) => [Number(row.id), JSON.stringify([Number(row.version), row.name, Number(row.counter)])]));
  await search.refresh(context.index);
  const docMap = new Map<number, string>();
  for await (const doc of search.scan(context.index, { sortField: 'id' })) docMap.set(Number(doc.source.id), JSON.stringify([doc.source.version, doc.source.name, doc.source.counter]));
  return { rows: rowMap, docs: docMap };
}

async function expectConverged(): Promise<void> {
  const quiet = await worker.quiesce(90_000);
  expect(quiet.quiet, quiet.detail).toBe(true);
  const { rows, docs } = await bothStores();
  expect(docs).toEqual(rows);
}

beforeAll(async () => {
  pool = createMysqlPool(endpoints.mysql, { connectionLimit: 4, multipleStatements: true });
  search = await connectSearch(endpoints.search.url);
  await worker.start();
  await worker.call('setup');
}, 180_000);

afterAll(async () => {
  await worker.call('teardown').catch(() => {});
  await worker.stop();
  await pool?.query(`DROP TABLE IF EXISTS \`${context.table}\``);
  await search?.deleteIndex(context.index);
  await pool?.end();
  await search?.close();
});

describe('cdc on the real pipeline', () => {
  it('applies inserts, updates and deletes (tombstones), each versioned by its binlog position', async () => {
    for (let id = 1; id <= 5; id++) await worker.write(op('insert', id, { name: `n${id}`, counter: 0 }));
    await worker.write(op('update', 2, { name: 'two' }));
    await worker.write({ ...op('increment', 3), column: 'counter', delta: 1 });
    await pool.query(`UPDATE \`${context.table}\` SET counter = counter + 5, version = version + 1 WHERE id = 3`);
    await worker.write(op('delete', 4));
    await expectConverged();
    const doc = await search.get(context.index, '2');
    expect(doc?.source).toMatchObject({ id: 2, name: 'two', version: 2 });
    // The engine's external version is the binlog version, far above the row's own counter.
    expect(doc!.version).toBeGreaterThan(2 ** 32);
    expect(await search.get(context.index, '4')).toBeUndefined();
    const s = await stats();
    expect(s.tombstonesReceived).toBeGreaterThanOrEqual(1);
    expect(s.unversionedWrites).toBe(0);
    expect(s.deadLettered).toBe(0);
  });

  it('never shows a duplicate insert MySQL rejected', async () => {
    await expect(worker.write(op('insert', 1, { name: 'impostor', counter: 99 }))).rejects.toMatchObject({ definite: true });
    await expectConverged();
    expect((await search.get(context.index, '1'))?.source).toMatchObject({ name: 'n1', counter: 0 });
  });

  it('rejects the same events delivered a second time as stale instead of applying them', async () => {
    const before = await stats();
    const kafka = createKafka(endpoints.kafka, `it-replay-${suffix}`);
    const consumer = kafka.consumer({ groupId: `it-replay-${suffix}` });
    const producer = kafka.producer();
    await Promise.all([consumer.connect(), producer.connect()]);
    const copies: { key: Buffer | null; value: Buffer | null }[] = [];
    try {
      await consumer.subscribe({ topic: names.dataTopic, fromBeginning: true });
      const end = Number((await kafka.admin().fetchTopicOffsets(names.dataTopic))[0]!.high);
      await new Promise<void>((resolve) => {
        void consumer.run({
          eachMessage: ({ message }) => {
            // Only what the topic held before the replay: this consumer runs on until disconnected,
            // and would otherwise collect the replayed copies too (a flaky count, seen in CI).
            if (Number(message.offset) >= end) return Promise.resolve();
            copies.push({ key: message.key, value: message.value });
            if (Number(message.offset) + 1 >= end) resolve();
            return Promise.resolve();
          },
        });
      });
      // Redeliver every event: same payloads, new offsets, as a replayed or recreated topic would.
      await producer.send({ topic: names.dataTopic, messages: copies });
    } finally {
      await Promise.all([consumer.disconnect(), producer.disconnect()]);
    }
    await expectConverged();
    const after = await stats();
    const replayedWrites = copies.filter((c) => c.value === null).length + copies.filter((c) => c.value !== null && !c.value.toString().includes('"op":"d"')).length;
    expect(Number(after.rejectedStale) - Number(before.rejectedStale)).toBe(replayedWrites);
    expect(Number(after.applied) - Number(before.applied)).toBe(0);
  });

  it('loses nothing and applies nothing out of order when the sink is SIGKILLed mid-stream', async () => {
    const writer = await pool.getConnection();
    try {
      for (let id = 10; id < 60; id++) await applyMysqlWrite(writer, context.table, op('insert', id, { name: `k${id}`, counter: 0 }));
      // A stream of increments on 50 keys; the worker (and its sink) is killed while it flows.
      let killed = false;
      for (let i = 0; i < 1500; i++) {
        await applyMysqlWrite(writer, context.table, { ...op('increment', 10 + (i % 50)), column: 'counter', delta: 1 });
        if (i === 300) {
          await worker.kill();
          killed = true;
        }
      }
      expect(killed).toBe(true);
    } finally {
      writer.release();
    }
    await worker.restart();
    await expectConverged();
    const [rows] = await pool.query<import('mysql2').RowDataPacket[]>(`SELECT SUM(counter) AS total FROM \`${context.table}\` WHERE id BETWEEN 10 AND 59`);
    expect(Number(rows[0]!.total)).toBe(1500);
  });
});
