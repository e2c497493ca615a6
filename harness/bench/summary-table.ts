// The console summary of a run: one line per strategy × scenario with its verdict as it stands
// against what the scenario expects (`FAIL (expected)`, `PASS (may fail)`: standing.ts) and its
// headline figures, then a note per expected failure and per pass where the strategy may fail (the
// bench lists the unexpected ones itself, with its exit code), then per pair its throughput per
// phase and its lag samples (`>X`: a lower bound). Presentation only; it reads the results,
// measures nothing.
import type { Percentiles, PercentileKey, ScenarioResult } from '../results/schema.ts';
import { standing, type Standing } from '../results/standing.ts';

const fmt = (value: number | null | undefined, digits = 1) => (value === null || value === undefined ? '-' : value.toFixed(digits));

const VERDICT_CELL: Record<Standing['kind'], string> = {
  pass: 'PASS',
  'pass-may-fail': 'PASS (may fail)',
  'expected-fail': 'FAIL (expected)',
  'unexpected-fail': 'FAIL',
  skipped: 'SKIPPED',
};

function note(result: ScenarioResult, s: Standing): string | null {
  const pair = `${result.strategy} × ${result.scenario}`;
  if (s.kind === 'pass-may-fail') return `${pair}: ${s.note}`;
  if (s.kind === 'expected-fail') return `${pair}: failed as expected: ${s.reason}`;
  return null;
}

/** A measured percentile, `>X` where only a lower bound is known (it falls among censored samples). */
const pct = (p: Percentiles & { state: 'measured' }, key: PercentileKey) => `${p.lowerBound?.includes(key) ? '>' : ''}${fmt(p[key])}`;

/** One fault as it went: "search-pause on search at mixed 30%: 12.3–17.4 s, healed in 120 ms; writes 40/0/3 ok/failed/unknown". */
function faultSummary(fault: ScenarioResult['faults'][number]): string {
  if (fault.state === 'not-injected') return `${fault.description}: NOT INJECTED (${fault.reason ?? 'no reason'})`;
  const window = `${fmt((fault.startMs ?? 0) / 1000)}–${fmt((fault.endMs ?? 0) / 1000)} s`;
  const heal = fault.heal ? `, healed in ${fault.heal.ms} ms` : '';
  const writes = fault.writes ? `; writes ${fault.writes.ok}/${fault.writes.failed}/${fault.writes.unknown} ok/failed/unknown` : '';
  const errors = fault.errors.length > 0 ? `; ERRORS: ${fault.errors.join('; ')}` : '';
  const catchUp = fault.catchUpMs === undefined ? '' : `; index current again ${fault.catchUpMs === null ? 'never while writes ran' : `${fault.catchUpMs} ms after the heal`}`;
  return `${fault.description}: ${fault.state === 'inject-failed' ? 'INJECT FAILED ' : ''}${window}${heal}${writes}${catchUp}${errors}`;
}

/** Per pair: throughput per phase over each phase's own running time, and what became of the lag samples. */
function detailLines(r: ScenarioResult): string[] {
  const t = r.throughput;
  const phases = (t.phases ?? []).map((p) => `${p.name} ${fmt(p.opsPerSec, 0)}`);
  const running = t.runningMs === undefined ? '' : ` over ${fmt(t.runningMs / 1000, 2)} s running`;
  const lines = [`  throughput ops/s: ${[...phases, `total ${fmt(t.opsPerSec, 0)}${running}`].join(', ')}`];
  const lag = r.lagMs;
  const figures = lag.state === 'measured' ? `p50 ${pct(lag, 'p50')}, p95 ${pct(lag, 'p95')}, p99 ${pct(lag, 'p99')}, max ${pct(lag, 'max')} ms over ${lag.samples} samples (${lag.censored ?? 0} censored)` : `none (${lag.reason})`;
  const s = r.lagSampling;
  const untimed = s ? `; not timed: ${s.superseded} superseded, ${s.unconfirmed} unconfirmed deletes` : '';
  lines.push(`  lag: ${figures}${untimed}`);
  for (const fault of r.faults) lines.push(`  fault: ${faultSummary(fault)}`);
  if (r.convergence.state === 'checked' && r.convergence.afterHealMs !== undefined) {
    lines.push(`  once the faults had healed and the writes stopped: ${r.convergence.afterHealMs === null ? 'did not converge' : `converged in ${r.convergence.afterHealMs} ms`}`);
  }
  if (r.skipped) lines.push(`  skipped: ${r.skipped.reason}`);
  return [`${r.strategy}/${r.scenario}`, ...lines];
}

export function summaryTable(results: ScenarioResult[]): string {
  const header = ['strategy', 'scenario', 'verdict', 'ops ok/fail/unk', 'ops/s', 'lat p50/p99 ms', 'lag p50/p99 ms', 'converged', 'miss/extra/mism', 'conv ms'];
  const standings = results.map((r) => standing(r));
  const rows = results.map((r, i) => {
    const conv = r.convergence.state === 'checked' ? r.convergence : undefined;
    const notJudged = r.lines.filter((line) => line.outcome === 'not-judged').length;
    return [
      r.strategy,
      r.scenario,
      `${VERDICT_CELL[standings[i]!.kind]}${notJudged > 0 ? ` (${notJudged} not judged)` : ''}`,
      `${r.ops.ok}/${r.ops.failed}/${r.ops.unknown}`,
      fmt(r.throughput.opsPerSec, 0),
      r.latencyMs.state === 'measured' ? `${fmt(r.latencyMs.p50)}/${fmt(r.latencyMs.p99)}` : '-',
      r.lagMs.state === 'measured' ? `${pct(r.lagMs, 'p50')}/${pct(r.lagMs, 'p99')}` : '-',
      conv ? (conv.converged ? 'yes' : 'NO') : 'unknown',
      conv ? `${conv.missing}/${conv.extra}/${conv.mismatched}` : '-',
      conv ? fmt(conv.timeMs, 0) : '-',
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ');
  const notes = results.map((r, i) => note(r, standings[i]!)).filter((n): n is string => n !== null);
  const table = [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
  return [...table, ...(notes.length > 0 ? ['', ...notes] : []), '', ...results.flatMap(detailLines)].join('\n');
}
