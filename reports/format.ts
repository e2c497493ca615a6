// converge report: every figure of results.json as the text a table cell shows. A figure that was
// not measured (`none`), not applicable (`skipped`), or whose check crashed (`unknown`) says so in
// words — never as 0 — and carries its reason for the cell's tooltip.
import type { AnomaliesResult, ConvergenceResult, Percentiles, PerOpCost } from '../harness/results/schema.ts';

export type FigureState = 'value' | 'good' | 'bad' | 'none' | 'skipped' | 'unknown';

export interface Figure {
  text: string;
  state: FigureState;
  /** Why a figure is missing or what it means in full (the cell's title). */
  note?: string;
  /** Free text (an identifier, a task), which may wrap in a narrow column; a number never does. */
  prose?: true;
}

/** The longest text a table cell shows, in characters; longer text is cut, whole in the tooltip. */
export const CELL_TEXT_LIMIT = 32;

/** Free text for a cell: cut at CELL_TEXT_LIMIT with an ellipsis, the whole of it in the note. */
export function textFigure(text: string): Figure {
  const chars = Array.from(text);
  if (chars.length <= CELL_TEXT_LIMIT) return { text, state: 'value', prose: true };
  return { text: `${chars.slice(0, CELL_TEXT_LIMIT - 1).join('')}…`, state: 'value', note: text, prose: true };
}

const value = (text: string, note?: string): Figure => (note === undefined ? { text, state: 'value' } : { text, state: 'value', note });
const unknown = (error: string): Figure => ({ text: 'unknown', state: 'unknown', note: `the check crashed: ${error}` });

/** A count or rate in en-US digits: 12,345 or 1,234.5 (at most `digits` decimals). */
export function formatNumber(n: number, digits = 1): string {
  if (!Number.isFinite(n)) return String(n);
  return n.toLocaleString('en-US', { maximumFractionDigits: digits });
}

/** Milliseconds at a readable scale: 0.097 ms, 12.3 ms, 4.56 s, 2 min 5 s. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  const abs = Math.abs(ms);
  if (abs < 1) return `${ms.toPrecision(2).replace(/\.?0+$/, '')} ms`;
  if (abs < 100) return `${ms.toFixed(1).replace(/\.0$/, '')} ms`;
  if (abs < 1000) return `${Math.round(ms)} ms`;
  if (abs < 60_000) return `${(ms / 1000).toFixed(2).replace(/\.?0+$/, '')} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms - minutes * 60_000) / 1000)} s`;
}

/** Bytes in binary units: 512 B, 1.5 KiB, 7.8 GiB. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let scaled = bytes;
  let unit = 0;
  while (Math.abs(scaled) >= 1024 && unit < units.length - 1) {
    scaled /= 1024;
    unit++;
  }
  return `${unit === 0 ? scaled : scaled.toFixed(1).replace(/\.0$/, '')} ${units[unit]}`;
}

/** One percentile (or the max) of a latency or lag distribution; `> X` where only a lower bound is known. */
export function percentileFigure(p: Percentiles, key: 'p50' | 'p95' | 'p99' | 'max'): Figure {
  if (p.state === 'none') return { text: 'none', state: 'none', note: p.reason };
  if (p.lowerBound?.includes(key)) {
    const censored = `${formatNumber(p.censored ?? 0, 0)} of ${formatNumber(p.samples, 0)} samples were not seen while watched (censored)`;
    return value(`> ${formatMs(p[key])}`, `${key} is at least ${p[key]} ms: ${censored}, and it falls among them`);
  }
  return value(formatMs(p[key]), `${key} of ${formatNumber(p.samples, 0)} samples: ${p[key]} ms`);
}

/** How many samples a distribution holds, and how many of them are censored: `none` when nothing was sampled. */
export function samplesFigure(p: Percentiles): Figure {
  if (p.state === 'none') return { text: 'none', state: 'none', note: p.reason };
  if (!p.censored) return value(formatNumber(p.samples, 0));
  return value(`${formatNumber(p.samples, 0)} (${formatNumber(p.censored, 0)} censored)`, 'censored: not seen while watched; each counts as at least the time it was watched');
}

export function convergedFigure(c: ConvergenceResult): Figure {
  if (c.state === 'unknown') return unknown(c.error);
  return c.converged ? { text: 'yes', state: 'good' } : { text: 'no', state: 'bad' };
}

export function convergenceTimeFigure(c: ConvergenceResult): Figure {
  if (c.state === 'unknown') return unknown(c.error);
  if (c.timeMs === null) return { text: 'never', state: 'bad', note: 'the stores never agreed before the convergence timeout' };
  return value(formatMs(c.timeMs), 'from the last acknowledged write until the stores were equal');
}

/** Missing, extra or mismatched rows of the final comparison, with sample ids in the note. */
export function differenceFigure(c: ConvergenceResult, key: 'missing' | 'extra' | 'mismatched'): Figure {
  if (c.state === 'unknown') return unknown(c.error);
  const n = c[key];
  const ids = [...c.sampleIds[key], ...(key === 'extra' ? c.sampleIds.extraNonNumeric.map((id) => JSON.stringify(id)) : [])];
  const note = ids.length > 0 ? `sample ids: ${ids.join(', ')}` : undefined;
  return { text: formatNumber(n, 0), state: n === 0 ? 'good' : 'bad', ...(note ? { note } : {}) };
}

export type AnomalyCount = 'dirtyReads' | 'versionRegressions' | 'resurrections' | 'staleReads' | 'unverifiableReads' | 'unjudgedKeys' | 'failedReads' | 'unjudgedReads';

/**
 * Dirty reads, regressions and resurrections are defects; the other counts are informative. An
 * anomaly kind that judged nothing (no read it applies to) is `not judged`, never a good 0.
 */
export function anomalyFigure(a: AnomaliesResult, key: AnomalyCount): Figure {
  if (a.state === 'unknown') return unknown(a.error);
  const n = a[key];
  if (key === 'dirtyReads' || key === 'versionRegressions' || key === 'resurrections' || key === 'staleReads') {
    const finalKeys = key === 'resurrections' ? a.finalKeysJudged : 0;
    const over = `over ${formatNumber(a.judged[key], 0)} judged reads${finalKeys > 0 ? ` and ${formatNumber(finalKeys, 0)} deleted keys in the final index` : ''}`;
    if (n === 0 && a.judged[key] === 0 && finalKeys === 0) return { text: 'not judged', state: 'none', note: `no read could be judged for it (${over})` };
    return { text: formatNumber(n, 0), state: key === 'staleReads' ? 'value' : n === 0 ? 'good' : 'bad', note: over };
  }
  return { text: formatNumber(n, 0), state: 'value' };
}

/** Reads and final documents that showed a rolled-back XA branch's row; `not run` without xaRollback ops. */
export function phantomFigure(a: AnomaliesResult): Figure {
  if (a.state === 'unknown') return unknown(a.error);
  const p = a.phantoms;
  if (p === undefined) return { text: 'not run', state: 'none', note: 'the workload had no xaRollback ops' };
  if (p.rolledBackRows === 0) return { text: 'not judged', state: 'none', note: `no branch wrote a row (${p.branches} xaRollback ops)` };
  const n = p.reads + p.finalDocs;
  const where = `${p.reads} reads${p.finalIndexRead ? ` and ${p.finalDocs} documents of the final index` : ' (the final index was not read)'}`;
  const ids = p.samples.length > 0 ? `; ids ${[...new Set(p.samples.map((sample) => sample.id))].join(', ')}` : '';
  return { text: formatNumber(n, 0), state: n === 0 ? 'good' : 'bad', note: `${where} showed one of ${p.rolledBackRows} rolled-back rows${ids}` };
}

export function stalenessFigure(a: AnomaliesResult): Figure {
  if (a.state === 'unknown') return unknown(a.error);
  return percentileFigure(a.staleness.ms, 'p99');
}

export function perOpCostFigure(cost: PerOpCost, key: 'meanMs' | 'p99Ms' | 'opsPerSec'): Figure {
  if (cost.state === 'unknown') return unknown(cost.error);
  if (cost.state === 'skipped') return { text: 'skipped', state: 'skipped', note: cost.reason };
  const note = `${cost.task}: ${formatNumber(cost.iterations, 0)} iterations, ±${cost.rmePercent.toFixed(1)} %`;
  return value(key === 'opsPerSec' ? `${formatNumber(cost[key], 0)} /s` : formatMs(cost[key]), note);
}

/** A strategy's own figure; a strategy that does not report it says so. A long string is cut (configs belong in the run context). */
export function statFigure(stat: number | string | boolean | undefined): Figure {
  if (stat === undefined) return { text: 'not reported', state: 'none' };
  if (typeof stat === 'number') return value(formatNumber(stat, 2));
  if (typeof stat === 'boolean') return value(stat ? 'yes' : 'no');
  return textFigure(stat);
}
