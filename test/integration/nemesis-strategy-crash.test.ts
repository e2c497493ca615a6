// strategy-crash on a real worker process (naive, on the live MariaDB and search engine): the
// nemesis SIGKILLs the worker mid-flight through StrategyWorker.restart; what was in flight fails
// with an unknown outcome, every acknowledged insert is in MySQL, and calls made during the restart
// wait for the fresh worker's recovery instead of failing.
import { randomUUID } from 'node:crypto';
import type mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ConvergeError } from '../../harness/errors.ts';
import { serviceControlFor } from '../../harness/env/select-service-control.ts';
import { monotonicMs } from '../../harness/history/entry.ts';
import type { FaultContext } from '../../harness/nemesis/fault-kind.ts';
import { faultSpecSchema, type FaultSpec } from '../../harness/nemesis/fault-spec.ts';
import { Nemesis } from '../../harness/nemesis/nemesis.ts';
import { entitySchemaForTests } from './nemesis-entity.ts';
import { createMysqlPool } from '../../harness/stores/mysql.ts';
import { StrategyWorker } from '../../harness/worker/strategy-worker.ts';

const endpoints = inject('endpoints');
const envDir = inject('envDir');
const suffix = randomUUID().slice(0, 8);
const table = `nemesis_crash_${suffix}`;
const index = `nemesis-crash-${suffix}`;
const worker = new StrategyWorker('naive', {
  endpoints,
  runId: `nemesis-it-${suffix}`,
  entity: entitySchemaForTests(table),
  table,
  index,
  concurrency: 8,
  options: {},
});
let pool: mysql.Pool;

beforeAll(async () => {
  await worker.start();
  await worker.call('setup');
  pool = createMysqlPool(endpoints.mysql, { connectionLimit: 2 });
});
afterAll(async () => {
  await worker.stop();
  await pool.query(`DROP TABLE IF EXISTS \`${table}\``);
  await pool.end();
  await fetch(`${endpoints.search.url}/${index}`, { method: 'DELETE' }).catch(() => {});
});

const insert = (id: number) => worker.write({ index: id, phase: 'load', kind: 'insert', id, values: { name: `row-${id}` } });

describe('strategy-crash on a real worker', () => {
  it('a call made while the worker restarts waits for its recovery, then succeeds', async () => {
    const startsBefore = worker.starts;
    let restartedAt = 0;
    const restart = worker.restart().then(() => (restartedAt = performance.now()));
    const write = insert(1).then((outcome) => ({ outcome, at: performance.now() }));
    await restart;
    const { outcome, at } = await write;
    expect(outcome.value).toMatchObject({ id: 1, name: 'row-1' });
    expect(at).toBeGreaterThanOrEqual(restartedAt);
    expect(worker.starts).toBe(startsBefore + 1);
  });

  it('the nemesis crashes the worker mid-flight: in-flight writes are unknown, acknowledged ones are in MySQL', async () => {
    const faults: FaultSpec[] = [faultSpecSchema.parse({ kind: 'strategy-crash', at: { phase: 'load', fraction: 0.5 } })];
    const context: FaultContext = { endpoints, services: serviceControlFor(envDir), proxies: {}, crashWorker: () => worker.restart() };
    const origin = monotonicMs();
    const nemesis = new Nemesis({ faults, context, origin });
    nemesis.start();
    const total = 400;
    const outcomes: ('ok' | 'unknown' | 'fail')[] = [];
    const acknowledged: number[] = [];
    let next = 100;
    const client = async () => {
      while (next < 100 + total) {
        const id = next++;
        try {
          await insert(id);
          outcomes.push('ok');
          acknowledged.push(id);
        } catch (error) {
          outcomes.push(error instanceof ConvergeError && !error.definite ? 'unknown' : 'fail');
        }
        nemesis.onProgress('load', outcomes.length / total);
      }
    };
    await Promise.all(Array.from({ length: 8 }, () => client()));
    const [record] = await nemesis.finish();
    expect(record).toMatchObject({ state: 'injected', kind: 'strategy-crash', target: 'worker', errors: [], heal: { waitedFor: 'a fresh worker ran open + recover' } });
    process.stderr.write(`[nemesis] strategy-crash heal: ${record?.state === 'injected' ? `${record.heal.waitedFor} in ${record.heal.ms} ms` : 'none'}\n`);
    expect(outcomes).toHaveLength(total);
    expect(outcomes.filter((outcome) => outcome === 'fail')).toEqual([]);
    expect(outcomes.filter((outcome) => outcome === 'unknown').length).toBeGreaterThanOrEqual(1);
    const [rows] = await pool.query<mysql.RowDataPacket[]>(`SELECT id FROM \`${table}\` WHERE id >= 100`);
    const stored = new Set(rows.map((row) => Number(row.id)));
    expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
  });
});
