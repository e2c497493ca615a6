// The fault lines of a verdict: a fault that struck and healed cleanly passes, one that never
// struck, whose strike threw or whose heal met errors is unknown (and fails the pair), and the
// converged line says how long after the last heal the stores agreed.
import { describe, expect, it } from 'vitest';
import type { FaultRecordResult } from '../results/schema.ts';
import { afterHealNote, faultLine, lastHealEndMs } from './fault-lines.ts';

const base = { kind: 'search-pause', target: 'search', description: 'search-pause on search at load 30%' };
const injected: FaultRecordResult = {
  ...base,
  state: 'injected',
  startMs: 9000,
  endMs: 14_200,
  detail: 'SIGSTOP opensearch',
  heal: { waitedFor: 'SIGCONT; the engine answers', ms: 180 },
  errors: [],
  writes: { ok: 40, failed: 0, unknown: 2 },
  catchUpMs: 800,
};

describe('faultLine', () => {
  it('passes a fault injected and healed without errors, naming it, its window, its heal and the writes in it', () => {
    expect(faultLine(injected, 0)).toEqual({
      check: 'fault[0] search-pause',
      outcome: 'pass',
      reason: 'search-pause on search at load 30% (SIGSTOP opensearch): 9.0 s–14.2 s after the workload began; healed in 180 ms (SIGCONT; the engine answers); writes in flight in its window: 40 ok, 0 failed, 2 unknown; the index was current again 800 ms after the heal',
    });
  });

  it('is unknown when the heal met errors', () => {
    const line = faultLine({ ...injected, errors: ['the engine did not answer within 180000 ms'] }, 1);
    expect(line.outcome).toBe('unknown');
    expect(line.check).toBe('fault[1] search-pause');
    expect(line.reason).toContain('the engine did not answer within 180000 ms');
  });

  it('is unknown when the fault never struck, with the reason', () => {
    const line = faultLine({ ...base, state: 'not-injected', startMs: null, endMs: null, errors: [], reason: 'phase "load" never reached 30% before the workload ended' }, 0);
    expect(line).toEqual({ check: 'fault[0] search-pause', outcome: 'unknown', reason: 'search-pause on search at load 30%: not injected: phase "load" never reached 30% before the workload ended' });
  });

  it('is unknown when the strike threw', () => {
    const line = faultLine({ ...base, state: 'inject-failed', startMs: 100, endMs: 120, errors: ['inject failed: no pid file'] }, 0);
    expect(line.outcome).toBe('unknown');
    expect(line.reason).toContain('inject failed: no pid file');
  });
});

describe('lastHealEndMs', () => {
  it('is the latest end among the faults that struck; null when none did', () => {
    const notInjected: FaultRecordResult = { ...base, state: 'not-injected', startMs: null, endMs: null, errors: [], reason: 'never' };
    expect(lastHealEndMs([injected, { ...injected, startMs: 20_000, endMs: 21_000 }, notInjected])).toBe(21_000);
    expect(lastHealEndMs([notInjected])).toBeNull();
    expect(lastHealEndMs([])).toBeNull();
  });
});

describe('afterHealNote', () => {
  it('says nothing without faults, the time after the heal, or that it never converged', () => {
    expect(afterHealNote(undefined)).toBe('');
    expect(afterHealNote(1234)).toBe('; converged 1234 ms after the faults had healed and the writes stopped');
    expect(afterHealNote(null)).toBe('; not converged after the faults had healed');
  });
});
