// The result of a pair that produced no figures: one whose run crashed before it could judge
// anything (a strategy that could not set up, a service that went away), or one that was skipped
// before it started (a fault its provider cannot inject). Every figure says so.
// - crashed: the verdict is `fail` with an `unknown` run line, so one broken pair neither passes
//   silently nor stops the others, and its failure is never the one a scenario expects (not even of
//   a control group);
// - skipped: the verdict is `skipped` with the reason; it neither passes nor fails (standing.ts).
import type { ScenarioResult } from '../results/schema.ts';
import type { Scenario } from '../scenario/schema.ts';
import { historyFileName } from './history-file.ts';
import { expectationFor } from './pair-expectation.ts';

function resultWithoutRun(strategy: string, scenario: Scenario, seed: number, why: string, reason: string): Omit<ScenarioResult, 'verdict' | 'reasons' | 'lines'> {
  return {
    strategy,
    scenario: scenario.name,
    params: scenario.params,
    seed,
    ops: { attempted: 0, ok: 0, failed: 0, unknown: 0 },
    throughput: { opsPerSec: 0 },
    latencyMs: { state: 'none', samples: 0, reason: why },
    lagMs: { state: 'none', samples: 0, reason: why },
    convergence: { state: 'unknown', error: reason },
    anomalies: { state: 'unknown', error: reason },
    lostWrites: { state: 'unknown', error: reason },
    perOpCost: { state: 'skipped', reason: why },
    stats: {},
    faults: [],
    expect: scenario.expect,
    expectation: expectationFor(scenario, strategy),
    history: historyFileName(strategy, scenario.name),
  };
}

export function crashedResult(strategy: string, scenario: Scenario, seed: number, error: unknown): ScenarioResult {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const reason = `the run crashed before it could be judged: ${message}`;
  return {
    ...resultWithoutRun(strategy, scenario, seed, 'the run crashed', message),
    verdict: 'fail',
    reasons: [`unknown: run: ${reason}`],
    lines: [{ check: 'run', outcome: 'unknown', reason }],
  };
}

/** A pair not run, with why (each fault this provider cannot inject, by its position and kind). */
export function skippedResult(strategy: string, scenario: Scenario, seed: number, reason: string): ScenarioResult {
  return {
    ...resultWithoutRun(strategy, scenario, seed, 'the pair was skipped', `skipped: ${reason}`),
    verdict: 'skipped',
    skipped: { reason },
    reasons: [`skipped: run: ${reason}`],
    lines: [],
  };
}
