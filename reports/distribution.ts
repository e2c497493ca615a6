// converge report: empirical cumulative distributions (CDF) of lag samples, drawn for several
// strategies on one shared x axis as uPlot requires.

/** How many of the ascending `sorted` values are ≤ x. */
function countAtOrBelow(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The CDFs of several sample sets on one x axis: x holds up to `pointsPerSet` evenly spaced
 * quantiles of each set (merged, ascending, unique), and each set's y is the exact fraction of its
 * samples ≤ x (0…1). An empty set gets nulls: it has no distribution.
 */
export function sharedCdf(sets: readonly (readonly number[])[], pointsPerSet: number): { x: number[]; y: (number | null)[][] } {
  const sorted = sets.map((set) => [...set].sort((a, b) => a - b));
  const xs = new Set<number>();
  for (const values of sorted) {
    const n = values.length;
    if (n === 0) continue;
    const steps = Math.min(n, Math.max(2, pointsPerSet));
    for (let k = 0; k < steps; k++) xs.add(values[Math.round((k * (n - 1)) / Math.max(1, steps - 1))]!);
  }
  const x = [...xs].sort((a, b) => a - b);
  const y = sorted.map((values) => (values.length === 0 ? x.map(() => null) : x.map((at) => countAtOrBelow(values, at) / values.length)));
  return { x, y };
}
