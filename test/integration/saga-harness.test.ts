// The saga strategy through the whole harness (runStrategy) on the real services, at small sizes:
// counter-race ends at 2 × increments + 1 in both stores, mixed-crud and cdc-snapshot-under-load's
// workload converge, and index-rejects converges with compensations the real engine caused, and
// no dirty read.
import { describe, expect, inject, it } from 'vitest';
import { runShippedScenario } from './strategy-kit.ts';

const endpoints = inject('endpoints');
const run = (name: string, params: Record<string, string>) => runShippedScenario(endpoints, 'saga', name, params);

describe('saga through the harness', () => {
  it('passes counter-race: the counter is 2 × increments + 1 in both stores', async () => {
    const result = await run('counter-race', { increments: '300' });
    expect(result.ops).toEqual({ attempted: 301, ok: 301, failed: 0, unknown: 0 });
    expect(result.lines.find((line) => line.check === 'finalValues[0].counter')).toMatchObject({ outcome: 'pass' });
    expect(result.verdict, result.reasons.join('\n')).toBe('pass');
    expect(result.stats).toMatchObject({ sagasCompleted: 302, sagasCompensated: 0, sagaLogRowsUnfinished: 0 });
  });

  it('passes mixed-crud', async () => {
    const result = await run('mixed-crud', { ops: '600', keys: '100' });
    expect(result.convergence).toMatchObject({ state: 'checked', converged: true });
    expect(result.verdict, result.reasons.join('\n')).toBe('pass');
    expect(result.stats).toMatchObject({ sagasCompensated: 0, sagasFailed: 0, sagaLogRowsUnfinished: 0 });
  });

  it("passes cdc-snapshot-under-load's workload (its cdc options are not the saga's: nothing deferred)", async () => {
    const result = await run('cdc-snapshot-under-load', { rows: '300', ops: '600', rate: '300' });
    expect(result.ops).toMatchObject({ attempted: 600, ok: 600, unknown: 0 });
    expect(result.convergence).toMatchObject({ state: 'checked', converged: true });
    expect(result.verdict, result.reasons.join('\n')).toBe('pass');
    expect(result.stats).toMatchObject({ sagasCompensated: 0, sagasFailed: 0, sagaLogRowsUnfinished: 0 });
  });

  it('converges on index-rejects by compensating the writes OpenSearch refused', async () => {
    const result = await run('index-rejects', { ops: '600', keys: '100' });
    expect(result.convergence).toMatchObject({ state: 'checked', converged: true });
    expect(result.verdict, result.reasons.join('\n')).toBe('pass');
    expect(Number(result.stats.sagasCompensated)).toBeGreaterThan(0);
    // With ack end every compensated write is a definite fail in the history.
    expect(result.ops.failed).toBe(Number(result.stats.sagasCompensated));
    expect(result.stats).toMatchObject({ sagasFailed: 0, sagaLogRowsUnfinished: 0 });
    // A compensated row is its before-image exactly (version included): readers see no state that
    // no acknowledged write produced.
    expect(result.anomalies).toMatchObject({ state: 'checked', dirtyReads: 0 });
    expect(result.anomalies.state === 'checked' && result.anomalies.judged.dirtyReads).toBeGreaterThan(0);
  });
});
