// converge report: chart specs — strategies overlaid on one shared x axis, series thinned to their
// budget, fault windows as bands in seconds, and charts without data saying why.
import { describe, expect, it } from 'vitest';
import { alignOnX, isEmptyChart, MAX_POINTS, scenarioCharts, strategyColors, type ChartSpec } from './chart-data.ts';
import { faultFixture, resultFixture, seriesFixture } from './fixtures.ts';

const colors = strategyColors(['naive', 'cdc']);
const specs = (charts: ReturnType<typeof scenarioCharts>) => charts.filter((c): c is ChartSpec => !isEmptyChart(c));

describe('alignOnX', () => {
  it('puts series on the union of their x values, null where a series has no point', () => {
    expect(alignOnX([{ x: [0, 2], y: [1, 3] }, { x: [1, 2], y: [5, null] }])).toEqual({ x: [0, 1, 2], ys: [[1, null, 3], [null, 5, null]] });
  });

  it('keeps the larger y of two points of one series at the same x', () => {
    expect(alignOnX([{ x: [1, 1], y: [4, 9] }]).ys).toEqual([[9]]);
  });
});

describe('scenarioCharts', () => {
  const naive = resultFixture();
  const cdc = resultFixture({ strategy: 'cdc', series: seriesFixture(500, 100) });

  it('draws five charts, each with every strategy overlaid and every series as long as x', () => {
    const charts = scenarioCharts('c0', [naive, cdc], colors);
    expect(charts.map((c) => c.id)).toEqual(['c0-throughput', 'c0-latency', 'c0-lag', 'c0-lag-cdf', 'c0-divergence']);
    for (const chart of specs(charts)) {
      expect(chart.series.some((s) => s.label.startsWith('naive'))).toBe(true);
      expect(chart.series.some((s) => s.label.startsWith('cdc'))).toBe(true);
      for (const s of chart.series) expect(s.values).toHaveLength(chart.x.length);
    }
    expect(specs(charts)).toHaveLength(5);
  });

  it('colours a strategy the same in every chart', () => {
    for (const chart of specs(scenarioCharts('c0', [naive, cdc], colors))) {
      for (const s of chart.series) expect(s.color).toBe(colors.get(s.label.split(' ')[0]!));
    }
  });

  it('adds a failed + unknown series only for a strategy that had such outcomes', () => {
    const quiet = resultFixture({ series: { ...seriesFixture(300, 100), timeline: { ...seriesFixture(300, 100).timeline, failed: [0, 0, 0] } } });
    const [throughput] = specs(scenarioCharts('c0', [quiet, cdc], colors));
    expect(throughput!.series.map((s) => s.label)).toEqual(['naive ok', 'cdc ok', 'cdc failed + unknown']);
  });

  it('thins a 100,000-operation pair to the point budgets', () => {
    const big = resultFixture({ series: seriesFixture(100_000, 20, 10) });
    const [throughput, latency, lag, cdf] = specs(scenarioCharts('c0', [big], colors));
    expect(big.series!.timeline.second.length).toBe(5000);
    expect(throughput!.x.length).toBeLessThanOrEqual(MAX_POINTS.timeline);
    expect(latency!.x.length).toBeLessThanOrEqual(MAX_POINTS.timeline);
    expect(lag!.x.length).toBeLessThanOrEqual(MAX_POINTS.lag);
    expect(cdf!.x.length).toBeLessThanOrEqual(MAX_POINTS.cdf);
  });

  it('notes when the lag drawn is a thinned sample of what the table summarises', () => {
    const thinned = resultFixture({ lagMs: { state: 'measured', samples: 9816, p50: 0.07, p95: 0.5, p99: 1.3, max: 21.3 } });
    const charts = specs(scenarioCharts('c0', [thinned], colors));
    expect(charts.find((c) => c.id === 'c0-lag')!.note).toBe("drawn from the lag samples kept in the series (naive: 6 of 9816); the table's percentiles use them all");
    expect(charts.find((c) => c.id === 'c0-throughput')!.note).toBeUndefined();
    expect(specs(scenarioCharts('c0', [resultFixture({ lagMs: { state: 'measured', samples: 6, p50: 1, p95: 1, p99: 1, max: 1 } })], colors))[2]!.note).toBeUndefined();
  });

  it('notes that censored lag samples are not drawn, and does not take them for thinning', () => {
    // 6 observed samples in the series, 2 censored ones in the figures: nothing was thinned.
    const censored = resultFixture({ lagMs: { state: 'measured', samples: 8, p50: 1, p95: 60_000, p99: 60_000, max: 60_001, censored: 2, lowerBound: ['p95', 'p99', 'max'] } });
    const charts = specs(scenarioCharts('c0', [censored], colors));
    expect(charts.find((c) => c.id === 'c0-lag')!.note).toBe("censored samples (not seen while watched) are not drawn (naive: 2); the table's percentiles count them");
  });

  it('draws the faults that struck as bands in seconds, labelled by their description, an unfinished one open-ended', () => {
    const faulted = resultFixture({
      faults: [
        faultFixture(),
        faultFixture({ kind: 'strategy-crash', target: 'worker', description: 'strategy-crash on worker 5000 ms in', startMs: 5000, endMs: null }),
        faultFixture({ description: 'never struck', state: 'not-injected', startMs: null, endMs: null, reason: 'its phase never ran' }),
      ],
    });
    const cdcFaulted = resultFixture({ strategy: 'cdc', faults: [faultFixture({ startMs: 1600, endMs: 4100 })] });
    const [throughput, , , cdf] = specs(scenarioCharts('c0', [faulted, cdcFaulted], colors));
    expect(throughput!.bands).toEqual([
      { from: 1.5, to: 4, label: 'search-pause on search at mixed 30%', color: colors.get('naive') },
      { from: 5, to: null, label: 'strategy-crash on worker 5000 ms in', color: colors.get('naive') },
      { from: 1.6, to: 4.1, label: 'search-pause on search at mixed 30%', color: colors.get('cdc') },
    ]);
    expect(cdf!.bands).toEqual([]);
  });

  it('says why a chart is empty instead of drawing nothing', () => {
    const noLag = resultFixture({ series: { ...seriesFixture(300), lag: [], divergence: [] } });
    const charts = scenarioCharts('c0', [noLag], colors);
    expect(charts.filter(isEmptyChart).map((c) => [c.id, c.empty])).toEqual([
      ['c0-lag', 'no lag samples'],
      ['c0-lag-cdf', 'no lag samples'],
      ['c0-divergence', 'no comparison while converging'],
    ]);
    const { series: _, ...withoutSeries } = resultFixture();
    expect(scenarioCharts('c0', [withoutSeries], colors).every(isEmptyChart)).toBe(true);
  });
});
