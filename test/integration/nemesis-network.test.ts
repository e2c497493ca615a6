// The network fault on a real MariaDB connection through the harness's proxy: latency slows each
// round trip, drop stalls a query until the heal and then it completes on the same connection,
// reset breaks open and new connections until the heal. The drop runs through the nemesis itself.
import type mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { serviceControlFor } from '../../harness/env/select-service-control.ts';
import type { FaultContext } from '../../harness/nemesis/fault-kind.ts';
import { faultSpecSchema, type FaultSpec, type FaultSpecOf } from '../../harness/nemesis/fault-spec.ts';
import { network } from '../../harness/nemesis/kinds/network.ts';
import { Nemesis } from '../../harness/nemesis/nemesis.ts';
import { closeProxies, proxiedEndpoints, startProxies, type ProxiedService } from '../../harness/nemesis/proxied-endpoints.ts';
import type { TcpProxy } from '../../harness/nemesis/tcp-proxy.ts';
import { monotonicMs } from '../../harness/history/entry.ts';
import { createMysqlConnection } from '../../harness/stores/mysql.ts';

const endpoints = inject('endpoints');
const envDir = inject('envDir');
let proxies: Partial<Record<ProxiedService, TcpProxy>> = {};
let context: FaultContext;
const networkSpec = (value: Record<string, unknown>) => faultSpecSchema.parse({ kind: 'network', at: { afterMs: 0 }, ...value }) as FaultSpecOf<'network'>;

beforeAll(async () => {
  proxies = await startProxies(endpoints, ['mysql']);
  context = { endpoints, services: serviceControlFor(envDir), proxies };
});
afterAll(async () => {
  proxies.mysql?.setMode({ mode: 'pass' });
  await closeProxies(proxies);
});

const throughProxy = () => createMysqlConnection(proxiedEndpoints(endpoints, proxies).mysql);
async function timed(connection: mysql.Connection): Promise<number> {
  const started = performance.now();
  await connection.query('SELECT 1');
  return performance.now() - started;
}

describe('network faults through the proxy, on a real MariaDB connection', () => {
  it('latency: each round trip takes at least twice the delay, and is quick again after the heal', async () => {
    const connection = await throughProxy();
    try {
      const injected = await network.inject(context, networkSpec({ target: 'mysql', mode: 'latency', latencyMs: 200, jitterMs: 20 }));
      let slow: number;
      try {
        slow = await timed(connection);
      } finally {
        await injected.heal();
      }
      expect(slow).toBeGreaterThanOrEqual(400);
      expect(await timed(connection)).toBeLessThan(slow - 200);
    } finally {
      await connection.end();
    }
  });

  it('drop (through the nemesis): a query stalls while dropped and completes on the same connection after the heal', async () => {
    const connection = await throughProxy();
    try {
      const faults: FaultSpec[] = [networkSpec({ target: 'mysql', mode: 'drop', durationMs: 2000 })];
      const origin = monotonicMs();
      const nemesis = new Nemesis({ faults, context, origin });
      nemesis.start();
      await new Promise((resolve) => setTimeout(resolve, 100));
      let answeredAt = 0;
      const query = connection.query<mysql.RowDataPacket[]>('SELECT 41 + 1 AS n').then(([rows]) => {
        answeredAt = monotonicMs() - origin;
        return Number(rows[0]!.n);
      });
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(answeredAt).toBe(0);
      const [record] = await nemesis.finish();
      expect(await query).toBe(42);
      expect(record).toMatchObject({ state: 'injected', kind: 'network', target: 'mysql', errors: [], heal: { waitedFor: 'the proxy back to pass-through' } });
      if (record?.state !== 'injected') throw new Error('not injected');
      expect(record.endMs - record.startMs).toBeGreaterThanOrEqual(2000);
      expect(answeredAt).toBeGreaterThanOrEqual(record.endMs - 50);
    } finally {
      await connection.end();
    }
  });

  it('reset: the open connection is reset and a new one refused until the heal', async () => {
    const connection = await throughProxy();
    connection.on('error', () => {});
    const injected = await network.inject(context, networkSpec({ target: 'mysql', mode: 'reset' }));
    try {
      await expect(connection.query('SELECT 1')).rejects.toThrow();
      await expect(throughProxy()).rejects.toMatchObject({ code: 'ECONNRESET' });
    } finally {
      await injected.heal();
      connection.destroy();
    }
    const fresh = await throughProxy();
    await fresh.query('SELECT 1');
    await fresh.end();
  });

  it('says why it cannot cut Kafka, nor a service the run put no proxy in front of', () => {
    expect(network.unsupported(context, networkSpec({ target: 'kafka', mode: 'drop' }))).toMatch(/advertised in metadata/);
    expect(network.unsupported(context, networkSpec({ target: 'search', mode: 'drop' }))).toBe('the run put no proxy between its worker and search');
    expect(network.unsupported(context, networkSpec({ target: 'mysql', mode: 'drop' }))).toBeNull();
  });
});
