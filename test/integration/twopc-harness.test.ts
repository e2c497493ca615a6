// The 2pc strategy through the whole harness (runStrategy) on the real services, at small sizes:
// counter-race ends at 2 × increments + 1 in both stores, mixed-crud converges with no transaction
// left in doubt, and index-rejects converges with every document OpenSearch refused aborted at
// prepare (a definite fail in the history, the value in neither store).
import { describe, expect, inject, it } from 'vitest';
import { runShippedScenario } from './strategy-kit.ts';

const endpoints = inject('endpoints');
const run = (name: string, params: Record<string, string>) => runShippedScenario(endpoints, '2pc', name, params);

const nothingLeft = { preparedLeft: 0, stagingLeft: 0, leftInDoubt: 0, transactionsRunningHere: 0 };

describe('2pc through the harness', () => {
  it('passes counter-race: the counter is 2 × increments + 1 in both stores', async () => {
    const result = await run('counter-race', { increments: '300' });
    expect(result.ops).toEqual({ attempted: 301, ok: 301, failed: 0, unknown: 0 });
    expect(result.lines.find((line) => line.check === 'finalValues[0].counter')).toMatchObject({ outcome: 'pass' });
    expect(result.verdict, result.reasons.join('\n')).toBe('pass');
    expect(result.stats).toMatchObject({ transactionsCommitted: 302, transactionsAborted: 0, ...nothingLeft });
  });

  it('passes mixed-crud', async () => {
    const result = await run('mixed-crud', { ops: '600', keys: '100' });
    expect(result.convergence).toMatchObject({ state: 'checked', converged: true });
    expect(result.verdict, result.reasons.join('\n')).toBe('pass');
    expect(result.stats).toMatchObject(nothingLeft);
    expect(Number(result.stats['lockWaitMs.samples'])).toBeGreaterThan(0);
  });

  it('converges on index-rejects by aborting, at prepare, every transaction whose document OpenSearch refused', async () => {
    const result = await run('index-rejects', { ops: '600', keys: '100' });
    expect(result.convergence).toMatchObject({ state: 'checked', converged: true });
    expect(result.verdict, result.reasons.join('\n')).toBe('pass');
    const rejected = Number(result.stats.rejectedAtPrepare);
    expect(rejected).toBeGreaterThan(0);
    // Each refused document is a definite fail in the history; nothing else failed.
    expect(result.ops.failed).toBe(rejected);
    expect(result.stats).toMatchObject(nothingLeft);
  });
});
