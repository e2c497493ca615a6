// search-pause and search-restart on the real search engine of the live env: a paused engine
// makes a request hang until the heal's SIGCONT; a killed one comes back on the same port with
// the documents it held. Every fault is healed in a finally, and the guard sweeps after.
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { serviceControlFor } from '../../harness/env/select-service-control.ts';
import type { FaultContext, InjectedFault } from '../../harness/nemesis/fault-kind.ts';
import { faultSpecSchema, type FaultSpecOf } from '../../harness/nemesis/fault-spec.ts';
import { searchPause } from '../../harness/nemesis/kinds/search-pause.ts';
import { searchRestart } from '../../harness/nemesis/kinds/search-restart.ts';
import { ensureServicesRunning } from './nemesis-guard.ts';

const endpoints = inject('endpoints');
const envDir = inject('envDir');
const context: FaultContext = { endpoints, services: serviceControlFor(envDir), proxies: {} };
const index = `nemesis-it-${randomUUID().slice(0, 8)}`;
const url = endpoints.search.url;

const pauseSpec = faultSpecSchema.parse({ kind: 'search-pause', at: { afterMs: 0 } }) as FaultSpecOf<'search-pause'>;
const restartSpec = faultSpecSchema.parse({ kind: 'search-restart', at: { afterMs: 0 } }) as FaultSpecOf<'search-restart'>;

afterAll(async () => {
  await ensureServicesRunning(envDir);
  await fetch(`${url}/${index}`, { method: 'DELETE' }).catch(() => {});
});

describe('search faults on the real engine', () => {
  it('search-pause: a request hangs while the engine is frozen and is answered after the heal', async () => {
    let injected: InjectedFault | undefined = await searchPause.inject(context, pauseSpec);
    try {
      const timedOut = await fetch(url, { signal: AbortSignal.timeout(1500) }).then(
        () => false,
        (error: unknown) => (error as Error).name === 'TimeoutError',
      );
      expect(timedOut).toBe(true);
      let answeredAt = 0;
      const waiting = fetch(url, { signal: AbortSignal.timeout(60_000) }).then((response) => {
        answeredAt = performance.now();
        return response.status;
      });
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(answeredAt).toBe(0);
      const healStarted = performance.now();
      const heal = await injected.heal();
      injected = undefined;
      expect(heal.errors).toEqual([]);
      expect(await waiting).toBe(200);
      expect(answeredAt).toBeGreaterThanOrEqual(healStarted);
      process.stderr.write(`[nemesis] search-pause heal: ${heal.waitedFor} in ${heal.healMs} ms\n`);
    } finally {
      await injected?.heal();
    }
  });

  it('search-restart: the engine comes back on its port, healthy, with the document indexed before', async () => {
    const put = await fetch(`${url}/${index}/_doc/1?refresh=true`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'written before the kill', n: 7 }),
    });
    expect(put.status).toBe(201);
    let injected: InjectedFault | undefined = await searchRestart.inject(context, restartSpec);
    try {
      const refused = await fetch(url, { signal: AbortSignal.timeout(2000) }).then(
        () => false,
        () => true,
      );
      expect(refused).toBe(true);
      const heal = await injected.heal();
      injected = undefined;
      expect(heal.errors).toEqual([]);
      expect(heal.waitedFor).toMatch(/cluster health is yellow or green \((yellow|green)\)/);
      process.stderr.write(`[nemesis] search-restart heal: ${heal.waitedFor} in ${heal.healMs} ms\n`);
      const doc = (await (await fetch(`${url}/${index}/_doc/1`)).json()) as { found: boolean; _source: unknown };
      expect(doc.found).toBe(true);
      expect(doc._source).toEqual({ title: 'written before the kill', n: 7 });
    } finally {
      await injected?.heal();
    }
  });
});
