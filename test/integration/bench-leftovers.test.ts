// What a killed bench leaves behind, and its removal, on the real services. The cdc teardown is
// idempotent: in a fresh worker, for a pair that never set anything up, it removes nothing and
// does not fail. A bench running cdc and SIGKILLed (its whole process group) mid-workload, once
// its connector exists, leaves its connector, topics, consumer group, capture user, table and
// index — and its lease; the leftover cleanup (what `npm run bench` runs at start) removes every
// one of them, says so, and removes the lease; `npm run check` still judges the killed run's history.
// A cdc pair that crashes before its teardown is torn down all the same, and its lease removed.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { checkRun } from '../../harness/check/check-run.ts';
import { REPO_ROOT } from '../../harness/env/state.ts';
import { leaseDir, readLeases, type Lease } from '../../harness/run/lease.ts';
import { removeLeftovers } from '../../harness/run/leftovers.ts';
import { runStrategy } from '../../harness/run/run-strategy.ts';
import { parseScenario } from '../../harness/scenario/load.ts';
import type { Entity } from '../../harness/scenario/schema.ts';
import { ConnectClient } from '../../harness/stores/connect-client.ts';
import { createKafka } from '../../harness/stores/kafka.ts';
import { createMysqlPool, type MysqlPool } from '../../harness/stores/mysql.ts';
import { connectSearch } from '../../harness/stores/search/connect-search.ts';
import type { SearchPort } from '../../harness/stores/search/search-port.ts';
import { StrategyWorker } from '../../harness/worker/strategy-worker.ts';
import { captureNames, ownsTopic, type CaptureNames } from '../../strategies/cdc/capture-names.ts';
import { loadConnectorDocument, SEED_SINK_FILE } from '../../strategies/cdc/connector-document.ts';
import { parseSinkConfig } from '../../strategies/cdc/sink-config.ts';

const endpoints = inject('endpoints');
const envDir = inject('envDir');
const sink = parseSinkConfig(loadConnectorDocument(SEED_SINK_FILE));
const kafka = createKafka(endpoints.kafka, 'converge-leftovers-it');
const admin = kafka.admin();
const connect = new ConnectClient(endpoints.connect.url);
let pool: MysqlPool;
let search: SearchPort;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  pool = createMysqlPool(endpoints.mysql, { connectionLimit: 2 });
  search = await connectSearch(endpoints.search.url);
  await admin.connect();
});
afterAll(async () => {
  await admin.disconnect();
  await pool?.end();
  await search?.close();
});

/** What of a pair exists in the env, by kind. */
async function present(names: CaptureNames, table: string, index: string): Promise<string[]> {
  const found: string[] = [];
  if (await connect.status(names.prefix)) found.push('connector');
  if ((await admin.listTopics()).some((topic) => ownsTopic(names, topic))) found.push('topics');
  const group = (await admin.describeGroups([names.group])).groups[0];
  if (group && group.state !== 'Dead') found.push('consumer group');
  const [users] = await pool.query<import('mysql2').RowDataPacket[]>(`SELECT 1 FROM mysql.user WHERE User = ?`, [names.user]);
  if (users.length > 0) found.push('capture user');
  const [tables] = await pool.query<import('mysql2').RowDataPacket[]>('SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?', [table]);
  if (tables.length > 0) found.push('table');
  if (await search.indexExists(index)) found.push('index');
  return found;
}

async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

describe('cdc teardown', () => {
  it('removes nothing and does not fail for a pair that never set anything up', async () => {
    const suffix = randomUUID().slice(0, 8);
    const entity: Entity = { table: 'never', columns: { n: { type: 'int', nullable: false } }, projection: { rename: {}, drop: [], computed: {} } };
    const worker = new StrategyWorker('cdc', { endpoints, runId: `it-never-${suffix}`, entity, table: `never_${suffix}`, index: `converge-never-${suffix}`, concurrency: 1, options: {} });
    await worker.start();
    try {
      expect(await worker.call('teardown')).toEqual([]);
      // and again: idempotent
      expect(await worker.call('teardown')).toEqual([]);
    } finally {
      await worker.stop();
    }
  });
});

describe('a bench killed mid-run', () => {
  it('leaves its pair behind under a lease, and the leftover cleanup removes all of it', { timeout: 420_000 }, async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'converge-killed-'));
    const scenario = path.join(dir, 'killed-cdc.yaml');
    writeFileSync(
      scenario,
      `name: killed-cdc
description: updates and reads for a minute, to be killed mid-way
entity:
  table: killed_cdc
  columns: { n: { type: int }, label: { type: varchar, length: 16 } }
seed:
  generate: { count: 20 }
phases:
  - { name: churn, durationMs: 60000, rate: 20, concurrency: 2, mix: { update: 3, read: 1 } }
faults: []
expect:
  convergenceTimeoutMs: 20000
`,
    );
    const out = path.join(dir, 'out');
    const bench = spawn(
      path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx'),
      [path.join(REPO_ROOT, 'harness', 'bench', 'cli.ts'), '--scenario', scenario, '--strategies', 'cdc', '--no-baselines', '--out', out, '--env-dir', envDir],
      { cwd: REPO_ROOT, detached: true, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    bench.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<void>((resolve) => bench.once('exit', () => resolve()));

    let lease: Lease;
    try {
      const runId = await waitFor('run.json', 60_000, () => Promise.resolve(existsSync(path.join(out, 'run.json')) ? (JSON.parse(readFileSync(path.join(out, 'run.json'), 'utf8')) as { runId: string }).runId : undefined));
      lease = await waitFor('the pair\'s lease', 60_000, () =>
        Promise.resolve(readLeases(leaseDir(envDir)).flatMap((found) => ('lease' in found && found.lease.context.runId === runId ? [found.lease] : []))[0]),
      );
      expect(lease).toMatchObject({ strategy: 'cdc', scenario: 'killed-cdc', keepData: false });
      const names = captureNames(runId, endpoints.mysql.database, lease.context.table, sink.name, sink.deadLetterName);
      await waitFor('the connector', 120_000, async () => ((await connect.status(names.prefix)) ? true : undefined));
      const history = path.join(out, 'history-cdc-killed-cdc.jsonl');
      await waitFor('the workload to be under way', 120_000, () => Promise.resolve(existsSync(history) && readFileSync(history, 'utf8').split('\n').length > 20 ? true : undefined));
    } finally {
      process.kill(-bench.pid!, 'SIGKILL');
      await exited;
    }
    const names = captureNames(lease.context.runId, endpoints.mysql.database, lease.context.table, sink.name, sink.deadLetterName);
    const leaseFile = readLeases(leaseDir(envDir)).find((found) => 'lease' in found && found.lease.context.runId === lease.context.runId)?.file;
    expect(leaseFile, stderr).toBeDefined();
    expect(await present(names, lease.context.table, lease.context.index)).toEqual(['connector', 'topics', 'consumer group', 'capture user', 'table', 'index']);

    const said: string[] = [];
    const outcomes = await removeLeftovers({ envDir, endpoints, log: (line) => said.push(line) });
    const ours = outcomes.find((outcome) => outcome.file === leaseFile);
    expect(ours?.error).toBeUndefined();
    expect(ours?.removed).toEqual([
      `connector ${names.prefix}`,
      expect.stringMatching(new RegExp(`^topics? .*${names.dataTopic.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`)),
      `consumer group ${names.group}`,
      `MySQL user ${names.user}`,
      `table ${lease.context.table}`,
      `index ${lease.context.index}`,
    ]);
    expect(said.find((line) => line.includes(`of run ${lease.context.runId}`))).toMatch(/^leftovers: cdc × killed-cdc of run .* \(pid \d+, gone\): removed connector /);
    expect(await present(names, lease.context.table, lease.context.index)).toEqual([]);
    expect(existsSync(leaseFile!)).toBe(false);

    // the killed run's history can still be judged without the services
    const check = await checkRun(out);
    expect(check.file.runFinished).toBe(false);
    expect(check.file.pairs[0]).toMatchObject({ strategy: 'cdc', scenario: 'killed-cdc', state: 'judged', anomalies: { state: 'checked' } });
    expect(check.file.pairs[0]!.ops.attempted).toBeGreaterThan(5);
  });
});

describe('a pair that crashes before its teardown', () => {
  it('is torn down in a fresh worker, its table and index dropped and its lease removed', async () => {
    const scenario = parseScenario(
      `name: crash-cdc
description: a few updates, then the harness crashes before the final reads
entity:
  table: crash_cdc
  columns: { n: { type: int } }
seed:
  generate: { count: 5 }
phases:
  - { name: touch, ops: 10, mix: { update: 1 } }
faults: []
expect:
  convergenceTimeoutMs: 20000
`,
      {},
      'crash-cdc.yaml',
    );
    const leases = path.join(mkdtempSync(path.join(os.tmpdir(), 'converge-crash-')), 'leases');
    const runId = `it-crash-${randomUUID().slice(0, 8)}`;
    let pair: { table: string; index: string } | undefined;
    const run = runStrategy({
      strategy: 'cdc',
      scenario,
      seed: 1,
      endpoints,
      runId,
      runDir: path.dirname(leases),
      signal: new AbortController().signal,
      log: () => {},
      skipPerOpCost: true,
      leaseDir: leases,
      afterWorkload: (names) => {
        pair = names;
        expect(readLeases(leases)).toHaveLength(1);
        return Promise.reject(new Error('the harness crashed on purpose'));
      },
    });
    await expect(run).rejects.toThrow('the harness crashed on purpose');
    const names = captureNames(runId, endpoints.mysql.database, pair!.table, sink.name, sink.deadLetterName);
    expect(await present(names, pair!.table, pair!.index)).toEqual([]);
    expect(readLeases(leases)).toEqual([]);
  });
});
