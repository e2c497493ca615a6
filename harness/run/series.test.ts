// The report's series: per-second buckets of completions and latency, and even thinning of long
// point lists that keeps both ends.
import { describe, expect, it } from 'vitest';
import { thin } from './run-strategy.ts';
import { Timeline } from './timeline.ts';

describe('timeline', () => {
  it('buckets completions by second since the start, with latency percentiles per bucket', () => {
    const timeline = new Timeline(1000);
    timeline.record(1100, 'ok', 2);
    timeline.record(1900, 'ok', 4);
    timeline.record(3500, 'fail');
    timeline.record(3600, 'unknown');
    const series = timeline.series();
    expect(series.second).toEqual([0, 1, 2]);
    expect(series.ok).toEqual([2, 0, 0]);
    expect(series.failed).toEqual([0, 0, 1]);
    expect(series.unknown).toEqual([0, 0, 1]);
    expect(series.latencyP50Ms[0]).toBeCloseTo(2, 1);
    expect(series.latencyP50Ms[1]).toBeNull();
  });
});

describe('thin', () => {
  it('keeps short lists and thins long ones evenly, first and last kept', () => {
    expect(thin([1, 2, 3], 5)).toEqual([1, 2, 3]);
    const thinned = thin(Array.from({ length: 1001 }, (_, i) => i), 11);
    expect(thinned).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
  });
});
