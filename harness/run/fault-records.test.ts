// Fault records as results.json states them: the writes in flight at some moment of each window
// are counted by outcome, and time to converge after the last heal is measured from its end.
import { describe, expect, it } from 'vitest';
import type { FaultRecord } from '../nemesis/nemesis.ts';
import { CATCH_UP_FLOOR_MS, catchUpMs, convergedAfterHealMs, faultRecordResults, normalLagMs } from './fault-records.ts';
import type { WriteSpan } from './op-executor.ts';

const ORIGIN = 1_000_000;
const crash: FaultRecord = {
  index: 0,
  kind: 'strategy-crash',
  target: 'worker',
  description: 'strategy-crash on worker at load 40%',
  state: 'injected',
  startMs: 1000,
  endMs: 2500,
  detail: 'SIGKILL worker pid 42',
  heal: { waitedFor: 'worker ready after open + recover', ms: 1500 },
  errors: [],
};

describe('faultRecordResults', () => {
  it('counts the writes in flight during the window by outcome, and leaves the others out', () => {
    const spans: WriteSpan[] = [
      { invokedAt: ORIGIN + 100, completedAt: ORIGIN + 200, outcome: 'ok' }, // before
      { invokedAt: ORIGIN + 900, completedAt: ORIGIN + 1001, outcome: 'unknown' }, // in flight at the crash
      { invokedAt: ORIGIN + 1200, completedAt: ORIGIN + 2600, outcome: 'ok' }, // held until the worker was back
      { invokedAt: ORIGIN + 2400, completedAt: ORIGIN + 2450, outcome: 'fail' },
      { invokedAt: ORIGIN + 2501, completedAt: ORIGIN + 2600, outcome: 'ok' }, // after
    ];
    const [record] = faultRecordResults([crash], spans, ORIGIN);
    expect(record).toEqual({
      kind: 'strategy-crash',
      target: 'worker',
      description: 'strategy-crash on worker at load 40%',
      state: 'injected',
      startMs: 1000,
      endMs: 2500,
      detail: 'SIGKILL worker pid 42',
      heal: { waitedFor: 'worker ready after open + recover', ms: 1500 },
      errors: [],
      writes: { ok: 1, failed: 1, unknown: 1 },
      catchUpMs: null,
    });
  });

  it("reads each fault's catch-up off the lag samples", () => {
    const lag = [
      { atMs: 100, lagMs: 300 },
      { atMs: 500, lagMs: 1200 }, // before the fault: the normal lag is 1200 ms
      { atMs: 2600, lagMs: 6000 }, // acknowledged after the heal, still behind the backlog
      { atMs: 3000, lagMs: 900 }, // current again: seen at 3900, 1400 ms after the heal
    ];
    expect(faultRecordResults([crash], [], ORIGIN, lag)[0]!.catchUpMs).toBe(1400);
  });

  it('states a fault that never struck with its reason and no window', () => {
    const [record] = faultRecordResults([{ index: 0, kind: 'search-pause', target: 'search', description: 'd', state: 'not-injected', reason: 'never reached' }], [], ORIGIN);
    expect(record).toEqual({ kind: 'search-pause', target: 'search', description: 'd', state: 'not-injected', startMs: null, endMs: null, errors: [], reason: 'never reached' });
  });
});

describe('convergedAfterHealMs', () => {
  it('measures from the later of the last heal and the last acknowledged write, 0 when the stores already agreed, null when they never did', () => {
    expect(convergedAfterHealMs(null, ORIGIN, ORIGIN + 100, ORIGIN + 5000)).toBeUndefined();
    expect(convergedAfterHealMs(2500, ORIGIN, ORIGIN + 100, ORIGIN + 4000)).toBe(1500); // the heal came after the last write
    expect(convergedAfterHealMs(2500, ORIGIN, ORIGIN + 9000, ORIGIN + 9400)).toBe(400); // writes went on after the heal
    expect(convergedAfterHealMs(2500, ORIGIN, ORIGIN + 100, ORIGIN + 2000)).toBe(0);
    expect(convergedAfterHealMs(2500, ORIGIN, ORIGIN + 100, null)).toBeNull();
  });
});

describe('catch-up', () => {
  it('takes the normal lag from the samples before the first fault, at least the floor', () => {
    expect(normalLagMs(1000, [])).toBe(CATCH_UP_FLOOR_MS);
    expect(normalLagMs(1000, [{ atMs: 10, lagMs: 50 }])).toBe(CATCH_UP_FLOOR_MS);
    expect(normalLagMs(1000, [{ atMs: 10, lagMs: 50 }, { atMs: 20, lagMs: 2500 }, { atMs: 2000, lagMs: 9000 }])).toBe(2500);
  });

  it('is null when no sample acknowledged after the heal was current', () => {
    expect(catchUpMs(1000, 1000, [{ atMs: 900, lagMs: 10 }, { atMs: 1100, lagMs: 5000 }])).toBeNull();
    expect(catchUpMs(1000, 1000, [{ atMs: 1300, lagMs: 200 }, { atMs: 1100, lagMs: 400 }])).toBe(500);
  });
});
