// converge report: thinning chart series — the point budget is kept, spikes and dips survive, gaps
// stay gaps, and a series that fits is left alone.
import { describe, expect, it } from 'vitest';
import { minMaxDownsample, minMaxDownsampleGroup } from './downsample.ts';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('minMaxDownsample', () => {
  it('returns a series within the budget unchanged (as a copy)', () => {
    const series = { x: [0, 1, 2], y: [5, null, 7] };
    const out = minMaxDownsample(series, 10);
    expect(out).toEqual(series);
    expect(out.x).not.toBe(series.x);
  });

  it('keeps at most maxPoints points of 100,000, in x order', () => {
    const x = range(100_000);
    const out = minMaxDownsample({ x, y: x.map((i) => Math.sin(i / 100)) }, 1000);
    expect(out.x.length).toBeLessThanOrEqual(1000);
    expect(out.x.length).toBeGreaterThan(900);
    expect(out.x).toEqual([...out.x].sort((a, b) => a - b));
  });

  it('keeps a single spike and a single dip however large the series', () => {
    const x = range(50_000);
    const y = x.map(() => 10);
    y[12_345] = 9000;
    y[40_001] = -3;
    const out = minMaxDownsample({ x, y }, 200);
    expect(out.y).toContain(9000);
    expect(out.y).toContain(-3);
    expect(out.x[out.y.indexOf(9000)]).toBe(12_345);
  });

  it('keeps a run of nulls as a null (a gap), not as a value', () => {
    const x = range(1000);
    const y = x.map((i) => (i >= 500 && i < 600 ? null : 1));
    const out = minMaxDownsample({ x, y }, 40);
    expect(out.y).toContain(null);
    expect(out.y.filter((v) => v !== null).every((v) => v === 1)).toBe(true);
  });

  it('refuses mismatched lengths and a budget below two', () => {
    expect(() => minMaxDownsample({ x: [1, 2], y: [1] }, 10)).toThrow(RangeError);
    expect(() => minMaxDownsample({ x: [1, 2, 3], y: [1, 2, 3] }, 1)).toThrow(RangeError);
    expect(() => minMaxDownsampleGroup([1], [[1], [2]], 3)).toThrow(RangeError);
  });
});

describe('minMaxDownsampleGroup', () => {
  it('thins series over one x to one shared x within the budget, each keeping its own spike', () => {
    const x = range(10_000);
    const p50 = x.map(() => 2);
    const p99 = x.map(() => 9);
    p50[100] = 50;
    p99[9000] = 400;
    const out = minMaxDownsampleGroup(x, [p50, p99], 600);
    expect(out.x.length).toBeLessThanOrEqual(600);
    expect(out.ys.every((y) => y.length === out.x.length)).toBe(true);
    expect(out.x[out.ys[0]!.indexOf(50)]).toBe(100);
    expect(out.x[out.ys[1]!.indexOf(400)]).toBe(9000);
  });
});
