// converge: how a scenario's phases are scheduled. A phase without `beside` opens a group; the
// phases after it that name a member of the group with `beside` join it and start when that member
// is `startAt` done. Groups run one after another, in file order; a group ends when all its phases
// end, and a checkpoint on any member means "quiesce and check convergence after this group".
import type { Phase, Scenario } from './schema.ts';

/** One phase in its group: `anchor` is the index (in the scenario) of the phase it runs beside. */
export interface ScheduledPhase {
  readonly index: number;
  readonly phase: Phase;
  readonly anchor: number | null;
  /** Fraction (0..1) of the anchor's ops, or of its duration, after which this phase starts. */
  readonly startAt: number;
}

export interface PhaseGroup {
  readonly phases: readonly ScheduledPhase[];
  readonly checkpoint: boolean;
}

/** The groups of a (validated) scenario, in the order they run. */
export function phaseGroups(scenario: Scenario): PhaseGroup[] {
  const groups: { phases: ScheduledPhase[]; checkpoint: boolean }[] = [];
  const indexOf = new Map<string, number>();
  scenario.phases.forEach((phase, index) => {
    indexOf.set(phase.name, index);
    const anchor = phase.beside === undefined ? null : (indexOf.get(phase.beside) ?? null);
    const scheduled: ScheduledPhase = { index, phase, anchor, startAt: phase.startAt ?? 0 };
    const open = groups.at(-1);
    if (anchor === null || open === undefined) groups.push({ phases: [scheduled], checkpoint: phase.checkpoint });
    else {
      open.phases.push(scheduled);
      open.checkpoint ||= phase.checkpoint;
    }
  });
  return groups;
}
