// What a scenario expects of one strategy: pass, or may fail (the scenario's `expect.mayFail`
// names the strategy and says why), with the registry's control-group flag, as each result
// records it (`expectation` in results.json).
import type { Expectation } from '../results/schema.ts';
import type { Scenario } from '../scenario/schema.ts';
import { strategyEntry } from '../../strategies/index.ts';

export function expectationFor(scenario: Scenario, strategy: string): Expectation {
  const controlGroup = strategyEntry(strategy).controlGroup;
  const reason = Object.hasOwn(scenario.expect.mayFail, strategy) ? scenario.expect.mayFail[strategy] : undefined;
  return reason === undefined ? { verdict: 'pass', controlGroup } : { verdict: 'may-fail', reason, controlGroup };
}
