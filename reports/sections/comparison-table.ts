// converge report: one scenario's comparison table — a row per figure, a column per strategy —
// with the exact figures from results.json (percentiles as measured, never recomputed from the
// thinned chart series), then each strategy's verdict lines. A skipped pair (it did not run) shows
// its verdict and, in every other row, "—" with why.
import type { ScenarioResult } from '../../harness/results/schema.ts';
import { standing } from '../../harness/results/standing.ts';
import { afterHealFigure, catchUpFigure, faultsInjectedFigure, healFigure, unknownInFaultsFigure } from '../fault-figures.ts';
import * as f from '../format.ts';
import { html, type SafeHtml } from '../html.ts';
import { figureCell } from './figure-cell.ts';

type Row = [label: string, figure: (result: ScenarioResult) => f.Figure];
type Group = [title: string, rows: Row[]];

const count = (n: number): f.Figure => ({ text: f.formatNumber(n, 0), state: 'value' });

function checkpointRows(results: readonly ScenarioResult[]): Row[] {
  const names = [...new Set(results.flatMap((r) => r.series?.checkpoints.map((c) => c.after) ?? []))];
  return names.map((name) => [
    `converged after ${name}`,
    (result) => {
      const checkpoint = result.series?.checkpoints.find((c) => c.after === name);
      if (!checkpoint) return { text: 'not checked', state: 'none' };
      if (checkpoint.converged === null) return { text: 'unknown', state: 'unknown', note: 'the check crashed' };
      const note = `missing ${checkpoint.missing}, extra ${checkpoint.extra}, mismatched ${checkpoint.mismatched}`;
      return { text: checkpoint.converged ? 'yes' : 'no', state: checkpoint.converged ? 'good' : 'bad', note };
    },
  ]);
}

/** Throughput over the phases' own running time, in total and per phase (union of the phase names). */
function throughputRows(results: readonly ScenarioResult[]): Row[] {
  const names = [...new Set(results.flatMap((r) => r.throughput.phases?.map((p) => p.name) ?? []))];
  const total: Row = [
    'throughput',
    (r) => {
      const t = r.throughput;
      const note = t.runningMs === undefined ? undefined : `over ${f.formatMs(t.runningMs)} of the phases' own running time (checkpoint waits excluded)`;
      return { text: `${f.formatNumber(t.opsPerSec)} ops/s`, state: 'value', ...(note ? { note } : {}) };
    },
  ];
  return [
    total,
    ...names.map((name): Row => [
      `throughput: ${name}`,
      (r) => {
        const phase = r.throughput.phases?.find((p) => p.name === name);
        if (!phase) return { text: 'not run', state: 'none' };
        return { text: `${f.formatNumber(phase.opsPerSec)} ops/s`, state: 'value', note: `${f.formatNumber(phase.ops, 0)} operations in ${f.formatMs(phase.ms)}` };
      },
    ]),
  ];
}

/** Phantoms, where some strategy's workload had xaRollback ops (rolled-back XA rows the index showed). */
function phantomRows(results: readonly ScenarioResult[]): Row[] {
  const any = results.some((r) => r.anomalies.state === 'checked' && r.anomalies.phantoms !== undefined);
  return any ? [['phantoms (rolled-back XA rows shown)', (r) => f.phantomFigure(r.anomalies)]] : [];
}

/** Lag samples that could not be timed: superseded by a later delete, or deletes never seen present. */
function untimedLagFigure(r: ScenarioResult): f.Figure {
  const s = r.lagSampling;
  if (!s) return { text: 'not reported', state: 'none' };
  const n = s.superseded + s.unconfirmed;
  return { text: f.formatNumber(n, 0), state: 'value', note: `${s.superseded} superseded by a later delete before they were seen; ${s.unconfirmed} deletes whose document was never seen in the index; the writes at every ${s.every}th position of each phase were sampled` };
}

function verdictFigure(r: ScenarioResult): f.Figure {
  const s = standing(r);
  if (s.kind === 'skipped') return { text: 'skipped', state: 'skipped', note: `did not run: ${s.reason}` };
  return { text: r.verdict, state: r.verdict === 'pass' ? 'good' : 'bad' };
}

/** Per pair, when any has faults: how many struck, the heal times, convergence after the last heal, unknown outcomes in the windows. */
function faultRows(results: readonly ScenarioResult[]): Row[] {
  if (results.every((r) => r.faults.length === 0)) return [['faults', () => ({ text: 'none', state: 'none', note: 'the scenario has no faults' })]];
  return [
    ['faults injected', faultsInjectedFigure],
    ['heal', healFigure],
    ['index current again after heal', catchUpFigure],
    ['converged after heal', afterHealFigure],
    ['unknown outcomes in fault windows', unknownInFaultsFigure],
  ];
}

/** What every figure of a pair that did not run shows: a dash, with why in its tooltip. */
const notRun = (reason: string): f.Figure => ({ text: '—', state: 'skipped', note: `not run: ${reason}` });

/** A row's figure, or "—" for a skipped pair (its verdict row says skipped). */
function figureOf(row: Row, r: ScenarioResult): f.Figure {
  const s = standing(r);
  return s.kind === 'skipped' && row[1] !== verdictFigure ? notRun(s.reason) : row[1](r);
}

/** The rows of the table, grouped; the strategies' own stats are the union of the keys they report. */
export function comparisonGroups(results: readonly ScenarioResult[]): Group[] {
  const statKeys = [...new Set(results.flatMap((r) => Object.keys(r.stats)))];
  return [
    ['Verdict', [['verdict', verdictFigure]]],
    [
      'Operations',
      [
        ['attempted', (r) => count(r.ops.attempted)],
        ['ok', (r) => count(r.ops.ok)],
        ['failed', (r) => ({ text: f.formatNumber(r.ops.failed, 0), state: r.ops.failed > 0 ? 'bad' : 'value' })],
        ['unknown outcome', (r) => ({ text: f.formatNumber(r.ops.unknown, 0), state: r.ops.unknown > 0 ? 'bad' : 'value' })],
        ...throughputRows(results),
      ],
    ],
    [
      'Write latency',
      [
        ['p50', (r) => f.percentileFigure(r.latencyMs, 'p50')],
        ['p95', (r) => f.percentileFigure(r.latencyMs, 'p95')],
        ['p99', (r) => f.percentileFigure(r.latencyMs, 'p99')],
        ['max', (r) => f.percentileFigure(r.latencyMs, 'max')],
        ['samples', (r) => f.samplesFigure(r.latencyMs)],
      ],
    ],
    [
      'Replication lag (observed)',
      [
        ['p50', (r) => f.percentileFigure(r.lagMs, 'p50')],
        ['p99', (r) => f.percentileFigure(r.lagMs, 'p99')],
        ['max', (r) => f.percentileFigure(r.lagMs, 'max')],
        ['samples', (r) => f.samplesFigure(r.lagMs)],
        ['not timed', untimedLagFigure],
      ],
    ],
    [
      'Convergence',
      [
        ['converged', (r) => f.convergedFigure(r.convergence)],
        ['time to convergence', (r) => f.convergenceTimeFigure(r.convergence)],
        ['missing', (r) => f.differenceFigure(r.convergence, 'missing')],
        ['extra', (r) => f.differenceFigure(r.convergence, 'extra')],
        ['mismatched', (r) => f.differenceFigure(r.convergence, 'mismatched')],
        ...checkpointRows(results),
      ],
    ],
    [
      'Anomalies',
      [
        ['dirty reads', (r) => f.anomalyFigure(r.anomalies, 'dirtyReads')],
        ['version regressions', (r) => f.anomalyFigure(r.anomalies, 'versionRegressions')],
        ['resurrections', (r) => f.anomalyFigure(r.anomalies, 'resurrections')],
        ['stale reads', (r) => f.anomalyFigure(r.anomalies, 'staleReads')],
        ['staleness p99', (r) => f.stalenessFigure(r.anomalies)],
        ['unverifiable reads', (r) => f.anomalyFigure(r.anomalies, 'unverifiableReads')],
        ['failed reads', (r) => f.anomalyFigure(r.anomalies, 'failedReads')],
        ['keys not judged', (r) => f.anomalyFigure(r.anomalies, 'unjudgedKeys')],
        ...phantomRows(results),
      ],
    ],
    [
      'Per-op cost (tinybench)',
      [
        ['task', (r) => (r.perOpCost.state === 'measured' ? f.textFigure(r.perOpCost.task) : f.perOpCostFigure(r.perOpCost, 'meanMs'))],
        ['mean', (r) => f.perOpCostFigure(r.perOpCost, 'meanMs')],
        ['p99', (r) => f.perOpCostFigure(r.perOpCost, 'p99Ms')],
        ['rate', (r) => f.perOpCostFigure(r.perOpCost, 'opsPerSec')],
      ],
    ],
    ["Strategy's own figures", statKeys.map((key): Row => [key, (r) => f.statFigure(r.stats[key])])],
    ['Faults', faultRows(results)],
  ];
}

export function comparisonTable(results: readonly ScenarioResult[]): SafeHtml {
  const groups = comparisonGroups(results).filter(([, rows]) => rows.length > 0);
  return html`<table class="compare">
    <thead><tr><th></th>${results.map((r) => html`<th scope="col">${r.strategy}</th>`)}</tr></thead>
    ${groups.map(
      ([title, rows]) => html`<tbody>
        <tr class="group"><th colspan="${results.length + 1}">${title}</th></tr>
        ${rows.map((row) => html`<tr><th scope="row">${row[0]}</th>${results.map((r) => figureCell(figureOf(row, r)))}</tr>`)}
      </tbody>`,
    )}
  </table>`;
}

/** Each strategy's verdict lines, the failing ones first; a skipped pair says why it did not run. */
export function verdictLines(results: readonly ScenarioResult[]): SafeHtml {
  const order = { fail: 0, unknown: 1, 'not-judged': 2, pass: 3 } as const;
  return html`${results.map((r) => {
    const s = standing(r);
    if (s.kind === 'skipped') return html`<p class="skipped-pair"><b>${r.strategy}: skipped</b> — it did not run: ${s.reason}</p>`;
    const lines = [...r.lines].sort((a, b) => order[a.outcome] - order[b.outcome]);
    return html`<details class="lines" ${r.verdict === 'fail' ? html`open` : ''}>
      <summary>${r.strategy}: ${r.verdict} — ${lines.length} checks, seed ${r.seed}</summary>
      <ul>${lines.map((line) => html`<li class="${line.outcome}"><b>${line.outcome}</b> ${line.check}: ${line.reason}</li>`)}</ul>
    </details>`;
  })}`;
}
