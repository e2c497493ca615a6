// The bench's exit code, decided from what the run wrote:
//   130 — interrupted (Ctrl-C): the results are partial, nothing can be concluded;
//     1 — results.json failed its own schema check, or some pair's verdict is not what its scenario
//         expects of that strategy (standing.ts: a must-pass pair failed, or any pair crashed);
//         With the pipeline suite, also when a target's measurement failed or its stores diverged
//         (an unmet speed goal is a finding, printed and recorded, not a failure of the run);
//     0 — every pair is as expected (expected failures and a control group's passes included);
//         a skipped pair (a fault its provider cannot inject) is listed by the bench, not counted.
// Bad input (a flag, a scenario) exits 2 before anything runs; that is decided where it is parsed.
import type { PipelineResult } from '../results/pipeline-schema.ts';
import type { ScenarioResult } from '../results/schema.ts';
import { standing } from '../results/standing.ts';

export const EXIT_OK = 0;
export const EXIT_UNEXPECTED = 1;
export const EXIT_BAD_INPUT = 2;
export const EXIT_INTERRUPTED = 130;

export interface FinishedRun {
  interrupted: boolean;
  results: readonly Pick<ScenarioResult, 'strategy' | 'scenario' | 'verdict' | 'expectation' | 'lines' | 'skipped'>[];
  /** results.json's own schema problems (empty or absent when it validated). */
  schemaErrors?: readonly string[] | undefined;
  pipeline?: Pick<PipelineResult, 'runs'>;
}

/** Why the run is not as expected, one line per pair or problem; empty when it is. */
export function unexpectedOutcomes(run: FinishedRun): string[] {
  const out: string[] = [];
  if (run.schemaErrors && run.schemaErrors.length > 0) out.push(`results.json does not match its own schema (${run.schemaErrors.length} problem${run.schemaErrors.length === 1 ? '' : 's'})`);
  for (const result of run.results) {
    const s = standing(result);
    if (s.kind === 'unexpected-fail') out.push(`${result.strategy} × ${result.scenario} failed: ${s.reason}`);
  }
  run.pipeline?.runs.forEach((measurements, i) => {
    for (const m of measurements) {
      if (m.state === 'failed') out.push(`pipeline repetition ${i + 1}: ${m.target} failed: ${m.error}`);
      else if (m.converged === false) out.push(`pipeline repetition ${i + 1}: ${m.target}: the stores did not converge`);
    }
  });
  return out;
}

/** The pairs that did not run, one line each with the reason. */
export function skippedPairs(run: FinishedRun): string[] {
  return run.results.filter((result) => result.verdict === 'skipped').map((result) => `${result.strategy} × ${result.scenario} skipped: ${result.skipped?.reason ?? 'no reason recorded'}`);
}

export function benchExitCode(run: FinishedRun): number {
  if (run.interrupted) return EXIT_INTERRUPTED;
  return unexpectedOutcomes(run).length > 0 ? EXIT_UNEXPECTED : EXIT_OK;
}
