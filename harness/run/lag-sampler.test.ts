// The lag sampler's bookkeeping: which writes it samples, that it keeps every sample however many
// are pending, that unseen samples are censored (never dropped, never 0 ms), that a delete counts
// as seen only after its document was seen present, and that superseded and unconfirmed samples
// are counted. The engine here is an in-memory stand-in (`TimedIndexStandIn`) whose documents
// become visible at chosen times: these tests are about the sampler's bookkeeping, not about the
// engine (test/integration/search-port.test.ts checks the real engine's multi-get).
import { describe, expect, it } from 'vitest';
import { monotonicMs } from '../history/entry.ts';
import type { StoredDocument } from '../stores/search/search-port.ts';
import type { Op } from '../workload/op.ts';
import { LagSampler, type LagProbe } from './lag-sampler.ts';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** In-memory stand-in for the index: each key holds versions that appear, and deletes that take effect, at given monotonic times. */
class TimedIndexStandIn implements LagProbe {
  private readonly events = new Map<string, { at: number; version: number | null }[]>();
  mgetCalls = 0;
  maxIdsPerCall = 0;
  inFlight = 0;
  maxInFlight = 0;

  /** Version `version` of `id` becomes visible at `at` (null: the document disappears then). */
  schedule(id: number, at: number, version: number | null): void {
    const list = this.events.get(String(id)) ?? [];
    list.push({ at, version });
    list.sort((a, b) => a.at - b.at);
    this.events.set(String(id), list);
  }

  private lookup(id: string): StoredDocument | undefined {
    const now = monotonicMs();
    const visible = (this.events.get(id) ?? []).filter((event) => event.at <= now).at(-1);
    if (!visible || visible.version === null) return undefined;
    return { id, source: { id: Number(id), version: visible.version }, version: visible.version };
  }

  get(_index: string, id: string): Promise<StoredDocument | undefined> {
    return Promise.resolve(this.lookup(id));
  }

  async mget(_index: string, ids: readonly string[]): Promise<(StoredDocument | undefined)[]> {
    this.mgetCalls++;
    this.maxIdsPerCall = Math.max(this.maxIdsPerCall, ids.length);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    await sleep(1);
    this.inFlight--;
    return ids.map((id) => this.lookup(id));
  }
}

const op = (kind: Op['kind'], id: number, index = 0): Op => ({ index, phase: 'p', kind, id });

/** Invokes and acknowledges one write through the sampler, as the op executor does. */
async function write(sampler: LagSampler, o: Op, version: number | null = 1): Promise<number> {
  const ticket = await sampler.beforeWrite(o);
  const ack = monotonicMs();
  if (ticket) sampler.acknowledged(ticket, version, ack);
  return ack;
}

describe('lag sampler', () => {
  it('samples the writes at every n-th position of a phase, decided at invocation, never reads', async () => {
    const index = new TimedIndexStandIn();
    const sampler = new LagSampler(index, 'i', 0, { every: 3 });
    const tickets = await Promise.all(Array.from({ length: 10 }, (_, i) => sampler.beforeWrite(op(i === 6 ? 'read' : 'update', i, i))));
    expect(tickets.map((t) => t !== undefined)).toEqual([true, false, false, true, false, false, false, false, false, true]);
  });

  it('keeps every sample however many are pending, with a bounded number of requests in flight', async () => {
    const index = new TimedIndexStandIn();
    const sampler = new LagSampler(index, 'i', 0, { every: 1, chunk: 16, timeoutMs: 10_000, firstLooks: 2 });
    // 200 writes acknowledged at once, each visible 40 ms after its acknowledgement: the old sampler
    // polled at most 8 at a time and skipped the rest exactly when lag was high.
    for (let id = 0; id < 200; id++) {
      index.schedule(id, monotonicMs() + 40, 1);
      await write(sampler, op('insert', id));
    }
    expect(sampler.pendingCount).toBe(200);
    while (sampler.pendingCount > 0) await sleep(5);
    await sampler.finish();
    expect(sampler.sampling()).toMatchObject({ sampled: 200, observed: 200, censored: 0, superseded: 0, unconfirmed: 0 });
    const lag = sampler.summary();
    expect(lag).toMatchObject({ state: 'measured', samples: 200 });
    if (lag.state === 'measured') expect(lag.p50).toBeGreaterThanOrEqual(20);
    // The loop's one request and at most two first looks, however many samples were pending.
    expect(index.maxInFlight).toBeLessThanOrEqual(3);
    expect(index.maxIdsPerCall).toBeLessThanOrEqual(16);
  });

  it('reports no 0 ms lag when nothing reaches the index: writes are censored lower bounds, deletes unconfirmed', async () => {
    const index = new TimedIndexStandIn();
    const sampler = new LagSampler(index, 'i', 0, { every: 1, timeoutMs: 30 });
    for (let id = 0; id < 5; id++) await write(sampler, op('insert', id));
    for (let id = 10; id < 15; id++) await write(sampler, op('delete', id));
    await sleep(60);
    await sampler.finish();
    expect(sampler.sampling()).toMatchObject({ sampled: 10, observed: 0, censored: 5, unconfirmed: 5 });
    const lag = sampler.summary();
    expect(lag).toMatchObject({ state: 'measured', samples: 5, censored: 5, lowerBound: ['p50', 'p95', 'p99', 'max'] });
    if (lag.state === 'measured') expect(lag.p50).toBeGreaterThanOrEqual(30);
    expect(sampler.points).toEqual([]);
  });

  it('reports no lag figure at all when only deletes of documents never seen were sampled', async () => {
    const index = new TimedIndexStandIn();
    const sampler = new LagSampler(index, 'i', 0, { every: 1, timeoutMs: 20 });
    for (let id = 0; id < 8; id++) await write(sampler, op('delete', id));
    await sampler.finish();
    expect(sampler.summary()).toEqual({ state: 'none', samples: 0, reason: 'no sample could be timed: 8 deletes whose document was never seen in the index' });
  });

  it('censors a sample never seen before its deadline instead of dropping it', async () => {
    const index = new TimedIndexStandIn();
    const sampler = new LagSampler(index, 'i', 0, { every: 1, timeoutMs: 25 });
    await write(sampler, op('update', 1), 3);
    index.schedule(1, 0, 2); // an older version is there, the sampled one never arrives
    while (sampler.pendingCount > 0) await sleep(5);
    expect(sampler.sampling()).toMatchObject({ censored: 1, observed: 0 });
    const lag = sampler.summary();
    expect(lag).toMatchObject({ state: 'measured', samples: 1, censored: 1, lowerBound: ['p50', 'p95', 'p99', 'max'] });
    // At least the deadline: it was closed only after a request begun past its deadline missed it.
    if (lag.state === 'measured') expect(lag.max).toBeGreaterThanOrEqual(25);
  });

  it('counts a delete as seen only after its document was seen present, whether before the delete or later', async () => {
    const index = new TimedIndexStandIn();
    const sampler = new LagSampler(index, 'i', 0, { every: 1, timeoutMs: 5_000 });
    // Key 1: present before the delete, gone 30 ms after its acknowledgement.
    index.schedule(1, 0, 1);
    const ack1 = await write(sampler, op('delete', 1));
    index.schedule(1, ack1 + 30, null);
    // Key 2: not yet indexed when deleted (a lagging pipeline): appears 20 ms later, gone 150 ms later.
    const ack2 = await write(sampler, op('delete', 2));
    index.schedule(2, ack2 + 20, 1);
    index.schedule(2, ack2 + 150, null);
    while (sampler.pendingCount > 0) await sleep(5);
    await sampler.finish();
    expect(sampler.sampling()).toMatchObject({ observed: 2, unconfirmed: 0, censored: 0 });
    const lags = sampler.points.map((p) => p.lagMs).sort((a, b) => a - b);
    // Timed from the acknowledgement to the request that saw the absence (the stand-in answers a little later).
    expect(lags[0]).toBeGreaterThanOrEqual(15);
    expect(lags[1]).toBeGreaterThanOrEqual(100);
  });

  it('does not take an absence answered late, by a request begun before the presence was known, for the delete', async () => {
    // Stand-in whose first request (the sample's first look) answers "absent" only after 40 ms, while
    // the loop's request, begun at the same time, answers "present" at once; the delete really
    // takes effect 100 ms after its acknowledgement.
    let calls = 0;
    let ack = 0;
    const probe: LagProbe = {
      get: () => Promise.resolve(undefined),
      async mget(_index, ids) {
        const call = ++calls;
        await sleep(call === 1 ? 40 : 1);
        const present = call !== 1 && monotonicMs() < ack + 100;
        return ids.map((id) => (present ? { id, source: { id: Number(id), version: 1 }, version: 1 } : undefined));
      },
    };
    const sampler = new LagSampler(probe, 'i', 0, { every: 1, timeoutMs: 5_000 });
    ack = await write(sampler, op('delete', 1));
    while (sampler.pendingCount > 0) await sleep(5);
    await sampler.finish();
    expect(sampler.sampling()).toMatchObject({ observed: 1, unconfirmed: 0 });
    expect(sampler.points[0]!.lagMs).toBeGreaterThanOrEqual(90);
  });

  it('counts a write superseded by a later delete of its key before it was seen, and leaves it out of the percentiles', async () => {
    const index = new TimedIndexStandIn();
    const sampler = new LagSampler(index, 'i', 0, { every: 2, timeoutMs: 5_000 });
    await write(sampler, op('insert', 7, 0)); // sampled; never shows up
    await write(sampler, op('delete', 7, 1)); // not sampled, but supersedes the insert
    await write(sampler, op('insert', 8, 2)); // sampled; shows up at once
    index.schedule(8, 0, 1);
    await sampler.finish();
    expect(sampler.sampling()).toMatchObject({ sampled: 2, observed: 1, superseded: 1, censored: 0 });
    expect(sampler.summary()).toMatchObject({ state: 'measured', samples: 1 });
  });

  it('finishes at once, closing what is still pending, instead of waiting for the deadlines', async () => {
    const index = new TimedIndexStandIn();
    const sampler = new LagSampler(index, 'i', 0, { every: 1, timeoutMs: 60_000 });
    await write(sampler, op('insert', 1));
    await sleep(20);
    const started = monotonicMs();
    await sampler.finish();
    expect(monotonicMs() - started).toBeLessThan(1_000);
    expect(sampler.sampling()).toMatchObject({ censored: 1, observed: 0 });
    const lag = sampler.summary();
    if (lag.state === 'measured') expect(lag.max).toBeGreaterThanOrEqual(15);
  });

  it('asks an engine that answers nothing less often, and sends nothing once stopped', async () => {
    let calls = 0;
    const down: LagProbe = {
      get: () => Promise.reject(new Error('connection refused')),
      mget: () => {
        calls++;
        return Promise.reject(new Error('connection refused'));
      },
    };
    const sampler = new LagSampler(down, 'i', 0, { every: 1, timeoutMs: 60_000, pollMs: 1 });
    await write(sampler, op('insert', 1));
    await sleep(300);
    // About one request per 100 ms (plus the first look), not one per millisecond.
    expect(calls).toBeLessThanOrEqual(8);
    sampler.stop();
    await sleep(20);
    const after = calls;
    await sleep(250);
    expect(calls).toBe(after);
    expect(sampler.pendingCount).toBe(0);
  });

  it('gives no sample for a sampled write that failed or changed no row', async () => {
    const index = new TimedIndexStandIn();
    const sampler = new LagSampler(index, 'i', 0, { every: 1 });
    const failed = await sampler.beforeWrite(op('update', 1));
    sampler.abandoned(failed!);
    await write(sampler, op('update', 2), null);
    await sampler.finish();
    expect(sampler.sampling()).toMatchObject({ sampled: 0, observed: 0, censored: 0 });
    expect(sampler.summary()).toEqual({ state: 'none', samples: 0, reason: 'no acknowledged write was sampled' });
  });
});
