// The cost of one write through each strategy, measured with tinybench (warm-up, then timed
// iterations) on a row of its own, after the checks: the same path as the workload's writes,
// worker IPC included, without contention.
import { Bench } from 'tinybench';
import type { PerOpCost } from '../results/schema.ts';
import type { Entity } from '../scenario/schema.ts';
import type { StrategyWorker } from '../worker/strategy-worker.ts';
import { generateValues } from '../workload/values.ts';
import { Rng } from '../workload/rng.ts';

/** The row the measurement writes: far above any id a scenario generates. */
export const PER_OP_COST_ID = 9_000_000_000_000;

export interface PerOpCostOptions {
  /** Timed budget in ms (default 1500). */
  timeMs?: number;
  /** Warm-up budget in ms (default 300). */
  warmupMs?: number;
}

export async function measurePerOpCost(worker: StrategyWorker, entity: Entity, options: PerOpCostOptions = {}): Promise<PerOpCost> {
  const columns = Object.keys(entity.columns);
  if (columns.length === 0) return { state: 'skipped', reason: 'the entity has no columns to update' };
  const rng = new Rng(1, 'per-op-cost');
  await worker.write({ index: 0, phase: 'per-op-cost', kind: 'insert', id: PER_OP_COST_ID, values: generateValues(entity.columns, columns, rng) });
  let index = 1;
  const bench = new Bench({ time: options.timeMs ?? 1500, warmupTime: options.warmupMs ?? 300, throws: true });
  const task = 'update one row';
  bench.add(task, async () => {
    await worker.write({ index: index++, phase: 'per-op-cost', kind: 'update', id: PER_OP_COST_ID, values: generateValues(entity.columns, columns, rng) });
  });
  await bench.run();
  const result = bench.tasks[0]?.result;
  if (!result || (result.state !== 'completed' && result.state !== 'aborted-with-statistics')) {
    return { state: 'unknown', error: `tinybench ended in state ${result?.state ?? 'none'}` };
  }
  return {
    state: 'measured',
    task,
    iterations: result.latency.samplesCount,
    opsPerSec: result.throughput.mean,
    meanMs: result.latency.mean,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    rmePercent: result.latency.rme,
  };
}
