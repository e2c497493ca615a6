// The console summary of a run: one line per strategy × scenario with its verdict and headline
// figures. Presentation only; it reads the results, measures nothing.
import type { ScenarioResult } from '../results/schema.ts';

const fmt = (value: number | null | undefined, digits = 1) => (value === null || value === undefined ? '-' : value.toFixed(digits));

export function summaryTable(results: ScenarioResult[]): string {
  const header = ['strategy', 'scenario', 'verdict', 'ops ok/fail/unk', 'ops/s', 'lat p50/p99 ms', 'lag p50/p99 ms', 'converged', 'miss/extra/mism', 'conv ms'];
  const rows = results.map((r) => {
    const conv = r.convergence.state === 'checked' ? r.convergence : undefined;
    const notJudged = r.lines.filter((line) => line.outcome === 'not-judged').length;
    return [
      r.strategy,
      r.scenario,
      `${r.verdict.toUpperCase()}${notJudged > 0 ? ` (${notJudged} not judged)` : ''}`,
      `${r.ops.ok}/${r.ops.failed}/${r.ops.unknown}`,
      fmt(r.throughput.opsPerSec, 0),
      r.latencyMs.state === 'measured' ? `${fmt(r.latencyMs.p50)}/${fmt(r.latencyMs.p99)}` : '-',
      r.lagMs.state === 'measured' ? `${fmt(r.lagMs.p50)}/${fmt(r.lagMs.p99)}` : '-',
      conv ? (conv.converged ? 'yes' : 'NO') : 'unknown',
      conv ? `${conv.missing}/${conv.extra}/${conv.mismatched}` : '-',
      conv ? fmt(conv.timeMs, 0) : '-',
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
