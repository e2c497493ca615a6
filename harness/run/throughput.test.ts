// Throughput over the phases' own running time: checkpoint waits between groups do not count,
// phases side by side in one group count the group's wall time once, and each phase has its rate.
import { describe, expect, it } from 'vitest';
import { workloadThroughput } from './throughput.ts';

describe('workload throughput', () => {
  it('divides by the sum of the groups own wall times, not the workload time with its checkpoint waits', () => {
    // seed-bulk-like: three groups of 1,000 ops, 2 s each, with (elsewhere) 20 s of checkpoint waits between them.
    const groups = ['insert-all', 'update-all', 'delete-all'].map((name) => ({ ms: 2_000, phases: [{ name, ops: 1_000, ms: 2_000 }] }));
    const t = workloadThroughput(groups);
    expect(t.opsPerSec).toBe(500);
    expect(t.runningMs).toBe(6_000);
    expect(t.phases).toEqual([
      { name: 'insert-all', ops: 1_000, ms: 2_000, opsPerSec: 500 },
      { name: 'update-all', ops: 1_000, ms: 2_000, opsPerSec: 500 },
      { name: 'delete-all', ops: 1_000, ms: 2_000, opsPerSec: 500 },
    ]);
  });

  it('counts a group of concurrent phases once, over its wall time, and rates each phase over its own time', () => {
    const t = workloadThroughput([{ ms: 4_000, phases: [{ name: 'increments', ops: 4_000, ms: 4_000 }, { name: 'plus-one', ops: 1, ms: 5 }] }]);
    expect(t.runningMs).toBe(4_000);
    expect(t.opsPerSec).toBeCloseTo(1_000.25, 6);
    expect(t.phases!.map((p) => [p.name, p.opsPerSec])).toEqual([
      ['increments', 1_000],
      ['plus-one', 200],
    ]);
  });

  it('is 0, not a division by zero, when nothing ran', () => {
    expect(workloadThroughput([])).toEqual({ opsPerSec: 0, runningMs: 0, phases: [] });
    expect(workloadThroughput([{ ms: 0, phases: [{ name: 'p', ops: 0, ms: 0 }] }]).phases![0]!.opsPerSec).toBe(0);
  });
});
