// The 2pc strategy on the real MariaDB and OpenSearch, driven through its worker process as the
// harness drives it. A document OpenSearch itself refuses (a value out of an integer field's
// range) aborts the whole transaction at prepare. The coordinator is SIGKILLed (1) after PREPARE
// and before its decision: after the restart the branch is rolled back on both sides; (2) after
// COMMIT is logged and before phase 2: after the restart both sides commit; (3) with ≥ 50
// transactions in flight: XA RECOVER is empty for the run afterwards, no staged document is left,
// and the stores converge; (4) a writer to a key with an in-doubt branch is blocked, its wait
// recorded, and it times out (or goes on once recovery ends the branch). Crash points are real:
// the test-only `holdAt` option stops a write at the point, and the worker is SIGKILLed from here.
import { randomUUID } from 'node:crypto';
import type mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { projectRow } from '../../harness/scenario/projection.ts';
import { createMysqlPool } from '../../harness/stores/mysql.ts';
import { connectSearch } from '../../harness/stores/search/connect-search.ts';
import type { SearchPort } from '../../harness/stores/search/search-port.ts';
import { StrategyWorker } from '../../harness/worker/strategy-worker.ts';
import type { StrategyContext } from '../../strategies/contract.ts';
import { decisionLogTable } from '../../strategies/2pc/decision-log-sql.ts';
import { stagingIndexName } from '../../strategies/2pc/search-participant.ts';
import { runBranches, xidPrefix, type RecoveredBranch } from '../../strategies/2pc/xid.ts';
import { counterEntity, counterRow, expectConverged as expectConvergedOf, opBuilder, POISON, setWriteBlock as setWriteBlockOf } from './strategy-kit.ts';

const endpoints = inject('endpoints');
const suffix = randomUUID().slice(0, 8);
const entity = counterEntity('twopc_it');

let pool: mysql.Pool;
let search: SearchPort;
const contexts: StrategyContext[] = [];
const workers: StrategyWorker[] = [];
const { op, increment } = opBuilder();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A 2pc run on its own table and index: a worker that set it up, and the run's names. */
async function twoPcRun(name: string, concurrency = 16) {
  const context: StrategyContext = {
    endpoints,
    runId: `it-${suffix}`,
    entity,
    table: `twopc_it_${name}_${suffix}`,
    index: `converge-twopc-it-${name}-${suffix}`,
    concurrency,
    options: {},
  };
  contexts.push(context);
  const worker = await attach(context, {});
  await worker.call('setup');
  return { worker, context, prefix: xidPrefix(context.runId, context.table), log: decisionLogTable(context.table), staging: stagingIndexName(context.index) };
}

/** Another worker (coordinator process) of the same run, with its own options; opened, not recovered. */
async function attach(context: StrategyContext, options: Record<string, unknown>): Promise<StrategyWorker> {
  const worker = new StrategyWorker('2pc', { ...context, options });
  workers.push(worker);
  await worker.start();
  return worker;
}

async function preparedOf(prefix: string): Promise<string[]> {
  const [rows] = await pool.query<(mysql.RowDataPacket & RecoveredBranch)[]>('XA RECOVER');
  return runBranches(rows, prefix);
}

async function stagedCount(staging: string): Promise<number> {
  await search.refresh(staging);
  return search.count(staging);
}

async function decisions(log: string): Promise<{ xid: string; decision: string; recovered: number; rowId: number | null }[]> {
  const [rows] = await pool.query<mysql.RowDataPacket[]>(`SELECT xid, decision, recovered, row_id FROM \`${log}\` ORDER BY decided_at`);
  return rows.map((row) => ({ xid: String(row.xid), decision: String(row.decision), recovered: Number(row.recovered), rowId: row.row_id === null ? null : Number(row.row_id) }));
}

/** The row as committed (a consistent read: a prepared branch's change is not visible, and does not block it). */
const rowOf = (table: string, id: number) => counterRow(pool, table, id);

async function until(what: string, condition: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

const setWriteBlock = (index: string, blocked: boolean) => setWriteBlockOf(endpoints.search.url, index, blocked);

const expectConverged = (worker: StrategyWorker, context: StrategyContext) => expectConvergedOf(worker, { pool, search, entity, table: context.table, index: context.index });

beforeAll(async () => {
  pool = createMysqlPool(endpoints.mysql, { connectionLimit: 4 });
  search = await connectSearch(endpoints.search.url);
});

afterAll(async () => {
  for (const context of contexts) await setWriteBlock(context.index, false).catch(() => {});
  for (const worker of workers) await worker.kill();
  // A fresh worker per run tears down (ends whatever a killed one left in doubt), as a leftover cleanup would.
  for (const context of contexts) {
    const cleaner = new StrategyWorker('2pc', { ...context, options: {} });
    await cleaner.start().then(() => cleaner.call('teardown')).catch(() => {});
    await cleaner.stop();
  }
  for (const context of contexts) {
    await pool?.query(`DROP TABLE IF EXISTS \`${context.table}\``);
    await pool?.query(`DROP TABLE IF EXISTS \`${decisionLogTable(context.table)}\``);
    await search?.deleteIndex(context.index);
    await search?.deleteIndex(stagingIndexName(context.index));
  }
  await pool?.end();
  await search?.close();
});

describe('2pc on the real services', () => {
  it('commits each write on both sides, and aborts the whole transaction when OpenSearch refuses the staged document', async () => {
    const { worker, context, prefix, staging, log } = await twoPcRun('reject');
    await worker.write(op('insert', 1, { name: 'before', amount: 5, counter: 3 }));
    await worker.write(op('insert', 2, { name: 'two', amount: 2, counter: 0 }));
    await worker.write(increment(1));
    await worker.write(op('delete', 2));
    const before = (await rowOf(context.table, 1))!;
    expect(before).toMatchObject({ version: 2, counter: 4 });
    expect((await search.get(context.index, '1'))?.source).toEqual(projectRow(entity, before as never));
    expect(await search.get(context.index, '2')).toBeUndefined();

    const poisoned = worker.write(op('update', 1, { name: 'poisoned', amount: POISON }));
    await expect(poisoned).rejects.toMatchObject({ definite: true, retriable: false, originalName: 'TransactionAbortedError' });
    await expect(poisoned).rejects.toThrow(/mapper_parsing_exception/);
    expect(await rowOf(context.table, 1)).toEqual(before);
    expect((await search.get(context.index, '1'))?.source).toEqual(projectRow(entity, before as never));
    await expect(worker.write(op('insert', 3, { name: 'never', amount: POISON, counter: 0 }))).rejects.toMatchObject({ definite: true });
    expect(await rowOf(context.table, 3)).toBeNull();
    expect(await search.get(context.index, '3')).toBeUndefined();
    // A write that changes nothing is no transaction to commit.
    expect(await worker.write(op('update', 404, { name: 'nobody' }))).toEqual({ value: null, version: null });

    await expectConverged(worker, context);
    expect(await preparedOf(prefix)).toEqual([]);
    expect(await stagedCount(staging)).toBe(0);
    expect((await decisions(log)).map((d) => d.decision).sort()).toEqual(['abort', 'abort', 'commit', 'commit', 'commit', 'commit']);
    const stats = await worker.stats();
    expect(stats).toMatchObject({ transactionsCommitted: 4, transactionsAborted: 2, rejectedAtPrepare: 2, writesUnchanged: 1, preparedLeft: 0, stagingLeft: 0, leftInDoubt: 0 });
    expect(stats['lockWaitMs.samples']).toBe(7);
    expect(stats['inDoubtMs.samples']).toBe(4);
  });

  it('(1) killed after PREPARE, before the decision: after the restart the branch is rolled back on both sides', async () => {
    const { worker, context, prefix, staging, log } = await twoPcRun('crash-prepared');
    await worker.write(op('insert', 5, { name: 'before', amount: 1, counter: 0 }));
    const seeded = (await rowOf(context.table, 5))!;
    const coordinator = await attach(context, { holdAt: { point: 'after-prepare', ids: [5] } });
    const held = coordinator.write(op('update', 5, { name: 'after', amount: 2 })).then(
      () => 'answered',
      (error: unknown) => error,
    );
    await until('the branch prepared and the document staged', async () => (await preparedOf(prefix)).length === 1 && (await stagedCount(staging)) === 1);
    expect(await decisions(log)).toHaveLength(1); // the seed's commit only: no decision for the held one
    expect((await search.get(context.index, '5'))?.source).toEqual(projectRow(entity, seeded as never));

    await coordinator.kill();
    expect(await held).toMatchObject({ definite: false });
    // The prepared branch outlives its connection, with its change invisible and its row locked.
    const [xid] = await preparedOf(prefix);
    expect(xid).toBeDefined();
    expect(await rowOf(context.table, 5)).toEqual(seeded);

    await coordinator.restart(); // open + recover()
    expect(await preparedOf(prefix)).toEqual([]);
    expect(await stagedCount(staging)).toBe(0);
    expect(await rowOf(context.table, 5)).toEqual(seeded);
    expect((await search.get(context.index, '5'))?.source).toEqual(projectRow(entity, seeded as never));
    expect((await decisions(log)).find((d) => d.xid === xid)).toMatchObject({ decision: 'abort', recovered: 1 });
    expect(await coordinator.stats()).toMatchObject({ recoveredRolledBack: 1, recoveredCommitted: 0, lastRecoveryBranches: 1, preparedLeft: 0, stagingLeft: 0 });
    // The lock went with the branch: the key takes writes again at once.
    await worker.write(op('update', 5, { name: 'later' }));
    await expectConverged(worker, context);
  });

  it('(2) killed after COMMIT is logged, before phase 2: after the restart both sides commit', async () => {
    const { worker, context, prefix, staging, log } = await twoPcRun('crash-decided');
    await worker.write(op('insert', 6, { name: 'before', amount: 1, counter: 0 }));
    const seeded = (await rowOf(context.table, 6))!;
    const coordinator = await attach(context, { holdAt: { point: 'after-decision', ids: [6] } });
    const held = coordinator.write(op('update', 6, { name: 'after', amount: 2 })).catch((error: unknown) => error);
    await until('COMMIT logged', async () => (await decisions(log)).length === 2);
    // Decided, but phase 2 has not begun: neither store shows the value yet.
    expect((await search.get(context.index, '6'))?.source).toEqual(projectRow(entity, seeded as never));
    expect(await rowOf(context.table, 6)).toEqual(seeded);

    await coordinator.kill();
    expect(await held).toMatchObject({ definite: false });
    const [xid] = await preparedOf(prefix);
    expect((await decisions(log)).find((d) => d.xid === xid)).toMatchObject({ decision: 'commit', recovered: 0, rowId: 6 });
    expect(await stagedCount(staging)).toBe(1);

    await coordinator.restart();
    const committed = (await rowOf(context.table, 6))!;
    expect(committed).toMatchObject({ name: 'after', amount: 2, version: 2 });
    const doc = await search.get(context.index, '6');
    expect(doc?.source).toEqual(projectRow(entity, committed as never));
    expect(doc?.version).toBe(2); // the row's version is the document's external version
    expect(await preparedOf(prefix)).toEqual([]);
    expect(await stagedCount(staging)).toBe(0);
    expect((await decisions(log)).find((d) => d.xid === xid)).toMatchObject({ decision: 'commit', recovered: 1 });
    expect(await coordinator.stats()).toMatchObject({ recoveredCommitted: 1, recoveredRolledBack: 0, lastRecoveryBranches: 1 });
    await expectConverged(worker, context);
  });

  it('(3) killed with ≥ 50 transactions in flight: afterwards XA RECOVER is empty for the run, no staged document is left, the stores converge', async () => {
    const keys = 120;
    const undecided = 40; // held after PREPARE; the others stay in phase 2 while the index refuses writes
    const { worker, context, prefix, staging, log } = await twoPcRun('crash-many', 160);
    const ids = Array.from({ length: keys }, (_, i) => 100 + i);
    for (let i = 0; i < ids.length; i += 16) await Promise.all(ids.slice(i, i + 16).map((id) => worker.write(op('insert', id, { name: `k${id}`, amount: id, counter: 0 }))));
    const coordinator = await attach(context, {
      holdAt: { point: 'after-prepare', ids: ids.slice(0, undecided) },
      phaseTwoAttempts: 10_000,
      retryInitialMs: 20,
      retryMaxMs: 100,
    });
    await setWriteBlock(context.index, true);
    const writes = ids.map((id) => coordinator.write(increment(id)).then(() => 'ok', () => 'lost'));
    const decided = async () => (await decisions(log)).filter((d) => d.decision === 'commit').length;
    // Every increment prepared; COMMIT logged for all but the held ones (besides the seed's inserts).
    await until('every transaction prepared and all but the held ones decided', async () => (await preparedOf(prefix)).length === keys && (await decided()) === 2 * keys - undecided);

    await coordinator.kill();
    expect(await Promise.all(writes)).toEqual(ids.map(() => 'lost'));
    const inFlight = await preparedOf(prefix);
    expect(inFlight.length).toBeGreaterThanOrEqual(50);
    expect(await stagedCount(staging)).toBe(keys);

    await setWriteBlock(context.index, false);
    await coordinator.restart();
    expect(await preparedOf(prefix)).toEqual([]);
    expect(await stagedCount(staging)).toBe(0);
    const stats = await coordinator.stats();
    expect(stats).toMatchObject({ recoveredCommitted: keys - undecided, recoveredRolledBack: undecided, lastRecoveryBranches: keys, preparedLeft: 0, stagingLeft: 0 });
    expect(Number(stats.lastRecoveryWindowMs)).toBeGreaterThan(0);
    expect(Number(stats['recoveredInDoubtMs.samples'])).toBe(keys);
    process.stderr.write(`[2pc] ${keys} in doubt after the crash: resolved by recover() in ${String(stats.lastRecoveryMs)} ms; in-doubt window ${String(stats.lastRecoveryWindowMs)} ms\n`);
    const [counters] = await pool.query<mysql.RowDataPacket[]>(`SELECT id, counter FROM \`${context.table}\` WHERE id BETWEEN 100 AND ${100 + keys - 1} ORDER BY id`);
    expect(counters.map((row) => Number(row.counter))).toEqual(ids.map((_, i) => (i < undecided ? 0 : 1)));
    await expectConverged(worker, context);
  });

  it('(4) a writer to a key with an in-doubt branch is blocked: it times out after lockWaitTimeoutS, or goes on once recovery ends the branch', async () => {
    const { worker, context } = await twoPcRun('blocked');
    await worker.write(op('insert', 9, { name: 'before', amount: 1, counter: 0 }));
    const coordinator = await attach(context, { holdAt: { point: 'after-prepare', ids: [9] } });
    void coordinator.write(increment(9)).catch(() => {});
    await until('the branch prepared', async () => (await preparedOf(xidPrefix(context.runId, context.table))).length === 1);
    await coordinator.kill(); // the coordinator is down: the branch is in doubt, holding the row lock

    const impatient = await attach(context, { lockWaitTimeoutS: 2 });
    const started = Date.now();
    await expect(impatient.write(increment(9))).rejects.toMatchObject({ definite: true, retriable: true, originalName: 'TransactionAbortedError' });
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(1900);
    const timedOut = await impatient.stats();
    expect(timedOut).toMatchObject({ lockWaitTimeouts: 1, 'lockWaitMs.samples': 1 });
    expect(Number(timedOut['lockWaitMs.max'])).toBeGreaterThanOrEqual(1900);

    const patient = await attach(context, { lockWaitTimeoutS: 60 });
    const blocked = patient.write(increment(9));
    await sleep(1500);
    await coordinator.restart(); // recovery rolls the undecided branch back, and the lock goes with it
    const outcome = await blocked;
    expect(outcome.value).toMatchObject({ counter: 1, version: 2 });
    const waitedOn = await patient.stats();
    expect(waitedOn).toMatchObject({ lockWaitTimeouts: 0, 'lockWaitMs.samples': 1 });
    expect(Number(waitedOn['lockWaitMs.max'])).toBeGreaterThanOrEqual(1400);
    process.stderr.write(`[2pc] blocked by an in-doubt branch: timed out after ${String(timedOut['lockWaitMs.max'])} ms (lockWaitTimeoutS 2); waited ${String(waitedOn['lockWaitMs.max'])} ms until recovery\n`);
    await expectConverged(worker, context);
  });
});
