// Throughput of a workload over its own running time. Groups of phases run one after another and
// the phases of a group side by side, so the workload ran for the sum of the groups' wall times;
// what happens between groups (a checkpoint's quiesce and convergence wait) and before them (the
// warm-up) is the strategy's catching up, not its throughput, and is left out. Each phase's rate
// is over its own running time.
import type { Throughput } from '../results/schema.ts';

/** One phase group as it ran: its own wall time and each phase's operations and running time (ms). */
export interface GroupRun {
  ms: number;
  phases: readonly { name: string; ops: number; ms: number }[];
}

const rate = (ops: number, ms: number) => (ms > 0 ? (ops * 1000) / ms : 0);

export function workloadThroughput(groups: readonly GroupRun[]): Throughput {
  const runningMs = groups.reduce((sum, group) => sum + group.ms, 0);
  const phases = groups.flatMap((group) => group.phases.map((phase) => ({ ...phase, opsPerSec: rate(phase.ops, phase.ms) })));
  const ops = phases.reduce((sum, phase) => sum + phase.ops, 0);
  return { opsPerSec: rate(ops, runningMs), runningMs, phases };
}
