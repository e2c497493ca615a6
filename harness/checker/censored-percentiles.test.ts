// converge: percentiles over observed and censored samples — exact where the rank falls among
// observed values no censored bound undercuts, a lower bound where it falls among censored ones
// (or a censored bound sits below it), the max a lower bound as soon as one sample is censored.
import { describe, expect, it } from 'vitest';
import { censoredPercentiles } from './censored-percentiles.ts';

const range = (n: number, from = 1) => Array.from({ length: n }, (_, i) => from + i);

describe('censored percentiles', () => {
  it('without censored samples: exact nearest-rank order statistics, no censoring fields', () => {
    expect(censoredPercentiles(range(100), [])).toEqual({ state: 'measured', samples: 100, p50: 50, p95: 95, p99: 99, max: 100 });
    expect(censoredPercentiles([7], [])).toEqual({ state: 'measured', samples: 1, p50: 7, p95: 7, p99: 7, max: 7 });
  });

  it('keeps percentiles among observed values exact when every censored bound lies above them', () => {
    // 98 seen within 1..98 ms, 2 never seen within 60 s: p50 and p95 are exact, p99 and max are at least 60 s.
    const p = censoredPercentiles(range(98), [60_000, 60_002]);
    expect(p).toEqual({ state: 'measured', samples: 100, p50: 50, p95: 95, p99: 60_000, max: 60_002, censored: 2, lowerBound: ['p99', 'max'] });
  });

  it('gives only lower bounds when the rank falls among censored samples', () => {
    const p = censoredPercentiles([], [5, 10, 15]);
    expect(p).toEqual({ state: 'measured', samples: 3, p50: 10, p95: 15, p99: 15, max: 15, censored: 3, lowerBound: ['p50', 'p95', 'p99', 'max'] });
  });

  it('turns a percentile into a lower bound when a censored bound lies below it (its true rank is unknown)', () => {
    // 9 seen at 10..90 ms and one censored above 5 ms: the true p50 is between 40 and 50 ms, so only "at least 40" is known.
    const p = censoredPercentiles(range(9).map((i) => i * 10), [5]);
    expect(p).toMatchObject({ p50: 40, lowerBound: ['p50', 'p95', 'p99', 'max'] });
    // The lower bound is sound: whatever the censored sample's true value above 5, p50 is ≥ 40.
    for (const truth of [6, 45, 1e6]) {
      const all = [...range(9).map((i) => i * 10), truth].sort((a, b) => a - b);
      expect(all[Math.ceil(0.5 * all.length) - 1]).toBeGreaterThanOrEqual(p.state === 'measured' ? p.p50 : Infinity);
    }
  });

  it('is none, with its reason, only when there is no sample at all; never a 0 for censored-only data', () => {
    expect(censoredPercentiles([], [], 'nothing sampled')).toEqual({ state: 'none', samples: 0, reason: 'nothing sampled' });
    const p = censoredPercentiles([], [60_000]);
    expect(p).toMatchObject({ state: 'measured', p50: 60_000, lowerBound: ['p50', 'p95', 'p99', 'max'] });
  });

  it('clamps negatives to 0 and rejects non-finite values', () => {
    expect(censoredPercentiles([-2, 4], [])).toMatchObject({ p50: 0, max: 4 });
    expect(() => censoredPercentiles([Number.NaN], [])).toThrow(RangeError);
    expect(() => censoredPercentiles([], [Number.POSITIVE_INFINITY])).toThrow(RangeError);
  });
});
