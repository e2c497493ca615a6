// `expect.mayFail`: which strategies may fail a scenario and why — names checked against the
// strategy registry (an unknown one is an error naming its YAML path), a reason required.
import { describe, expect, it } from 'vitest';
import { ScenarioError } from './errors.ts';
import { parseScenario } from './load.ts';

const scenario = (mayFail: string) => `
name: tiny
description: a tiny scenario
entity:
  table: tiny
  columns: { n: { type: int } }
phases:
  - { name: p, ops: 3, mix: { update: 1 } }
expect:
  mayFail:
${mayFail}
`;

function problems(text: string): string[] {
  try {
    parseScenario(text, {}, 'tiny.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioError);
    return (error as ScenarioError).problems.map((p) => `${p.path}: ${p.message}`);
  }
  throw new Error('expected a ScenarioError');
}

describe('expect.mayFail', () => {
  it('names registered strategies with a reason', () => {
    const parsed = parseScenario(scenario('    naive: the control group races'), {}, 'tiny.yaml');
    expect(parsed.expect.mayFail).toEqual({ naive: 'the control group races' });
  });

  it('defaults to no strategy', () => {
    const parsed = parseScenario(scenario('    {}').replace('  mayFail:\n    {}', '  converged: true'), {}, 'tiny.yaml');
    expect(parsed.expect.mayFail).toEqual({});
  });

  it('refuses an unknown strategy, naming its YAML path and the known ones', () => {
    expect(problems(scenario('    telepathy: it reads minds'))).toEqual(['expect.mayFail.telepathy: unknown strategy "telepathy"; known: naive, cdc, saga, 2pc']);
  });

  it('refuses an empty reason', () => {
    expect(problems(scenario('    naive: ""'))).toEqual(['expect.mayFail.naive: say why this strategy may fail here']);
  });
});
