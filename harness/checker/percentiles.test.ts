// converge: percentiles from the HDR histogram — within 0.1% of the exact order statistics, the
// max exact, and `none` when nothing was sampled.
import { describe, expect, it } from 'vitest';
import { percentiles } from './percentiles.ts';

describe('percentiles', () => {
  it('matches exact order statistics within 0.1%', () => {
    const samples = Array.from({ length: 10_000 }, (_, i) => (i + 1) * 0.37);
    const p = percentiles(samples);
    if (p.state !== 'measured') throw new Error('expected measured');
    expect(p.samples).toBe(10_000);
    expect(p.p50).toBeCloseTo(5_000 * 0.37, 0);
    expect(Math.abs(p.p95 / (9_500 * 0.37) - 1)).toBeLessThan(0.001);
    expect(Math.abs(p.p99 / (9_900 * 0.37) - 1)).toBeLessThan(0.001);
    expect(p.max).toBe(3_700);
  });

  it('reports none for no samples, and rejects non-finite ones', () => {
    expect(percentiles([], 'no writes sampled')).toEqual({ state: 'none', samples: 0, reason: 'no writes sampled' });
    expect(() => percentiles([1, Number.NaN])).toThrow(RangeError);
    expect(percentiles([-3, 2])).toMatchObject({ state: 'measured', p50: 0, max: 2 });
  });
});
