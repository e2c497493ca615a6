// The usage arithmetic on synthetic ticks: CPU deltas in cores, processes appearing and vanishing
// mid-window, pid reuse, the peak interval, RSS mean and max, the busiest service.
import { describe, expect, it } from 'vitest';
import { usageSchema } from '../results/pipeline-schema.ts';
import { summarizeUsage, type ProcessSample, type UsageTick } from './usage-summary.ts';

const p = (pid: number, cpuTicks: number, rssBytes = 0, startTicks = 0): ProcessSample => ({ pid, cpuTicks, rssBytes, startTicks });
const tick = (atMs: number, services: Record<string, ProcessSample[]>): UsageTick => ({ atMs, services: new Map(Object.entries(services)) });
const window = (ticks: UsageTick[], services: string[], extra: { startBootTicks?: number } = {}) =>
  summarizeUsage({ services, ticks, intervalMs: 250, clockTicksPerSecond: 100, cores: 2, ...extra });
const service = (usage: ReturnType<typeof summarizeUsage>, name: string) => usage.services.find((s) => s.service === name)!;

describe('summarizeUsage', () => {
  it('turns CPU tick increases into cores, mean and peak', () => {
    // 0..250 ms: 25 ticks (1 core); 250..500 ms: 0; 500..750 ms: 50 ticks over two processes (2 cores).
    const usage = window(
      [
        tick(0, { db: [p(10, 100), p(11, 0)] }),
        tick(250, { db: [p(10, 125), p(11, 0)] }),
        tick(500, { db: [p(10, 125), p(11, 0)] }),
        tick(750, { db: [p(10, 150), p(11, 25)] }),
      ],
      ['db'],
    );
    expect(usage).toMatchObject({ state: 'measured', windowMs: 750, intervalMs: 250, cores: 2, busiest: 'db' });
    expect(service(usage, 'db')).toMatchObject({ pids: [10, 11], cpuCores: 1, cpuPeakCores: 2 });
    expect(usageSchema.parse(usage)).toEqual(usage);
  });

  it('counts a process from the ticks it is seen in: appearing late, vanishing early', () => {
    const usage = window(
      [
        tick(0, { s: [p(1, 0)] }),
        tick(250, { s: [p(1, 25), p(2, 500)] }), // 2 appears: its CPU before this tick is not the window's
        tick(500, { s: [p(2, 525)] }), // 1 vanished: nothing more from it
        tick(1000, { s: [p(2, 550), p(3, 40)] }),
      ],
      ['s'],
    );
    // 25 + 25 + 25 ticks = 0.75 s over 1 s.
    expect(service(usage, 's')).toMatchObject({ pids: [1, 2, 3], cpuCores: 0.75, cpuPeakCores: 1 });
  });

  it('counts all the CPU of a process started inside the window, once', () => {
    const ticks = [tick(0, { w: [] }), tick(250, { w: [p(7, 20, 0, 5_001)] }), tick(500, { w: [p(7, 30, 0, 5_001), p(8, 50, 0, 4_000)] })];
    // 7 was born after the window began (boot tick 5,000): 20 then 10; 8 is older and first seen: 0.
    expect(service(window(ticks, ['w'], { startBootTicks: 5_000 }), 'w').cpuCores).toBe(0.6);
    // Without the window's start, 7 counts from its second sighting only.
    expect(service(window(ticks, ['w']), 'w').cpuCores).toBe(0.2);
  });

  it('never counts a decrease, nor a reused pid as the same process', () => {
    const usage = window(
      [tick(0, { s: [p(5, 100, 0, 1)] }), tick(250, { s: [p(5, 90, 0, 1)] }), tick(500, { s: [p(5, 3, 0, 2)] }), tick(750, { s: [p(5, 28, 0, 2)] })],
      ['s'],
    );
    expect(service(usage, 's')).toMatchObject({ pids: [5], cpuPeakCores: 1 });
    expect(service(usage, 's').cpuCores).toBeCloseTo(25 / 100 / 0.75, 3);
  });

  it('joins a short last interval to the one before it for the peak', () => {
    // The stop came 5 ms after a tick and caught one 10 ms clock tick: not two cores.
    const usage = window([tick(0, { s: [p(1, 0)] }), tick(250, { s: [p(1, 10)] }), tick(255, { s: [p(1, 11)] })], ['s']);
    expect(service(usage, 's').cpuPeakCores).toBeCloseTo(11 / 100 / 0.255, 3);
  });

  it('measures a window shorter than one interval', () => {
    const usage = window([tick(0, { s: [p(1, 0, 4096)] }), tick(100, { s: [p(1, 5, 8192)] })], ['s']);
    expect(service(usage, 's')).toMatchObject({ cpuCores: 0.5, cpuPeakCores: 0.5, rssMeanBytes: 6144, rssMaxBytes: 8192 });
  });

  it('sums RSS over a service’s processes per tick, then takes mean and max over ticks', () => {
    const usage = window([tick(0, { s: [p(1, 0, 100), p(2, 0, 200)] }), tick(250, { s: [p(1, 0, 600)] }), tick(500, { s: [p(1, 0, 600), p(3, 0, 300)] })], ['s']);
    expect(service(usage, 's')).toMatchObject({ rssMeanBytes: 600, rssMaxBytes: 900 });
  });

  it('keeps a service with no process, in zeros, and names the busiest', () => {
    const usage = window([tick(0, { a: [p(1, 0)], b: [p(2, 0)] }), tick(500, { a: [p(1, 10)], b: [p(2, 30)] })], ['a', 'b', 'missing']);
    expect(usage.services.map((s) => s.service)).toEqual(['a', 'b', 'missing']);
    expect(service(usage, 'missing')).toEqual({ service: 'missing', pids: [], cpuCores: 0, cpuPeakCores: 0, rssMeanBytes: 0, rssMaxBytes: 0 });
    expect(usage.busiest).toBe('b');
    expect(usageSchema.parse(usage)).toEqual(usage);
  });
});
