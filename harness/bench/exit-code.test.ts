// The bench's exit code: 0 when every pair is as its scenario expects (a control group's expected
// divergence and its unexpected pass included), 1 for a must-pass pair that failed, any crashed
// pair (control group included) or a results.json that failed its schema, 130 when interrupted.
import { describe, expect, it } from 'vitest';
import type { Expectation, ScenarioResult, VerdictLine } from '../results/schema.ts';
import { benchExitCode, skippedPairs, unexpectedOutcomes } from './exit-code.ts';

const MUST_PASS: Expectation = { verdict: 'pass', controlGroup: false };
const CONTROL_MAY_FAIL: Expectation = { verdict: 'may-fail', reason: 'the control group races', controlGroup: true };
const failLine: VerdictLine = { check: 'converged', outcome: 'fail', reason: '1 extra (ids 170)' };
const passLine: VerdictLine = { check: 'converged', outcome: 'pass', reason: '10 rows and 10 documents agree' };
const crashLine: VerdictLine = { check: 'run', outcome: 'unknown', reason: 'the run crashed before it could be judged: Error: connector FAILED' };

type Pair = Pick<ScenarioResult, 'strategy' | 'scenario' | 'verdict' | 'expectation' | 'lines' | 'skipped'>;
const pair = (strategy: string, verdict: 'pass' | 'fail', expectation: Expectation, lines: VerdictLine[]): Pair => ({ strategy, scenario: 'mixed-crud', verdict, expectation, lines });
const skipped: Pair = { strategy: 'cdc', scenario: 'fault-search-restart', verdict: 'skipped', expectation: MUST_PASS, lines: [], skipped: { reason: "faults[0] search-restart: the external provider's search is run by the user, not by converge: it cannot kill it" } };

const passing = pair('cdc', 'pass', MUST_PASS, [passLine]);
const controlDiverged = pair('naive', 'fail', CONTROL_MAY_FAIL, [failLine]);
const controlPassed = pair('naive', 'pass', CONTROL_MAY_FAIL, [passLine]);
const mustPassFailed = pair('cdc', 'fail', MUST_PASS, [failLine]);
const controlCrashed = pair('naive', 'fail', CONTROL_MAY_FAIL, [crashLine]);

describe('bench exit code', () => {
  it('is 0 when every pair passes', () => {
    expect(benchExitCode({ interrupted: false, results: [passing] })).toBe(0);
  });

  it('is 0 when the control group diverges where the scenario says it may', () => {
    expect(benchExitCode({ interrupted: false, results: [passing, controlDiverged] })).toBe(0);
  });

  it("is 0 when the control group passes where it may diverge (information, not an error)", () => {
    expect(benchExitCode({ interrupted: false, results: [passing, controlPassed] })).toBe(0);
  });

  it('is 1 when a pair the scenario expects to pass fails, and names it', () => {
    expect(benchExitCode({ interrupted: false, results: [mustPassFailed, controlDiverged] })).toBe(1);
    expect(unexpectedOutcomes({ interrupted: false, results: [mustPassFailed, controlDiverged] })).toEqual(['cdc × mixed-crud failed: the scenario expects it to pass']);
  });

  it('is 1 when a pair crashed, even a control group allowed to diverge there', () => {
    expect(benchExitCode({ interrupted: false, results: [passing, controlCrashed] })).toBe(1);
    expect(unexpectedOutcomes({ interrupted: false, results: [controlCrashed] })[0]).toMatch(/^naive × mixed-crud failed: it may diverge here, but 1 check could not be judged \(run: the run crashed/);
  });

  it('is 1 when results.json failed its own schema check, whatever the verdicts', () => {
    expect(benchExitCode({ interrupted: false, results: [passing], schemaErrors: ['results[0].ops.ok: Too small'] })).toBe(1);
    expect(benchExitCode({ interrupted: false, results: [passing], schemaErrors: [] })).toBe(0);
  });

  it('leaves a skipped pair out of the exit code and lists it with its reason', () => {
    expect(benchExitCode({ interrupted: false, results: [passing, skipped] })).toBe(0);
    expect(unexpectedOutcomes({ interrupted: false, results: [skipped] })).toEqual([]);
    expect(skippedPairs({ interrupted: false, results: [passing, skipped] })).toEqual([
      "cdc × fault-search-restart skipped: faults[0] search-restart: the external provider's search is run by the user, not by converge: it cannot kill it",
    ]);
    expect(benchExitCode({ interrupted: false, results: [mustPassFailed, skipped] })).toBe(1);
  });

  it('is 130 when interrupted, whatever the verdicts', () => {
    expect(benchExitCode({ interrupted: true, results: [mustPassFailed] })).toBe(130);
    expect(benchExitCode({ interrupted: true, results: [] })).toBe(130);
  });

  it('with the pipeline suite, is 1 for a failed or diverged measurement and 0 for an unmet speed goal', () => {
    const measurement = (state: 'measured' | 'failed', converged: boolean | null, met: boolean) => ({
      target: 'sink-catch-up' as const,
      title: 'Sink catch-up',
      state,
      error: state === 'failed' ? 'connector FAILED' : null,
      figures: {},
      goals: [{ text: 'ratio ≥ 0.85', figure: 'ratio', op: '>=' as const, threshold: 0.85, met }],
      config: {},
      converged,
      usage: { state: 'unavailable' as const, reason: 'external provider' },
      durationMs: 1,
    });
    const run = (m: ReturnType<typeof measurement>) => ({ interrupted: false, results: [passing], pipeline: { runs: [[m]] } });
    expect(benchExitCode(run(measurement('measured', true, false)))).toBe(0);
    expect(unexpectedOutcomes(run(measurement('failed', null, false)))).toEqual(['pipeline repetition 1: sink-catch-up failed: connector FAILED']);
    expect(unexpectedOutcomes(run(measurement('measured', false, true)))).toEqual(['pipeline repetition 1: sink-catch-up: the stores did not converge']);
    expect(benchExitCode(run(measurement('measured', false, true)))).toBe(1);
  });
});
