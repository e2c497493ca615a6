// The nemesis's scheduling on an injected clock, with fake fault kinds that record when they were
// struck and healed: triggers by time and by phase progress, holds, heals, windows on the run's
// clock, faults that never came, unsupported and failing kinds, and an abort.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ServiceControl } from '../env/service-control.ts';
import type { FaultContext, FaultKind, HealReport } from './fault-kind.ts';
import { faultSpecSchema, type FaultKindName, type FaultSpec } from './fault-spec.ts';
import type { FaultKinds } from './kinds/index.ts';
import { Nemesis, unsupportedFaults, type NemesisClock } from './nemesis.ts';

/** A clock that moves only when told; sleepers wake in time order. */
class FakeClock implements NemesisClock {
  t: number;
  private sleepers: { at: number; wake: () => void }[] = [];
  constructor(start: number) {
    this.t = start;
  }
  now(): number {
    return this.t;
  }
  sleep(ms: number): Promise<void> {
    return new Promise((wake) => this.sleepers.push({ at: this.t + ms, wake }));
  }
  /** Move time forward by `ms`, waking each sleeper at its time and letting what it started run. */
  async advance(ms: number): Promise<void> {
    const target = this.t + ms;
    for (;;) {
      await settle();
      this.sleepers.sort((a, b) => a.at - b.at);
      const next = this.sleepers[0];
      if (!next || next.at > target) break;
      this.sleepers.shift();
      this.t = next.at;
      next.wake();
    }
    this.t = target;
    await settle();
  }
}

const settle = async () => {
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
};

interface FakeBehaviour {
  unsupported?: string;
  injectThrows?: boolean;
  /** The heal takes this long on the clock. */
  healMs?: number;
  healErrors?: string[];
}

/** Fake kinds that log `inject <index>@<t>` and `heal <index>@<t>`. */
function fakeKinds(clock: FakeClock, events: string[], behaviour: Partial<Record<FaultKindName, FakeBehaviour>> = {}): FaultKinds {
  const fake = <K extends FaultKindName>(kind: K): FaultKind<K> => ({
    kind,
    unsupported: () => behaviour[kind]?.unsupported ?? null,
    inject: (_context, spec) => {
      const tag = `${kind}/${spec.target}`;
      if (behaviour[kind]?.injectThrows) return Promise.reject(new Error(`${tag} refused`));
      events.push(`inject ${tag}@${clock.now()}`);
      return Promise.resolve({
        detail: `did ${tag}`,
        heal: async (): Promise<HealReport> => {
          const started = clock.now();
          events.push(`heal ${tag}@${clock.now()}`);
          if (behaviour[kind]?.healMs) await clock.sleep(behaviour[kind].healMs);
          return { waitedFor: `${tag} back`, healMs: clock.now() - started, errors: behaviour[kind]?.healErrors ?? [] };
        },
      });
    },
  });
  return {
    'search-pause': fake('search-pause'),
    'search-restart': fake('search-restart'),
    'kafka-restart': fake('kafka-restart'),
    'connect-restart': fake('connect-restart'),
    'mysql-restart': fake('mysql-restart'),
    'mysql-kill-connections': fake('mysql-kill-connections'),
    'strategy-crash': fake('strategy-crash'),
    network: fake('network'),
  };
}

const faults = (specs: unknown[]): FaultSpec[] => z.array(faultSpecSchema).parse(specs);
// The scheduler never touches the context: the fake kinds ignore it.
const context = { endpoints: {}, services: {} as ServiceControl, proxies: {} } as unknown as FaultContext;

function setup(specs: unknown[], behaviour: Partial<Record<FaultKindName, FakeBehaviour>> = {}, signal?: AbortSignal) {
  const clock = new FakeClock(50_000);
  const events: string[] = [];
  const nemesis = new Nemesis({
    faults: faults(specs),
    context,
    origin: 50_000,
    clock,
    kinds: fakeKinds(clock, events, behaviour),
    ...(signal ? { signal } : {}),
  });
  return { clock, events, nemesis };
}

describe('nemesis scheduling', () => {
  it('strikes an afterMs fault on time, holds it, heals it, and records its window on the run clock', async () => {
    const { clock, events, nemesis } = setup([{ kind: 'search-pause', at: { afterMs: 1000 }, durationMs: 3000 }], { 'search-pause': { healMs: 200 } });
    nemesis.start();
    await clock.advance(999);
    expect(events).toEqual([]);
    await clock.advance(1);
    expect(events).toEqual(['inject search-pause/search@51000']);
    await clock.advance(2999);
    expect(events).toHaveLength(1);
    await clock.advance(1);
    expect(events).toEqual(['inject search-pause/search@51000', 'heal search-pause/search@54000']);
    const finishing = nemesis.finish();
    await clock.advance(200);
    expect(await finishing).toEqual([
      {
        index: 0,
        kind: 'search-pause',
        target: 'search',
        description: 'search-pause on search 1000 ms in',
        state: 'injected',
        startMs: 1000,
        endMs: 4200,
        detail: 'did search-pause/search',
        heal: { waitedFor: 'search-pause/search back', ms: 200 },
        errors: [],
      },
    ]);
  });

  it('strikes a phase fault once its phase is that far done, once only', async () => {
    const { clock, events, nemesis } = setup([
      { kind: 'strategy-crash', at: { phase: 'load', fraction: 0.5 } },
      { kind: 'mysql-restart', at: { phase: 'other', fraction: 0 } },
    ]);
    nemesis.start();
    await clock.advance(100);
    nemesis.onProgress('load', 0.49);
    await settle();
    expect(events).toEqual([]);
    await clock.advance(100);
    nemesis.onProgress('load', 0.5);
    await settle();
    expect(events).toEqual(['inject strategy-crash/worker@50200', 'heal strategy-crash/worker@50200']);
    nemesis.onProgress('load', 0.7);
    nemesis.onProgress('load', 1);
    const records = await nemesis.finish();
    expect(events).toHaveLength(2);
    expect(records[0]).toMatchObject({ state: 'injected', startMs: 200, endMs: 200 });
    expect(records[1]).toMatchObject({ state: 'not-injected', reason: 'phase "other" never reached 0% before the workload ended' });
  });

  it('finish waits for a fault still held, and reports a time trigger that never came', async () => {
    const { clock, events, nemesis } = setup([
      { kind: 'network', at: { afterMs: 0 }, target: 'mysql', mode: 'drop', durationMs: 5000 },
      { kind: 'kafka-restart', at: { afterMs: 60_000 } },
    ]);
    nemesis.start();
    await clock.advance(1000);
    let done = false;
    const finishing = nemesis.finish().then((records) => {
      done = true;
      return records;
    });
    await clock.advance(3999);
    expect(done).toBe(false);
    await clock.advance(1);
    const records = await finishing;
    expect(events).toEqual(['inject network/mysql@50000', 'heal network/mysql@55000']);
    expect(records.map((record) => record.state)).toEqual(['injected', 'not-injected']);
    expect(records[1]).toMatchObject({ reason: 'the workload ended 1000 ms in, before afterMs 60000' });
    // The timer that was armed for the second fault fires after finish and strikes nothing.
    await clock.advance(60_000);
    expect(events).toHaveLength(2);
  });

  it('lets faults overlap, each with its own window', async () => {
    const { clock, nemesis } = setup([
      { kind: 'search-pause', at: { afterMs: 100 }, durationMs: 1000 },
      { kind: 'network', at: { afterMs: 500 }, target: 'search', mode: 'latency', latencyMs: 20, durationMs: 200 },
    ]);
    nemesis.start();
    await clock.advance(2000);
    const records = await nemesis.finish();
    expect(records.map((record) => (record.state === 'injected' ? [record.startMs, record.endMs] : null))).toEqual([
      [100, 1100],
      [500, 700],
    ]);
  });

  it('names the faults a run cannot inject, and records one struck anyway as not injected', async () => {
    const specs = [{ kind: 'search-restart', at: { afterMs: 0 } }, { kind: 'strategy-crash', at: { afterMs: 0 } }];
    const { clock, events, nemesis } = setup(specs, { 'search-restart': { unsupported: 'the external provider cannot kill search' } });
    const clockless = fakeKinds(clock, [], { 'search-restart': { unsupported: 'the external provider cannot kill search' } });
    expect(unsupportedFaults(faults(specs), context, clockless)).toEqual([{ index: 0, kind: 'search-restart', reason: 'the external provider cannot kill search' }]);
    nemesis.start();
    await clock.advance(10);
    const records = await nemesis.finish();
    expect(events).toEqual(['inject strategy-crash/worker@50000', 'heal strategy-crash/worker@50000']);
    expect(records[0]).toMatchObject({ state: 'not-injected', reason: 'the external provider cannot kill search' });
  });

  it('records a failed injection and the errors a heal met, and goes on', async () => {
    const { clock, nemesis } = setup(
      [
        { kind: 'mysql-restart', at: { afterMs: 10 } },
        { kind: 'connect-restart', at: { afterMs: 20 } },
      ],
      { 'mysql-restart': { injectThrows: true }, 'connect-restart': { healErrors: ['connector x task 0 FAILED: boom'] } },
    );
    nemesis.start();
    await clock.advance(100);
    const records = await nemesis.finish();
    expect(records[0]).toMatchObject({ state: 'inject-failed', startMs: 10, endMs: 10, errors: ['inject failed: mysql-restart/mysql refused'] });
    expect(records[1]).toMatchObject({ state: 'injected', errors: ['connector x task 0 FAILED: boom'] });
  });

  it('an abort cuts a hold short, heals at once, and arms nothing more', async () => {
    const controller = new AbortController();
    const { clock, events, nemesis } = setup(
      [
        { kind: 'search-pause', at: { afterMs: 0 }, durationMs: 60_000 },
        { kind: 'strategy-crash', at: { phase: 'load', fraction: 0.9 } },
      ],
      {},
      controller.signal,
    );
    nemesis.start();
    await clock.advance(1000);
    controller.abort();
    await clock.advance(0);
    expect(events).toEqual(['inject search-pause/search@50000', 'heal search-pause/search@51000']);
    nemesis.onProgress('load', 1);
    const records = await nemesis.finish();
    expect(events).toHaveLength(2);
    expect(records[1]).toMatchObject({ state: 'not-injected', reason: 'the run was aborted before its trigger came' });
  });
});
