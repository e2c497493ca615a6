// The pipeline suite's summary across repetitions: per target, each figure's median over the
// repetitions that measured it, every goal judged on the median, the busiest service of each
// repetition, and each service's median CPU and peak memory. Failed repetitions are counted, never
// averaged in.
import type { PipelineMeasurement, PipelineSummary } from '../results/pipeline-schema.ts';
import { judgeGoal, type Figures } from './measurement.ts';

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function summarize(runs: readonly (readonly PipelineMeasurement[])[]): PipelineSummary[] {
  const byTarget = new Map<PipelineMeasurement['target'], PipelineMeasurement[]>();
  for (const run of runs) for (const m of run) byTarget.set(m.target, [...(byTarget.get(m.target) ?? []), m]);
  return [...byTarget.entries()].map(([target, all]) => {
    const measured = all.filter((m) => m.state === 'measured');
    const figures: Figures = {};
    for (const name of new Set(measured.flatMap((m) => Object.keys(m.figures)))) {
      const values = measured.map((m) => m.figures[name]).filter((f) => f !== undefined);
      figures[name] = { value: median(values.map((f) => f.value)), unit: values[0]!.unit };
    }
    const goalSpecs = measured[0]?.goals ?? [];
    const usages = measured.flatMap((m) => (m.usage.state === 'measured' ? [m.usage] : []));
    const services = [...new Set(usages.flatMap((u) => u.services.map((s) => s.service)))];
    return {
      target,
      title: all[0]!.title,
      measured: measured.length,
      failed: all.length - measured.length,
      figures,
      goals: goalSpecs.map(({ met: _, ...spec }) => judgeGoal(spec, figures)),
      busiest: usages.map((u) => ({ service: u.busiest, cpuCores: u.services.find((s) => s.service === u.busiest)?.cpuCores ?? 0 })),
      usage: services.map((service) => {
        const rows = usages.flatMap((u) => u.services.filter((s) => s.service === service));
        return { service, cpuCores: median(rows.map((s) => s.cpuCores)), rssMaxBytes: median(rows.map((s) => s.rssMaxBytes)) };
      }),
    };
  });
}
