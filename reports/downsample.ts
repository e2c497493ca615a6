// converge report: thinning a series for a chart without losing its shape. Tables keep the exact
// figures from results.json; only what is drawn is thinned.

export interface XY {
  x: number[];
  y: (number | null)[];
}

/**
 * The indices of `y` worth keeping within `maxPoints`: the points are cut into `maxPoints / 2`
 * consecutive buckets and each keeps its lowest and highest y, so spikes and dips survive. A bucket
 * holding only nulls keeps one null, so gaps stay gaps.
 */
function minMaxIndices(y: readonly (number | null)[], maxPoints: number): number[] {
  const n = y.length;
  if (n <= maxPoints) return y.map((_, i) => i);
  const buckets = Math.max(1, Math.floor(maxPoints / 2));
  const kept: number[] = [];
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor((b * n) / buckets);
    const end = Math.floor(((b + 1) * n) / buckets);
    let lo = -1;
    let hi = -1;
    for (let i = start; i < end; i++) {
      const value = y[i];
      if (value === null || value === undefined) continue;
      if (lo < 0 || value < y[lo]!) lo = i;
      if (hi < 0 || value > y[hi]!) hi = i;
    }
    if (lo < 0) kept.push(start);
    else if (lo === hi) kept.push(lo);
    else kept.push(Math.min(lo, hi), Math.max(lo, hi));
  }
  return kept;
}

/**
 * Several series over one x, thinned together to at most `maxPoints` shared x values: each series
 * gets an equal share of the budget for its own spikes and dips, and every series keeps its value
 * at every x any of them kept — so they still share one x axis. Series that fit are copied as they are.
 */
export function minMaxDownsampleGroup(x: readonly number[], ys: readonly (readonly (number | null)[])[], maxPoints: number): { x: number[]; ys: (number | null)[][] } {
  for (const y of ys) if (y.length !== x.length) throw new RangeError(`x has ${x.length} points, a series has ${y.length}`);
  if (maxPoints < 2 * Math.max(1, ys.length)) throw new RangeError(`maxPoints must be at least 2 per series, got ${maxPoints} for ${ys.length}`);
  const share = Math.floor(maxPoints / Math.max(1, ys.length));
  const kept = x.length <= maxPoints ? x.map((_, i) => i) : [...new Set(ys.flatMap((y) => minMaxIndices(y, share)))].sort((a, b) => a - b);
  return { x: kept.map((i) => x[i]!), ys: ys.map((y) => kept.map((i) => y[i]!)) };
}

/** One series thinned to at most `maxPoints` points in x order (see minMaxDownsampleGroup). */
export function minMaxDownsample(series: XY, maxPoints: number): XY {
  const { x, ys } = minMaxDownsampleGroup(series.x, [series.y], maxPoints);
  return { x, y: ys[0]! };
}
