// One pipeline target measured once: its figures, goals judged on them, what ran, and the CPU and
// memory each service used during the measurement. A measurement that throws is recorded as
// failed with its error: it meets no goal, and the others go on.
import type { PipelineGoal, PipelineMeasurement, PipelineTarget, Usage } from '../results/pipeline-schema.ts';

export type Figures = PipelineMeasurement['figures'];
export type GoalSpec = Omit<PipelineGoal, 'met'>;

/** What a measurement's body returns. */
export interface MeasuredTarget {
  figures: Figures;
  goals: GoalSpec[];
  config: PipelineMeasurement['config'];
  converged: boolean | null;
  usage: Usage;
}

/** A goal judged on figures: met when the figure is present and on the right side of the threshold. */
export function judgeGoal(goal: GoalSpec, figures: Figures): PipelineGoal {
  const figure = figures[goal.figure];
  if (figure === undefined || !Number.isFinite(figure.value)) return { ...goal, met: null };
  return { ...goal, met: goal.op === '>=' ? figure.value >= goal.threshold : figure.value <= goal.threshold };
}

export async function measureTarget(target: PipelineTarget, title: string, body: () => Promise<MeasuredTarget>): Promise<PipelineMeasurement> {
  const started = Date.now();
  try {
    const measured = await body();
    return {
      target,
      title,
      state: 'measured',
      error: null,
      figures: measured.figures,
      goals: measured.goals.map((goal) => judgeGoal(goal, measured.figures)),
      config: measured.config,
      converged: measured.converged,
      usage: measured.usage,
      durationMs: Date.now() - started,
    };
  } catch (error) {
    return {
      target,
      title,
      state: 'failed',
      error: error instanceof Error ? error.message : String(error),
      figures: {},
      goals: [],
      config: {},
      converged: null,
      usage: { state: 'unavailable', reason: 'the measurement failed' },
      durationMs: Date.now() - started,
    };
  }
}

/** A rate over a span of milliseconds (0 when the span is empty). */
export function perSecond(count: number, ms: number): number {
  return ms > 0 ? (count * 1000) / ms : 0;
}
