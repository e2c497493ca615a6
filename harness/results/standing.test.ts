// How a verdict stands against its expectation: an expected failure says why, a control group's
// pass where it may diverge is information, a check that could not be judged is never expected.
import { describe, expect, it } from 'vitest';
import { standing } from './standing.ts';

const fail = { check: 'converged', outcome: 'fail' as const, reason: '1 extra' };
const unknown = { check: 'finalValues[0]', outcome: 'unknown' as const, reason: 'reading final values crashed: ECONNRESET' };

describe('standing', () => {
  it('a failure the scenario allows is expected, with its reason', () => {
    expect(standing({ verdict: 'fail', expectation: { verdict: 'may-fail', reason: 'races', controlGroup: true }, lines: [fail] })).toEqual({ kind: 'expected-fail', reason: 'races' });
  });

  it("a control group's pass where it may diverge is information", () => {
    expect(standing({ verdict: 'pass', expectation: { verdict: 'may-fail', reason: 'races', controlGroup: true }, lines: [] })).toEqual({
      kind: 'pass-may-fail',
      note: 'passed; the control group may diverge here (races)',
    });
    expect(standing({ verdict: 'pass', expectation: { verdict: 'may-fail', reason: 'known limit', controlGroup: false }, lines: [] })).toEqual({
      kind: 'pass-may-fail',
      note: 'passed; it may fail here (known limit)',
    });
  });

  it('a failure with a check that could not be judged is unexpected even where the strategy may fail', () => {
    expect(standing({ verdict: 'fail', expectation: { verdict: 'may-fail', reason: 'races', controlGroup: true }, lines: [fail, unknown] }).kind).toBe('unexpected-fail');
  });

  it('a failure where the scenario expects a pass is unexpected', () => {
    expect(standing({ verdict: 'fail', expectation: { verdict: 'pass', controlGroup: true }, lines: [fail] })).toEqual({ kind: 'unexpected-fail', reason: 'the scenario expects it to pass' });
    expect(standing({ verdict: 'pass', expectation: { verdict: 'pass', controlGroup: false }, lines: [] })).toEqual({ kind: 'pass' });
  });

  it('a skipped pair is neither a pass nor a failure, whatever the expectation, and keeps its reason', () => {
    const skipped = { verdict: 'skipped' as const, lines: [], skipped: { reason: 'faults[0] search-restart: cannot kill it' } };
    expect(standing({ ...skipped, expectation: { verdict: 'pass', controlGroup: false } })).toEqual({ kind: 'skipped', reason: 'faults[0] search-restart: cannot kill it' });
    expect(standing({ ...skipped, expectation: { verdict: 'may-fail', reason: 'races', controlGroup: true } }).kind).toBe('skipped');
  });
});
