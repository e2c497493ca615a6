// The scenario's `strategies:` block is composed from the strategy registry: each registered
// strategy's options are checked by the schema its entry declares and by its own hook, with
// problems named by their YAML path; an unregistered name is refused.
import { describe, expect, it } from 'vitest';
import { strategyNames } from '../../strategies/index.ts';
import { ScenarioError } from './errors.ts';
import { scenarioJsonSchema } from './json-schema.ts';
import { parseScenario } from './load.ts';

const scenario = (strategies: string) => `
name: tiny
description: a tiny scenario
entity:
  table: tiny
  columns: { n: { type: int } }
phases:
  - { name: load, ops: 3, mix: { update: 1 } }
strategies:
${strategies}
`;

function problems(text: string): string[] {
  try {
    parseScenario(text, {}, 'tiny.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioError);
    return (error as ScenarioError).problems.map((p) => `${p.path}${p.line === undefined ? '' : ` (line ${p.line})`}: ${p.message}`);
  }
  throw new Error('expected a ScenarioError');
}

describe('strategies: block', () => {
  it("hands each strategy its options, parsed by its registry entry's schema (defaults applied)", () => {
    const parsed = parseScenario(scenario('  saga: { ack: step1 }\n  cdc: { startCaptureAt: { phase: load, fraction: 0.5 } }\n  naive: {}'), {}, 'tiny.yaml');
    expect(parsed.strategies?.saga).toMatchObject({ ack: 'step1', isolation: 'semantic-lock', lockTimeoutMs: 5000 });
    expect(parsed.strategies?.cdc).toEqual({ startCaptureAt: { phase: 'load', fraction: 0.5 } });
    expect(parsed.strategies?.naive).toEqual({});
  });

  it('names a bad option by its YAML path and line', () => {
    expect(problems(scenario('  saga: { ack: later, isolaton: none }'))).toEqual([
      'strategies.saga.ack (line 10): expected one of "step1", "end", got string "later"',
      'strategies.saga.isolaton (line 10): unknown key',
    ]);
    expect(problems(scenario('  naive: { retries: 3 }'))).toEqual(['strategies.naive.retries (line 10): unknown key']);
  });

  it('refuses a strategy that is not registered', () => {
    expect(problems(scenario('  telepathy: {}'))).toEqual(['strategies.telepathy (line 10): unknown key']);
  });

  it("runs each strategy's own cross-checks against the scenario", () => {
    expect(problems(scenario('  cdc:\n    startCaptureAt: { phase: lod, fraction: 0.5 }\n    versionColumn: m'))).toEqual([
      'strategies.cdc.startCaptureAt.phase (line 11): unknown phase "lod"',
      'strategies.cdc.versionColumn (line 12): unknown column "m"',
    ]);
    expect(problems(scenario('  saga: { retryInitialMs: 500, retryMaxMs: 100 }'))).toEqual(['strategies.saga.retryMaxMs (line 10): 100 is below retryInitialMs (500)']);
  });

  it('lists every registered strategy in the JSON Schema', () => {
    const properties = (scenarioJsonSchema().properties as Record<string, { properties?: Record<string, unknown> }>).strategies?.properties ?? {};
    expect(Object.keys(properties)).toEqual(strategyNames());
  });
});
