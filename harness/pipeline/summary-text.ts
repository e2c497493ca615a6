// The pipeline suite's summary as the bench prints it: per target, its median figures, the raw rate
// and ratio, each goal met or not, and the busiest service (with the CPU it used, in cores).
import type { PipelineResult } from '../results/pipeline-schema.ts';

export function formatFigure(value: number, unit: string): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (unit === '×') return `${value.toFixed(2)}×`;
  if (unit === 'ms') return value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${value.toFixed(0)} ms`;
  return `${value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(1)} ${unit}`;
}

export function pipelineSummaryText(pipeline: PipelineResult): string {
  const lines = [`pipeline targets: medians of ${pipeline.repeat} repetition${pipeline.repeat === 1 ? '' : 's'} (goals judged on the medians)`];
  for (const s of pipeline.summary) {
    lines.push('', `  ${s.title}${s.failed > 0 ? ` — ${s.failed} of ${s.measured + s.failed} repetitions FAILED` : ''}`);
    if (s.measured === 0) continue;
    lines.push(`    ${Object.entries(s.figures).map(([name, f]) => `${name} ${formatFigure(f.value, f.unit)}`).join(', ')}`);
    for (const goal of s.goals) lines.push(`    goal: ${goal.text}: ${goal.met === null ? 'unknown' : goal.met ? 'met' : 'NOT MET'}`);
    const busiest = s.busiest.map((b) => `${b.service} ${b.cpuCores.toFixed(2)}`).join(', ');
    if (busiest) lines.push(`    busiest service (cores) per repetition: ${busiest}`);
    if (s.usage.length > 0) lines.push(`    CPU (cores) / peak RSS: ${s.usage.map((u) => `${u.service} ${u.cpuCores.toFixed(2)}/${Math.round(u.rssMaxBytes / 2 ** 20)} MiB`).join(', ')}`);
  }
  return lines.join('\n');
}
