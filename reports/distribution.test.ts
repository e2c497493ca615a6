// converge report: lag CDFs of several strategies on one x axis — exact fractions, a bounded axis,
// and nothing drawn for a strategy without samples.
import { describe, expect, it } from 'vitest';
import { sharedCdf } from './distribution.ts';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('sharedCdf', () => {
  it('gives each set the exact fraction of its samples at or below each x', () => {
    const { x, y } = sharedCdf([[1, 2, 3, 4], [10]], 100);
    expect(x).toEqual([1, 2, 3, 4, 10]);
    expect(y[0]).toEqual([0.25, 0.5, 0.75, 1, 1]);
    expect(y[1]).toEqual([0, 0, 0, 0, 1]);
  });

  it('bounds the x axis by the points per set and ends each set at 1', () => {
    const big = range(100_000).map((i) => i / 7);
    const { x, y } = sharedCdf([big], 200);
    expect(x.length).toBeLessThanOrEqual(200);
    expect(x[0]).toBe(0);
    expect(y[0]!.at(-1)).toBe(1);
  });

  it('draws nothing (nulls) for a set without samples', () => {
    const { y } = sharedCdf([[5], []], 10);
    expect(y[1]).toEqual([null]);
  });
});
