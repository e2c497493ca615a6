// converge: percentiles of samples some of which are censored — known only to exceed a bound (a
// lag sample the harness stopped watching before it showed up: the lag is at least the time it
// waited). Nothing is dropped. Each percentile lies between two figures over the same ranks: the
// lowest it can be (each censored sample at its bound) and the highest (each at +infinity). Where
// the two agree the figure is exact; where they differ (the percentile falls among censored
// samples, or a censored bound sits below it) only the lower is known, and it is reported as a
// lower bound: the true value is at least that. The max is a lower bound as soon as one sample is
// censored. Exact order statistics (nearest rank): lag samples are few enough to keep.
import type { Percentiles, PercentileKey } from '../results/schema.ts';

const RANKS: readonly [PercentileKey, number][] = [
  ['p50', 50],
  ['p95', 95],
  ['p99', 99],
  ['max', 100],
];

function ascending(values: readonly number[], what: string): number[] {
  return values
    .map((value) => {
      if (!Number.isFinite(value)) throw new RangeError(`not a finite ${what}: ${value}`);
      return Math.max(0, value);
    })
    .sort((a, b) => a - b);
}

/**
 * Percentiles (ms) of `observed` samples and of `censoredBounds` samples each known only to exceed
 * its bound. `none` with `reason` when there is no sample at all. `censored` and `lowerBound` are
 * present only when some sample is censored.
 */
export function censoredPercentiles(observed: readonly number[], censoredBounds: readonly number[], reason = 'no samples'): Percentiles {
  const seen = ascending(observed, 'sample');
  const bounds = ascending(censoredBounds, 'censoring bound');
  const n = seen.length + bounds.length;
  if (n === 0) return { state: 'none', samples: 0, reason };
  const low = [...seen, ...bounds].sort((a, b) => a - b);
  const figures = { p50: 0, p95: 0, p99: 0, max: 0 };
  const lowerBound: PercentileKey[] = [];
  for (const [key, p] of RANKS) {
    const rank = Math.max(1, Math.ceil((p / 100) * n));
    const lowest = low[rank - 1]!;
    const highest = rank <= seen.length ? seen[rank - 1]! : Number.POSITIVE_INFINITY;
    figures[key] = lowest;
    if (highest !== lowest) lowerBound.push(key);
  }
  return {
    state: 'measured',
    samples: n,
    ...figures,
    ...(bounds.length > 0 ? { censored: bounds.length, lowerBound } : {}),
  };
}
