// The saga strategy on the real MariaDB and OpenSearch, driven through its worker process as the
// harness drives it: a write whose document OpenSearch itself rejects (a value out of an integer
// field's range) is compensated and the row is back to its before-image; the worker SIGKILLed with
// dozens of sagas in flight resumes every one of them from the log, applies nothing twice and
// converges; a compensation that a later write superseded is moot and not applied; under the
// semantic lock two sagas of one key never overlap (and without it they do); step 1 and a
// compensation re-run (as recovery re-runs them) apply once. The index is made
// unavailable for real where a test needs sagas to stay in flight: OpenSearch's
// read-only-allow-delete block answers every write with 429, which the saga retries.
import { randomUUID } from 'node:crypto';
import type mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { projectRow } from '../../harness/scenario/projection.ts';
import { createMysqlPool } from '../../harness/stores/mysql.ts';
import { connectSearch } from '../../harness/stores/search/connect-search.ts';
import type { SearchPort } from '../../harness/stores/search/search-port.ts';
import { StrategyWorker } from '../../harness/worker/strategy-worker.ts';
import type { StrategyContext } from '../../strategies/contract.ts';
import { counterEntity, counterRow, expectConverged as expectConvergedOf, opBuilder, POISON, setWriteBlock as setWriteBlockOf } from './strategy-kit.ts';
import { LockWaiters } from '../../strategies/saga/lock-waiters.ts';
import { SagaLog } from '../../strategies/saga/saga-log.ts';
import { sagaLogTable } from '../../strategies/saga/saga-log-sql.ts';
import { SagaStats } from '../../strategies/saga/saga-stats.ts';
import { compensateRow, writeRow, type StepDeps } from '../../strategies/saga/saga-steps.ts';

const endpoints = inject('endpoints');
const suffix = randomUUID().slice(0, 8);
const entity = counterEntity('saga_it');

let pool: mysql.Pool;
let search: SearchPort;
const workers: { worker: StrategyWorker; context: StrategyContext }[] = [];
const { op, increment } = opBuilder();

/** A saga worker on its own table and index, set up. */
async function sagaWorker(name: string, options: Record<string, unknown>, concurrency = 16) {
  const context: StrategyContext = {
    endpoints,
    runId: `it-${suffix}`,
    entity,
    table: `saga_it_${name}_${suffix}`,
    index: `converge-saga-it-${name}-${suffix}`,
    concurrency,
    options,
  };
  const worker = new StrategyWorker('saga', context);
  workers.push({ worker, context });
  await worker.start();
  await worker.call('setup');
  return { worker, context, log: sagaLogTable(context.table) };
}

const setWriteBlock = (index: string, blocked: boolean) => setWriteBlockOf(endpoints.search.url, index, blocked);

const rowOf = (table: string, id: number) => counterRow(pool, table, id);

async function unfinishedSagas(log: string): Promise<number> {
  const [rows] = await pool.query<mysql.RowDataPacket[]>(`SELECT COUNT(*) AS n FROM \`${log}\` WHERE status = 'active'`);
  return Number(rows[0]!.n);
}

const expectConverged = (worker: StrategyWorker, context: StrategyContext) => expectConvergedOf(worker, { pool, search, entity, table: context.table, index: context.index });

beforeAll(async () => {
  pool = createMysqlPool(endpoints.mysql, { connectionLimit: 4 });
  search = await connectSearch(endpoints.search.url);
});

afterAll(async () => {
  for (const { worker, context } of workers) {
    await setWriteBlock(context.index, false).catch(() => {});
    await worker.call('teardown').catch(() => {});
    await worker.stop();
    await pool?.query(`DROP TABLE IF EXISTS \`${context.table}\``);
    await pool?.query(`DROP TABLE IF EXISTS \`${sagaLogTable(context.table)}\``); // if the worker died before its teardown
    await search?.deleteIndex(context.index);
  }
  await pool?.end();
  await search?.close();
});

describe('saga on the real services', () => {
  it('compensates a write whose document OpenSearch rejects: the row is back to its before-image, the client told fail', async () => {
    const { worker, context, log } = await sagaWorker('reject', {});
    await worker.write(op('insert', 1, { name: 'before', amount: 5, counter: 3 }));
    const before = (await rowOf(context.table, 1))!;

    const update = worker.write(op('update', 1, { name: 'poisoned', amount: POISON }));
    await expect(update).rejects.toMatchObject({ definite: true, originalName: 'SagaCompensatedError' });
    await expect(update).rejects.toThrow(/mapper_parsing_exception/);
    const restored = (await rowOf(context.table, 1))!;
    // Under ack: end (the default) the client was told fail: the row is exactly its before-image,
    // version included, as if the write never happened.
    expect(restored).toEqual(before);
    expect((await search.get(context.index, '1'))?.source).toEqual(projectRow(entity, restored as never));

    // A poisoned insert is undone entirely; a poisoned increment cannot exist, a valid write passes.
    await expect(worker.write(op('insert', 2, { name: 'never', amount: POISON, counter: 0 }))).rejects.toMatchObject({ definite: true });
    expect(await rowOf(context.table, 2)).toBeNull();
    expect(await search.get(context.index, '2')).toBeUndefined();
    await worker.write(increment(1));

    await expectConverged(worker, context);
    const stats = await worker.stats();
    expect(stats).toMatchObject({ sagasStarted: 4, sagasCompleted: 2, sagasCompensated: 2, compensationsMoot: 0, sagasFailed: 0, sagaLogRowsUnfinished: 0 });
    expect(await unfinishedSagas(log)).toBe(0);
  });

  it('resumes every saga in flight when the worker is SIGKILLed, to the end, applying nothing twice', async () => {
    const keys = 120;
    const { worker, context, log } = await sagaWorker('crash', { ack: 'step1', indexAttempts: 200, retryInitialMs: 20, retryMaxMs: 200 }, 32);
    const seed = Array.from({ length: keys }, (_, i) => op('insert', 100 + i, { name: `k${i}`, amount: i, counter: 0 }));
    for (let i = 0; i < seed.length; i += 16) await Promise.all(seed.slice(i, i + 16).map((o) => worker.write(o)));
    expect((await worker.quiesce(60_000)).quiet).toBe(true);

    // The index refuses writes (429): every saga that commits step 1 stays in flight, retrying.
    await setWriteBlock(context.index, true);
    const writes = Array.from({ length: keys }, (_, i) => worker.write(increment(100 + i)).then(() => 'ok', () => 'lost'));
    const deadline = Date.now() + 60_000;
    while ((await unfinishedSagas(log)) < 60 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    await worker.kill();
    await new Promise((resolve) => setTimeout(resolve, 500)); // a COMMIT the server had already received lands
    const inFlight = await unfinishedSagas(log);
    expect(inFlight).toBeGreaterThanOrEqual(50);
    const answered = await Promise.all(writes);

    await setWriteBlock(context.index, false);
    await worker.restart(); // open + recover(): recover waits until each resumed saga has ended
    expect(await unfinishedSagas(log)).toBe(0);
    const stats = await worker.stats();
    expect(stats.sagasRecovered).toBe(inFlight);
    expect(stats.sagasRecoveredByThisWorker).toBe(inFlight);
    expect(stats.sagasFailed).toBe(0);
    expect(stats.sagasCompensated).toBe(0);
    await expectConverged(worker, context);

    // Nothing applied twice: each key's counter is exactly the number of increments the log saw commit.
    const [perKey] = await pool.query<mysql.RowDataPacket[]>(
      `SELECT t.id, t.counter, t.version, (SELECT COUNT(*) FROM \`${log}\` l WHERE l.row_id = t.id) AS sagas FROM \`${context.table}\` t WHERE t.id BETWEEN 100 AND ${100 + keys - 1}`,
    );
    let committed = 0;
    for (const row of perKey) {
      expect(Number(row.counter), `key ${row.id}`).toBe(Number(row.sagas) - 1);
      expect(Number(row.version), `key ${row.id}`).toBe(Number(row.sagas));
      committed += Number(row.counter);
    }
    expect(committed).toBeGreaterThanOrEqual(answered.filter((a) => a === 'ok').length);
    expect(committed).toBeGreaterThanOrEqual(inFlight);

    // The pending markers went with their sagas: the keys take writes again at once.
    await Promise.all(Array.from({ length: 10 }, (_, i) => worker.write(increment(100 + i))));
    await expectConverged(worker, context);
  });

  it('records a compensation that a later write superseded as moot, and does not apply it', async () => {
    const { worker, context } = await sagaWorker('moot', { isolation: 'none', ack: 'step1', indexAttempts: 200, retryInitialMs: 20, retryMaxMs: 100 });
    await worker.write(op('insert', 7, { name: 'seed', amount: 1, counter: 0 }));
    expect((await worker.quiesce(30_000)).quiet).toBe(true);
    // With the index refusing writes, saga A (poisoned) cannot get past its index step; saga B
    // updates the same key meanwhile. Once the index is back, A's document is rejected (400) and
    // its compensation finds the row at B's version.
    await setWriteBlock(context.index, true);
    const a = await worker.write(op('update', 7, { name: 'poisoned', amount: POISON }));
    const b = await worker.write(op('update', 7, { name: 'later', amount: 2 }));
    expect([a.version, b.version]).toEqual([2, 3]);
    while (Number((await worker.stats()).indexRetries) < 2) await new Promise((resolve) => setTimeout(resolve, 20));
    await setWriteBlock(context.index, false);

    await expectConverged(worker, context);
    expect(await rowOf(context.table, 7)).toMatchObject({ name: 'later', amount: 2, version: 3 });
    const stats = await worker.stats();
    expect(stats).toMatchObject({ compensationsMoot: 1, sagasCompensated: 0, sagasFailed: 0, sagaLogRowsUnfinished: 0 });
    const [logged] = await pool.query<mysql.RowDataPacket[]>(`SELECT status, compensation FROM \`${sagaLogTable(context.table)}\` WHERE row_id = 7 ORDER BY seq`);
    expect(logged.map((row) => String(row.status))).toEqual(['done', 'moot', 'done']);
    expect(JSON.parse(String(logged[1]!.compensation))).toEqual({ outcome: 'moot', reason: 'a later saga of key 7 committed (seq 3 > 2)' });
  });

  it('applies step 1 and a compensation once however often they are re-run (as recovery re-runs them)', async () => {
    const { context, log } = await sagaWorker('rerun', {});
    const deps: StepDeps = {
      pool,
      search,
      entity,
      table: context.table,
      index: context.index,
      log: new SagaLog(pool, log),
      // ack: step1 — the client was told ok, so the compensation is a write of its own (version + 1).
      options: { ack: 'step1', isolation: 'semantic-lock', indexRefresh: 'none' },
      waiters: new LockWaiters(),
      stats: new SagaStats(),
    };
    await pool.query(`INSERT INTO \`${context.table}\` (id, version, name, amount, counter) VALUES (3, 1, 'three', 30, 0)`);
    const write = { sagaId: randomUUID(), op: increment(3), resumed: false };
    const first = await writeRow(deps, write);
    expect(first).toMatchObject({ seq: 1, before: { version: 1, counter: 0 }, after: { version: 2, counter: 1 } });
    // Recovery re-runs step 1 of a saga whose log row has no snapshot: the recorded result, no second increment.
    expect(await writeRow(deps, { ...write, resumed: true })).toEqual(first);
    // Were the check skipped, the transaction could not commit: the saga id is the log's unique key.
    await expect(writeRow(deps, write)).rejects.toMatchObject({ definite: true });
    expect(await rowOf(context.table, 3)).toMatchObject({ version: 2, counter: 1 });

    const compensation = { sagaId: write.sagaId, op: write.op, step: first };
    const applied = await compensateRow(deps, compensation);
    expect(applied).toMatchObject({ outcome: 'applied', row: { version: 3, counter: 0 } });
    expect(await compensateRow(deps, compensation)).toEqual(applied);
    expect(await rowOf(context.table, 3)).toMatchObject({ version: 3, counter: 0, name: 'three', amount: 30 });
  });

  it('never overlaps two sagas of one key under the semantic lock; without it they overlap', async () => {
    const overlaps = async (name: string, isolation: 'none' | 'semantic-lock') => {
      const { worker, context, log } = await sagaWorker(name, { isolation, lockTimeoutMs: 60_000, indexAttempts: 200, retryInitialMs: 10, retryMaxMs: 100 });
      await worker.write(op('insert', 5, { name: 'hot', amount: 1, counter: 0 }));
      // Sagas stay in flight while the index refuses writes; eight writers go at the one key.
      await setWriteBlock(context.index, true);
      const writes = Promise.all(Array.from({ length: 8 }, (_, i) => worker.write(i % 2 === 0 ? increment(5) : op('update', 5, { name: `w${i}` }))));
      await new Promise((resolve) => setTimeout(resolve, 500));
      await setWriteBlock(context.index, false);
      await writes;
      await expectConverged(worker, context);
      expect(await rowOf(context.table, 5)).toMatchObject({ version: 9, counter: 4 });
      const [sagas] = await pool.query<mysql.RowDataPacket[]>(
        `SELECT seq, DATE_FORMAT(started_at, '%Y-%m-%d %H:%i:%s.%f') AS started, DATE_FORMAT(finished_at, '%Y-%m-%d %H:%i:%s.%f') AS finished FROM \`${log}\` WHERE row_id = 5 ORDER BY seq`,
      );
      expect(sagas).toHaveLength(9);
      let count = 0;
      for (let i = 1; i < sagas.length; i++) if (String(sagas[i]!.started) < String(sagas[i - 1]!.finished)) count++;
      return { count, stats: await worker.stats() };
    };
    const locked = await overlaps('lock', 'semantic-lock');
    expect(locked.count).toBe(0);
    expect(Number(locked.stats.lockWaits)).toBeGreaterThan(0);
    const unlocked = await overlaps('nolock', 'none');
    expect(unlocked.count).toBeGreaterThan(0);
    expect(unlocked.stats.lockWaits).toBe(0);
  });
});
