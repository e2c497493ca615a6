// A crashed pair's result is a valid results.json entry that fails, says why, and claims no figure.
import { describe, expect, it } from 'vitest';
import { scenarioResultSchema } from '../results/schema.ts';
import { parseScenario } from '../scenario/load.ts';
import { crashedResult } from './crashed-result.ts';

describe('crashed pair', () => {
  it('fails with the error as its reason and no measured figure', () => {
    const scenario = parseScenario(
      'name: s\ndescription: d\nentity:\n  table: t\n  columns: { a: { type: int } }\nphases:\n  - { name: p, ops: 1, mix: { update: 1 } }\nfaults: []\n',
      {},
      's.yaml',
    );
    const result = crashedResult('cdc', scenario, 1, new Error('connector FAILED'));
    expect(scenarioResultSchema.safeParse(result).success).toBe(true);
    expect(result.verdict).toBe('fail');
    expect(result.reasons[0]).toBe('unknown: run: the run crashed before it could be judged: Error: connector FAILED');
    expect(result.convergence).toEqual({ state: 'unknown', error: 'Error: connector FAILED' });
    expect(result.latencyMs.state).toBe('none');
  });
});
