// converge: how a pair's verdict stands against what its scenario expects of that strategy — the
// one rule behind the bench's exit code, the console summary and the report's verdict matrix:
// - a pass is as expected; where the strategy may fail, it is information ("passed; the control
//   group may diverge here"), never an error;
// - a fail is expected only where the scenario lists the strategy in `expect.mayFail` and every
//   check was judged: a line whose outcome is `unknown` (a pair that crashed, a check that crashed,
//   a run cut short) is a failure of the run, not the divergence the scenario allows, so it is
//   always unexpected, control group included;
// - any other fail is unexpected;
// - a skipped pair (it did not run: a fault the provider cannot inject) is neither: it is shown as
//   skipped with its reason, and does not change the bench's exit code.
// A pure function of one results.json entry.
import type { ScenarioResult } from './schema.ts';

export type Standing =
  | { readonly kind: 'pass' }
  /** Passed where it may fail: information. */
  | { readonly kind: 'pass-may-fail'; readonly note: string }
  /** Failed where the scenario says it may: shown as such, not an error. */
  | { readonly kind: 'expected-fail'; readonly reason: string }
  /** Failed where it must pass, or could not be judged. */
  | { readonly kind: 'unexpected-fail'; readonly reason: string }
  /** Did not run, for the reason given (never a pass). */
  | { readonly kind: 'skipped'; readonly reason: string };

export function standing(result: Pick<ScenarioResult, 'verdict' | 'expectation' | 'lines' | 'skipped'>): Standing {
  const { expectation } = result;
  if (result.verdict === 'skipped') return { kind: 'skipped', reason: result.skipped?.reason ?? 'no reason recorded' };
  const mayFail = expectation.verdict === 'may-fail';
  const why = expectation.reason ?? 'the scenario allows it';
  if (result.verdict === 'pass') {
    if (!mayFail) return { kind: 'pass' };
    return { kind: 'pass-may-fail', note: expectation.controlGroup ? `passed; the control group may diverge here (${why})` : `passed; it may fail here (${why})` };
  }
  const unjudged = result.lines.filter((line) => line.outcome === 'unknown');
  if (mayFail && unjudged.length === 0) return { kind: 'expected-fail', reason: why };
  if (mayFail) return { kind: 'unexpected-fail', reason: `it may diverge here, but ${unjudged.length} check${unjudged.length === 1 ? '' : 's'} could not be judged (${unjudged[0]!.check}: ${unjudged[0]!.reason})` };
  return { kind: 'unexpected-fail', reason: 'the scenario expects it to pass' };
}

/** True when the verdict is what the scenario expects of the strategy. */
export function asExpected(result: Pick<ScenarioResult, 'verdict' | 'expectation' | 'lines' | 'skipped'>): boolean {
  return standing(result).kind !== 'unexpected-fail';
}
