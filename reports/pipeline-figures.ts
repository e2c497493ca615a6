// converge report: the pipeline suite's figures as text — a figure by its unit (a rate in digits
// with its unit, a ratio as 0.91×, a time in ms or s), a goal with its mark, how many repetitions
// measured a target, the busiest service, and the goals met across the suite. Generic over the
// figure names: whatever a target reports is shown.
import type { PipelineGoal, PipelineMeasurement, PipelineResult, PipelineSummary } from '../harness/results/pipeline-schema.ts';
import { formatBytes, formatMs, formatNumber } from './format.ts';

type PipelineFigure = PipelineMeasurement['figures'][string];

/** The figures a target is read against: `raw`, or a name that begins so (`rawInsert`, `raw_bulk`). */
export function isRawFigure(name: string): boolean {
  return /^raw([A-Z_]|$)/.test(name);
}

/** A figure at a readable scale for its unit: 18,400 changes/s, 0.91×, 420 ms, 4.2 s, 12.5 %. */
export function formatPipelineFigure(figure: PipelineFigure): string {
  const { value, unit } = figure;
  if (!Number.isFinite(value)) return `${String(value)} ${unit}`;
  if (unit === 'ms') return formatMs(value);
  if (unit === 's') return formatMs(value * 1000);
  if (unit === '×' || unit === 'x') return `${value.toFixed(2)}×`;
  if (unit === '%') return `${formatNumber(value, 1)} %`;
  if (unit === 'bytes' || unit === 'B') return formatBytes(value);
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 1 ? 1 : 3;
  if (unit.startsWith('/') || unit.endsWith('/s')) return `${formatNumber(value, digits)} ${unit}`;
  return unit === '' ? formatNumber(value, digits) : `${formatNumber(value, digits)} ${unit}`;
}

export type GoalMark = 'met' | 'not-met' | 'unknown';

export function goalMark(goal: PipelineGoal): GoalMark {
  return goal.met === null ? 'unknown' : goal.met ? 'met' : 'not-met';
}

/** ✓ met, ✗ not met, ? unknown (the figure was missing). */
export function goalSymbol(mark: GoalMark): string {
  return mark === 'met' ? '✓' : mark === 'not-met' ? '✗' : '?';
}

/** What the goal was judged on: `ratio >= 0.85 on the median 0.91×`, or that the figure is missing. */
export function goalJudgement(goal: PipelineGoal, figures: Record<string, PipelineFigure>): string {
  const figure = figures[goal.figure];
  const rule = `${goal.figure} ${goal.op} ${goal.threshold}`;
  if (figure === undefined) return `${rule}: not judged, the figure was not measured`;
  return `${rule}, judged on the median ${formatPipelineFigure(figure)}: ${goal.met === null ? 'unknown' : goal.met ? 'met' : 'not met'}`;
}

/** CPU in cores: 1.1 cores, 0.35 cores (two decimals below one core, so a light service is not 0). */
export function formatCores(cores: number): string {
  const text = formatNumber(cores, Math.abs(cores) >= 1 ? 1 : 2);
  return `${text} ${text === '1' ? 'core' : 'cores'}`;
}

/** Memory in MiB, as the usage tables show it: 312 MiB, 4.5 MiB. */
export function formatMiB(bytes: number): string {
  const mib = bytes / 2 ** 20;
  return `${formatNumber(mib, Math.abs(mib) >= 10 ? 0 : 1)} MiB`;
}

/** `3 of 3 runs`; failures and repetitions that never measured it said plainly. */
export function repetitionsText(summary: Pick<PipelineSummary, 'measured' | 'failed'>, repeat: number): string {
  const missing = repeat - summary.measured - summary.failed;
  return [
    `${summary.measured} of ${repeat} ${repeat === 1 ? 'run' : 'runs'}`,
    summary.failed > 0 ? `, ${summary.failed} failed` : '',
    missing > 0 ? `, ${missing} did not run` : '',
  ].join('');
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * The busiest service of the measured repetitions: `connect 1.1 cores` (the median of its CPU in
 * the repetitions it was busiest), or each service that was, most often first, with in how many.
 */
export function busiestText(busiest: PipelineSummary['busiest']): string | null {
  if (busiest.length === 0) return null;
  const byService = new Map<string, number[]>();
  for (const entry of busiest) byService.set(entry.service, [...(byService.get(entry.service) ?? []), entry.cpuCores]);
  const ranked = [...byService].sort((a, b) => b[1].length - a[1].length);
  if (ranked.length === 1) return `${ranked[0]![0]} ${formatCores(median(ranked[0]![1]))}`;
  return ranked.map(([service, cores]) => `${service} ${formatCores(median(cores))} (${cores.length} of ${busiest.length} runs)`).join(', ');
}

/** The figure a repetition is summed up by: the first goal's, else the first that is not a raw rate. */
export function mainFigureName(target: Pick<PipelineMeasurement, 'figures' | 'goals'>): string | undefined {
  const goalFigure = target.goals.find((goal) => goal.figure in target.figures)?.figure;
  return goalFigure ?? Object.keys(target.figures).find((name) => !isRawFigure(name)) ?? Object.keys(target.figures)[0];
}

/** Each repetition's measurement of a target, in order, with its 1-based repetition number. */
export function measurementsOf(pipeline: PipelineResult, target: string): { repetition: number; measurement: PipelineMeasurement }[] {
  return pipeline.runs.flatMap((run, i) => run.filter((m) => m.target === target).map((measurement) => ({ repetition: i + 1, measurement })));
}

/** The suite's headline: `pipeline suite: 4 of 6 goals met on the medians`, with unknown goals and failed measurements. */
export function pipelineStatus(pipeline: PipelineResult): string {
  const goals = pipeline.summary.flatMap((s) => s.goals);
  const met = goals.filter((goal) => goal.met === true).length;
  const unknown = goals.filter((goal) => goal.met === null).length;
  const failed = pipeline.runs.flat().filter((m) => m.state === 'failed').length;
  return [
    `pipeline suite: ${met} of ${goals.length} goals met on the medians`,
    unknown > 0 ? `, ${unknown} unknown` : '',
    ` (${pipeline.summary.length} targets × ${pipeline.repeat} ${pipeline.repeat === 1 ? 'repetition' : 'repetitions'}`,
    failed > 0 ? `, ${failed} failed ${failed === 1 ? 'measurement' : 'measurements'})` : ')',
  ].join('');
}

/** Each failed measurement in one line, for the page's problems. */
export function pipelineProblems(pipeline: PipelineResult): string[] {
  return pipeline.runs.flatMap((run, i) =>
    run.filter((m) => m.state === 'failed').map((m) => `pipeline target ${m.target} failed in repetition ${i + 1} of ${pipeline.repeat}: ${m.error ?? 'no error recorded'}`),
  );
}
