// The result of a pair whose run crashed before it could judge anything (a strategy that could not
// set up, a service that went away): every figure says so, and the verdict is `fail` with an
// `unknown` run line, so one broken pair neither passes silently nor stops the others, and its
// failure is never the one a scenario expects (not even of a control group).
import type { ScenarioResult } from '../results/schema.ts';
import type { Scenario } from '../scenario/schema.ts';
import { historyFileName } from './history-file.ts';
import { expectationFor } from './pair-expectation.ts';

export function crashedResult(strategy: string, scenario: Scenario, seed: number, error: unknown): ScenarioResult {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const reason = `the run crashed before it could be judged: ${message}`;
  return {
    strategy,
    scenario: scenario.name,
    params: scenario.params,
    seed,
    ops: { attempted: 0, ok: 0, failed: 0, unknown: 0 },
    throughput: { opsPerSec: 0 },
    latencyMs: { state: 'none', samples: 0, reason: 'the run crashed' },
    lagMs: { state: 'none', samples: 0, reason: 'the run crashed' },
    convergence: { state: 'unknown', error: message },
    anomalies: { state: 'unknown', error: message },
    perOpCost: { state: 'skipped', reason: 'the run crashed' },
    stats: {},
    faults: [],
    expect: scenario.expect,
    verdict: 'fail',
    expectation: expectationFor(scenario, strategy),
    reasons: [`unknown: run: ${reason}`],
    lines: [{ check: 'run', outcome: 'unknown', reason }],
    history: historyFileName(strategy, scenario.name),
  };
}
