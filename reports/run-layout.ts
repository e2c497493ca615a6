// converge report: the shape of a run — which strategies and scenarios it holds, in a stable order
// (strategies as they first ran, scenarios as planned), and which pair ran. A pair planned but not
// run (an interrupted run) is a hole the report shows, not a missing row.
import type { ResultsFile, ScenarioResult } from '../harness/results/schema.ts';

export type ScenarioInfo = NonNullable<ResultsFile['context']>['scenarios'][number];

export interface RunLayout {
  strategies: string[];
  scenarios: string[];
  /** The pair's result, or undefined when it did not run. */
  pair(strategy: string, scenario: string): ScenarioResult | undefined;
  /** The scenario's description, file, params and YAML text, when the run recorded them. */
  info(scenario: string): ScenarioInfo | undefined;
  /** Each scenario's pairs in strategy order. */
  resultsOf(scenario: string): ScenarioResult[];
  /** The page's element id of a scenario's section (names are not trusted as ids). */
  anchor(scenario: string): string;
}

const unique = (names: string[]) => [...new Set(names)];

export function runLayout(file: ResultsFile): RunLayout {
  const strategies = unique(file.results.map((r) => r.strategy));
  const scenarios = unique([...(file.context?.scenarios.map((s) => s.name) ?? []), ...file.results.map((r) => r.scenario)]);
  const byPair = new Map(file.results.map((r) => [`${r.strategy}\u0000${r.scenario}`, r]));
  return {
    strategies,
    scenarios,
    pair: (strategy, scenario) => byPair.get(`${strategy}\u0000${scenario}`),
    info: (scenario) => file.context?.scenarios.find((s) => s.name === scenario),
    resultsOf: (scenario) => strategies.flatMap((strategy) => byPair.get(`${strategy}\u0000${scenario}`) ?? []),
    anchor: (scenario) => `scenario-${scenarios.indexOf(scenario)}`,
  };
}
