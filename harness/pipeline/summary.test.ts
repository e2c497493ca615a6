import { describe, expect, it } from 'vitest';
import type { PipelineMeasurement } from '../results/pipeline-schema.ts';
import { median, summarize } from './summary.ts';

const usage = (busiest: string, cpu: Record<string, number>): PipelineMeasurement['usage'] => ({
  state: 'measured',
  windowMs: 1000,
  intervalMs: 250,
  cores: 2,
  busiest,
  services: Object.entries(cpu).map(([service, cpuCores]) => ({ service, pids: [1], cpuCores, cpuPeakCores: cpuCores, rssMeanBytes: 100, rssMaxBytes: cpuCores * 1000 })),
});

function sink(ratio: number, cpu: Record<string, number>): PipelineMeasurement {
  return {
    target: 'sink-catch-up',
    title: 'Sink catch-up',
    state: 'measured',
    error: null,
    figures: { ratio: { value: ratio, unit: '×' }, rate: { value: ratio * 1000, unit: 'changes/s' } },
    goals: [{ text: 'ratio ≥ 0.85', figure: 'ratio', op: '>=', threshold: 0.85, met: ratio >= 0.85 }],
    config: {},
    converged: true,
    usage: usage(Object.entries(cpu).sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'none', cpu),
    durationMs: 1,
  };
}

const failed: PipelineMeasurement = { ...sink(0, {}), state: 'failed', error: 'boom', figures: {}, goals: [], usage: { state: 'unavailable', reason: 'the measurement failed' } };

describe('pipeline summary', () => {
  it('takes medians, odd and even', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('judges each goal on the median, not on any single run, and leaves failed runs out of the figures', () => {
    const [summary] = summarize([[sink(0.9, { search: 1.2, converge: 0.5 })], [sink(0.8, { search: 1.0, converge: 0.9 })], [sink(0.86, { search: 0.7, converge: 0.8 })], [failed]]);
    expect(summary!.measured).toBe(3);
    expect(summary!.failed).toBe(1);
    expect(summary!.figures.ratio!.value).toBe(0.86);
    expect(summary!.figures.rate!.value).toBe(860);
    expect(summary!.goals).toEqual([{ text: 'ratio ≥ 0.85', figure: 'ratio', op: '>=', threshold: 0.85, met: true }]);
    expect(summary!.busiest).toEqual([
      { service: 'search', cpuCores: 1.2 },
      { service: 'search', cpuCores: 1.0 },
      { service: 'converge', cpuCores: 0.8 },
    ]);
    expect(summary!.usage).toEqual([
      { service: 'search', cpuCores: 1.0, rssMaxBytes: 1000 },
      { service: 'converge', cpuCores: 0.8, rssMaxBytes: 800 },
    ]);
  });

  it('a target that never measured has no figures and goals it cannot meet', () => {
    const [summary] = summarize([[failed], [failed]]);
    expect(summary!.measured).toBe(0);
    expect(summary!.failed).toBe(2);
    expect(summary!.figures).toEqual({});
    expect(summary!.goals).toEqual([]);
  });
});
