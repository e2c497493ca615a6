// converge report: table formatting — readable units, and figures that were not measured, skipped
// or crashed said in words (never 0), with their reason kept for the tooltip.
import { describe, expect, it } from 'vitest';
import type { ConvergenceResult, Percentiles } from '../harness/results/schema.ts';
import * as f from './format.ts';
import { resultFixture } from './fixtures.ts';

describe('numbers and units', () => {
  it('formats counts and rates with en-US grouping', () => {
    expect(f.formatNumber(100_000, 0)).toBe('100,000');
    expect(f.formatNumber(226.6976)).toBe('226.7');
  });

  it('formats milliseconds at a readable scale', () => {
    expect(f.formatMs(0)).toBe('0 ms');
    expect(f.formatMs(0.097)).toBe('0.097 ms');
    expect(f.formatMs(3.185)).toBe('3.2 ms');
    expect(f.formatMs(16)).toBe('16 ms');
    expect(f.formatMs(412.6)).toBe('413 ms');
    expect(f.formatMs(1500)).toBe('1.5 s');
    expect(f.formatMs(125_000)).toBe('2 min 5 s');
  });

  it('formats bytes in binary units', () => {
    expect(f.formatBytes(512)).toBe('512 B');
    expect(f.formatBytes(1536)).toBe('1.5 KiB');
    expect(f.formatBytes(8 * 2 ** 30)).toBe('8 GiB');
  });
});

describe('figures that may not exist', () => {
  it('shows a distribution with no samples as none, with its reason, not as 0', () => {
    const none = { state: 'none', samples: 0, reason: 'naive writes the index synchronously' } as const;
    expect(f.percentileFigure(none, 'p99')).toEqual({ text: 'none', state: 'none', note: 'naive writes the index synchronously' });
    expect(f.samplesFigure(none).text).toBe('none');
  });

  it('shows a measured percentile in ms, with the sample count in the note', () => {
    const figure = f.percentileFigure(resultFixture().latencyMs, 'p95');
    expect(figure).toMatchObject({ text: '11.3 ms', state: 'value' });
    expect(figure.note).toContain('301 samples');
  });

  it('shows a percentile that falls among censored samples as a lower bound, > X, and counts the censored', () => {
    const lag: Percentiles = { state: 'measured', samples: 100, p50: 3.2, p95: 20, p99: 60_000, max: 60_004, censored: 2, lowerBound: ['p99', 'max'] };
    expect(f.percentileFigure(lag, 'p50')).toMatchObject({ text: '3.2 ms', state: 'value' });
    const p99 = f.percentileFigure(lag, 'p99');
    expect(p99).toMatchObject({ text: '> 1 min 0 s', state: 'value' });
    expect(p99.note).toContain('2 of 100 samples were not seen while watched (censored)');
    expect(f.samplesFigure(lag).text).toBe('100 (2 censored)');
  });

  it('shows a crashed convergence check as unknown in every convergence figure', () => {
    const crashed = { state: 'unknown', error: 'connection reset' } as const;
    for (const figure of [f.convergedFigure(crashed), f.convergenceTimeFigure(crashed), f.differenceFigure(crashed, 'missing')]) {
      expect(figure.text).toBe('unknown');
      expect(figure.state).toBe('unknown');
      expect(figure.note).toContain('connection reset');
    }
  });

  it('shows stores that never agreed as never, and differences as bad with sample ids', () => {
    const diverged: ConvergenceResult = { state: 'checked', converged: false, timeMs: null, quiet: false, missing: 2, extra: 2, mismatched: 0, sampleIds: { missing: [7, 9], extra: [4], mismatched: [], extraNonNumeric: ['a b'] } };
    expect(f.convergenceTimeFigure(diverged)).toMatchObject({ text: 'never', state: 'bad' });
    expect(f.differenceFigure(diverged, 'missing')).toEqual({ text: '2', state: 'bad', note: 'sample ids: 7, 9' });
    expect(f.differenceFigure(diverged, 'extra')).toEqual({ text: '2', state: 'bad', note: 'sample ids: 4, "a b"' });
    expect(f.differenceFigure(diverged, 'mismatched')).toEqual({ text: '0', state: 'good' });
  });

  it('marks defects among anomalies and leaves stale reads informative', () => {
    const checked = resultFixture().anomalies;
    if (checked.state !== 'checked') throw new Error('the fixture has checked anomalies');
    const anomalies = { ...checked, dirtyReads: 3, staleReads: 40 };
    expect(f.anomalyFigure(anomalies, 'dirtyReads')).toEqual({ text: '3', state: 'bad', note: 'over 30 judged reads' });
    expect(f.anomalyFigure(anomalies, 'staleReads')).toEqual({ text: '40', state: 'value', note: 'over 30 judged reads' });
    expect(f.stalenessFigure(anomalies).text).toBe('none');
  });

  it('shows an anomaly kind that judged no read as not judged, never as a good 0', () => {
    const checked = resultFixture().anomalies;
    if (checked.state !== 'checked') throw new Error('the fixture has checked anomalies');
    const nothing = { ...checked, judged: { dirtyReads: 0, versionRegressions: 0, resurrections: 0, staleReads: 0 } };
    for (const kind of ['dirtyReads', 'versionRegressions', 'resurrections', 'staleReads'] as const) {
      expect(f.anomalyFigure(nothing, kind)).toMatchObject({ text: 'not judged', state: 'none' });
    }
    expect(f.anomalyFigure({ ...nothing, finalKeysJudged: 2 }, 'resurrections')).toEqual({ text: '0', state: 'good', note: 'over 0 judged reads and 2 deleted keys in the final index' });
    expect(f.anomalyFigure({ ...nothing, judged: { ...nothing.judged, dirtyReads: 412 } }, 'dirtyReads')).toEqual({ text: '0', state: 'good', note: 'over 412 judged reads' });
  });

  it('shows phantoms as bad with ids, none as good, and says when no XA branch ran', () => {
    const checked = resultFixture().anomalies;
    if (checked.state !== 'checked') throw new Error('the fixture has checked anomalies');
    expect(f.phantomFigure(checked)).toMatchObject({ text: 'not run', state: 'none' });
    const phantoms = { branches: 6, rolledBackRows: 5, reads: 1, finalDocs: 2, finalIndexRead: true, samples: [{ id: 4, read: null, doc: { id: 4 } }, { id: 9, read: 12, doc: { id: 9 } }] };
    expect(f.phantomFigure({ ...checked, phantoms })).toEqual({ text: '3', state: 'bad', note: '1 reads and 2 documents of the final index showed one of 5 rolled-back rows; ids 4, 9' });
    expect(f.phantomFigure({ ...checked, phantoms: { ...phantoms, reads: 0, finalDocs: 0, samples: [] } })).toMatchObject({ text: '0', state: 'good' });
    expect(f.phantomFigure({ ...checked, phantoms: { ...phantoms, rolledBackRows: 0 } })).toMatchObject({ text: 'not judged', state: 'none' });
  });

  it('shows skipped and crashed per-op cost in words', () => {
    expect(f.perOpCostFigure({ state: 'skipped', reason: 'not requested' }, 'meanMs')).toEqual({ text: 'skipped', state: 'skipped', note: 'not requested' });
    expect(f.perOpCostFigure({ state: 'unknown', error: 'boom' }, 'opsPerSec').text).toBe('unknown');
    expect(f.perOpCostFigure(resultFixture().perOpCost, 'opsPerSec').text).toBe('353 /s');
  });

  it("shows a stat a strategy does not report as 'not reported', and false as no", () => {
    expect(f.statFigure(undefined)).toEqual({ text: 'not reported', state: 'none' });
    expect(f.statFigure(0).text).toBe('0');
    expect(f.statFigure(false).text).toBe('no');
    expect(f.statFigure(1234.567).text).toBe('1,234.57');
  });

  it('cuts a long stat string to the cell limit with an ellipsis and keeps the whole text in the tooltip', () => {
    const config = JSON.stringify({ 'connector.class': 'io.debezium.connector.mariadb.MariaDbConnector', 'database.hostname': '127.0.0.1' });
    const cut = f.statFigure(config);
    expect(Array.from(cut.text)).toHaveLength(f.CELL_TEXT_LIMIT);
    expect(cut.text).toBe(`${config.slice(0, f.CELL_TEXT_LIMIT - 1)}…`);
    expect(cut.note).toBe(config);
    expect(cut.prose).toBe(true);
    expect(f.statFigure('cvcdc_7624d85355')).toEqual({ text: 'cvcdc_7624d85355', state: 'value', prose: true });
    // never cut inside a character made of two UTF-16 units
    expect(f.textFigure('😀'.repeat(40)).text).toBe(`${'😀'.repeat(f.CELL_TEXT_LIMIT - 1)}…`);
  });
});
