// converge report: what each chart of a scenario draws, with the strategies overlaid — the series
// thinned for drawing and aligned on one shared x axis (uPlot draws every series of a chart over the
// same x values), and the fault windows as bands. Pure: results in, chart specs out.
import type { ScenarioResult } from '../harness/results/schema.ts';
import { sharedCdf } from './distribution.ts';
import { minMaxDownsample, minMaxDownsampleGroup, type XY } from './downsample.ts';

/** Points kept per series for drawing; the tables keep the exact figures. */
export const MAX_POINTS = { timeline: 1200, lag: 2000, cdf: 200, divergence: 1000 } as const;

export const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf', '#8c564b', '#e377c2'] as const;

export interface ChartSeries {
  label: string;
  color: string;
  values: (number | null)[];
  /** Dashed (a second figure of the same strategy, e.g. p99 beside p50). */
  dashed?: boolean;
}

export interface ChartBand {
  /** Seconds on the chart's x axis; `to` null: the fault never ended. */
  from: number;
  to: number | null;
  label: string;
  color: string;
}

export interface ChartSpec {
  /** Unique on the page. */
  id: string;
  title: string;
  xLabel: string;
  /** The x value's name in the legend, short: `s`, `lag ms`. */
  xUnit: string;
  yLabel: string;
  /** How the series are drawn: lines, dots only, or steps (a value holds until the next). */
  style: 'line' | 'points' | 'step';
  x: number[];
  series: ChartSeries[];
  bands: ChartBand[];
  /** What the reader should know about the data drawn (e.g. it is a thinned sample). */
  note?: string;
}

/** A chart that has nothing to draw, and why; the page says so where the chart would be. */
export interface EmptyChart {
  id: string;
  title: string;
  empty: string;
}

export type Chart = ChartSpec | EmptyChart;

export const isEmptyChart = (chart: Chart): chart is EmptyChart => 'empty' in chart;

interface Line {
  label: string;
  color: string;
  points: XY;
  dashed?: boolean;
}

/**
 * Several series on the union of their x values (ascending); a series has null where it has no
 * point. Two points of one series at the same x keep the larger y.
 */
export function alignOnX(series: readonly XY[]): { x: number[]; ys: (number | null)[][] } {
  const x = [...new Set(series.flatMap((s) => s.x))].sort((a, b) => a - b);
  const index = new Map(x.map((value, i) => [value, i]));
  const ys = series.map((s) => {
    const y: (number | null)[] = x.map(() => null);
    s.x.forEach((at, i) => {
      const slot = index.get(at)!;
      const value = s.y[i] ?? null;
      if (value !== null && (y[slot] === null || value > y[slot]!)) y[slot] = value;
    });
    return y;
  });
  return { x, ys };
}

/** Stable strategy → colour over the whole page. */
export function strategyColors(strategies: readonly string[]): Map<string, string> {
  return new Map(strategies.map((name, i) => [name, PALETTE[i % PALETTE.length]!]));
}

function chart(id: string, title: string, axes: { x: string; xUnit: string; y: string }, style: ChartSpec['style'], lines: Line[], bands: ChartBand[], whenEmpty: string): Chart {
  const drawn = lines.filter((line) => line.points.y.some((y) => y !== null));
  if (drawn.length === 0) return { id, title, empty: whenEmpty };
  const { x, ys } = alignOnX(drawn.map((line) => line.points));
  return {
    id,
    title,
    xLabel: axes.x,
    xUnit: axes.xUnit,
    yLabel: axes.y,
    style,
    x,
    series: drawn.map((line, i) => ({ label: line.label, color: line.color, values: ys[i]!, ...(line.dashed ? { dashed: true } : {}) })),
    bands,
  };
}

/** A band per fault that struck (it has a start), labelled by its description, in its pair's colour. */
function faultBands(results: readonly ScenarioResult[], colors: Map<string, string>): ChartBand[] {
  return results.flatMap((result) =>
    result.faults.flatMap((fault) =>
      fault.startMs === null
        ? []
        : [{ from: fault.startMs / 1000, to: fault.endMs === null ? null : fault.endMs / 1000, label: fault.description, color: colors.get(result.strategy) ?? PALETTE[0] }],
    ),
  );
}

const NO_SERIES = 'no time series in results.json (written before series existed, or the pair did not run)';

/** The five charts of one scenario, `results` being that scenario's pairs (one per strategy). */
export function scenarioCharts(prefix: string, results: readonly ScenarioResult[], colors: Map<string, string>): Chart[] {
  const bands = faultBands(results, colors);
  const color = (result: ScenarioResult) => colors.get(result.strategy) ?? PALETTE[0];
  const withSeries = results.filter((result) => result.series !== undefined);
  type Timeline = NonNullable<ScenarioResult['series']>['timeline'];
  /** Several figures of one strategy's per-second timeline, thinned together (they share x). */
  const timeline = (result: ScenarioResult, picks: ((t: Timeline, i: number) => number | null)[]): XY[] => {
    const t = result.series!.timeline;
    const thinned = minMaxDownsampleGroup(t.second, picks.map((pick) => t.second.map((_, i) => pick(t, i))), MAX_POINTS.timeline);
    return thinned.ys.map((y) => ({ x: thinned.x, y }));
  };

  const throughput: Line[] = withSeries.flatMap((result) => {
    const t = result.series!.timeline;
    const troubled = t.failed.some((n) => n > 0) || t.unknown.some((n) => n > 0);
    const [ok, bad] = timeline(result, [(s, i) => s.ok[i] ?? null, ...(troubled ? [(s: Timeline, i: number) => (s.failed[i] ?? 0) + (s.unknown[i] ?? 0)] : [])]);
    const lines: Line[] = [{ label: `${result.strategy} ok`, color: color(result), points: ok! }];
    if (bad) lines.push({ label: `${result.strategy} failed + unknown`, color: color(result), dashed: true, points: bad });
    return lines;
  });
  const latency: Line[] = withSeries.flatMap((result) => {
    const [p50, p99] = timeline(result, [(s, i) => s.latencyP50Ms[i] ?? null, (s, i) => s.latencyP99Ms[i] ?? null]);
    return [
      { label: `${result.strategy} p50`, color: color(result), points: p50! },
      { label: `${result.strategy} p99`, color: color(result), dashed: true, points: p99! },
    ];
  });
  const lagPoints = (result: ScenarioResult) => [...result.series!.lag].sort((a, b) => a.atMs - b.atMs);
  const lag: Line[] = withSeries.map((result) => {
    const samples = lagPoints(result);
    return { label: result.strategy, color: color(result), points: minMaxDownsample({ x: samples.map((s) => s.atMs / 1000), y: samples.map((s) => s.lagMs) }, MAX_POINTS.lag) };
  });
  const divergence: Line[] = withSeries.map((result) => {
    const checks = [...result.series!.divergence].sort((a, b) => a.atMs - b.atMs);
    const points = { x: checks.map((c) => c.atMs / 1000), y: checks.map((c) => c.missing + c.extra + c.mismatched) };
    return { label: result.strategy, color: color(result), points: minMaxDownsample(points, MAX_POINTS.divergence) };
  });

  const cdfSets = withSeries.map((result) => result.series!.lag.map((s) => s.lagMs));
  const cdf = sharedCdf(cdfSets, MAX_POINTS.cdf);
  const cdfLines: Line[] = withSeries.map((result, i) => ({ label: result.strategy, color: color(result), points: { x: cdf.x, y: cdf.y[i]!.map((f) => (f === null ? null : f * 100)) } }));
  const time = 's since the workload began';

  const observedLag = (result: ScenarioResult) => (result.lagMs.state === 'measured' ? result.lagMs.samples - (result.lagMs.censored ?? 0) : 0);
  const thinnedLag = withSeries
    .filter((result) => result.series!.lag.length < observedLag(result))
    .map((result) => `${result.strategy}: ${result.series!.lag.length} of ${observedLag(result)}`);
  // Censored samples have no lag to draw (only a lower bound): the charts show the observed ones and say so.
  const censoredOf = (result: ScenarioResult) => (result.lagMs.state === 'measured' ? (result.lagMs.censored ?? 0) : 0);
  const censoredLag = withSeries.filter((result) => censoredOf(result) > 0).map((result) => `${result.strategy}: ${censoredOf(result)}`);
  const lagNotes = [
    thinnedLag.length ? `drawn from the lag samples kept in the series (${thinnedLag.join('; ')}); the table's percentiles use them all` : null,
    censoredLag.length ? `censored samples (not seen while watched) are not drawn (${censoredLag.join('; ')}); the table's percentiles count them` : null,
  ].filter((note) => note !== null);
  const lagNote = lagNotes.length ? lagNotes.join('. ') : undefined;
  const noted = (c: Chart): Chart => (lagNote && !isEmptyChart(c) ? { ...c, note: lagNote } : c);

  return [
    chart(`${prefix}-throughput`, 'Throughput over time', { x: time, xUnit: 's', y: 'operations / s' }, 'line', throughput, bands, NO_SERIES),
    chart(`${prefix}-latency`, 'Write latency over time (p50 solid, p99 dashed)', { x: time, xUnit: 's', y: 'ms' }, 'line', latency, bands, withSeries.length ? 'no operation completed' : NO_SERIES),
    noted(chart(`${prefix}-lag`, 'Replication lag of sampled writes', { x: 's since the workload began (acknowledgement)', xUnit: 's', y: 'lag, ms' }, 'points', lag, bands, withSeries.length ? 'no lag samples' : NO_SERIES)),
    noted(chart(`${prefix}-lag-cdf`, 'Replication lag distribution (CDF)', { x: 'lag, ms', xUnit: 'lag ms', y: '% ≤ lag' }, 'step', cdfLines, [], withSeries.length ? 'no lag samples' : NO_SERIES)),
    chart(`${prefix}-divergence`, 'Divergence while converging (missing + extra + mismatched)', { x: time, xUnit: 's', y: 'rows that differ' }, 'step', divergence, bands, withSeries.length ? 'no comparison while converging' : NO_SERIES),
  ];
}
