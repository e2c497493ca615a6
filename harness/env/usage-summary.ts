// The arithmetic of a usage window, without I/O: from the processes seen at each sampling tick
// (their CPU ticks and resident memory), each service's mean and peak CPU in cores and its RSS.
import type { ServiceUsage, Usage } from '../results/pipeline-schema.ts';

/** One process of a service, as read at one tick. */
export interface ProcessSample {
  pid: number;
  /** When the process started (clock ticks since boot): a reused pid is another process. */
  startTicks: number;
  /** utime + stime so far, in clock ticks. */
  cpuTicks: number;
  rssBytes: number;
}

/** What one tick saw: each service's processes (a service with none may be absent or empty). */
export interface UsageTick {
  /** Monotonic time of the tick, in ms. */
  atMs: number;
  services: ReadonlyMap<string, readonly ProcessSample[]>;
}

export interface UsageWindow {
  /** The sampled services, in the order they are reported. */
  services: readonly string[];
  /** At least the tick at the window's start and the one at its end. */
  ticks: readonly UsageTick[];
  intervalMs: number;
  clockTicksPerSecond: number;
  cores: number;
  /**
   * The window's start in clock ticks since boot, if known: a process started inside the window
   * counts all its CPU from its first tick on (it used none before the window). Without it, a
   * process counts only its CPU between ticks it was seen in.
   */
  startBootTicks?: number;
}

type MeasuredUsage = Extract<Usage, { state: 'measured' }>;

const round3 = (value: number) => Math.round(value * 1000) / 1000;

/**
 * Each service's usage over the window. CPU of an interval is the sum of its processes' CPU-tick
 * increases since the previous tick (a process that vanished adds nothing more; a decrease counts
 * as none). The peak is the highest interval, where an interval shorter than half the sampling
 * interval (the last one, cut short by the stop) is joined to the one before it: a 10 ms clock
 * tick in a 5 ms interval would read as two cores.
 */
export function summarizeUsage(window: UsageWindow): MeasuredUsage {
  const first = window.ticks[0]?.atMs ?? 0;
  const last = window.ticks.at(-1)?.atMs ?? first;
  const windowMs = Math.max(0, last - first);
  const services = window.services.map((service) => serviceUsage(service, window, windowMs));
  const busiest = services.reduce<ServiceUsage | undefined>((top, s) => (!top || s.cpuCores > top.cpuCores ? s : top), undefined);
  return {
    state: 'measured',
    windowMs: Math.round(windowMs),
    intervalMs: window.intervalMs,
    cores: window.cores,
    services,
    busiest: busiest?.service ?? '',
  };
}

interface Interval {
  ms: number;
  cpuTicks: number;
}

function serviceUsage(service: string, window: UsageWindow, windowMs: number): ServiceUsage {
  const identity = (p: ProcessSample) => `${p.pid}:${p.startTicks}`;
  const everSeen = new Set<string>();
  const pids = new Set<number>();
  const rssPerTick: number[] = [];
  const intervals: Interval[] = [];
  let previous = new Map<string, number>();
  window.ticks.forEach((tick, index) => {
    const processes = tick.services.get(service) ?? [];
    const current = new Map<string, number>();
    let cpuTicks = 0;
    for (const sample of processes) {
      const id = identity(sample);
      const before = previous.get(id);
      if (before !== undefined) cpuTicks += Math.max(0, sample.cpuTicks - before);
      else if (index > 0 && !everSeen.has(id) && bornInWindow(sample, window)) cpuTicks += sample.cpuTicks;
      current.set(id, sample.cpuTicks);
      everSeen.add(id);
      pids.add(sample.pid);
    }
    rssPerTick.push(processes.reduce((sum, p) => sum + p.rssBytes, 0));
    if (index > 0) intervals.push({ ms: tick.atMs - window.ticks[index - 1]!.atMs, cpuTicks });
    previous = current;
  });
  const cores = (interval: Interval) => (interval.ms > 0 ? interval.cpuTicks / window.clockTicksPerSecond / (interval.ms / 1000) : 0);
  const total: Interval = { ms: windowMs, cpuTicks: intervals.reduce((sum, i) => sum + i.cpuTicks, 0) };
  const peak = Math.max(0, ...joinShortIntervals(intervals, window.intervalMs / 2).map(cores));
  return {
    service,
    pids: [...pids].sort((a, b) => a - b),
    cpuCores: round3(cores(total)),
    cpuPeakCores: round3(peak),
    rssMeanBytes: rssPerTick.length ? Math.round(rssPerTick.reduce((a, b) => a + b, 0) / rssPerTick.length) : 0,
    rssMaxBytes: Math.max(0, ...rssPerTick),
  };
}

function bornInWindow(sample: ProcessSample, window: UsageWindow): boolean {
  return window.startBootTicks !== undefined && sample.startTicks > window.startBootTicks;
}

/** Intervals of at least `minMs`, each short one joined to the next, a short tail to the last. */
function joinShortIntervals(intervals: readonly Interval[], minMs: number): Interval[] {
  const joined: Interval[] = [];
  let pending: Interval = { ms: 0, cpuTicks: 0 };
  for (const interval of intervals) {
    pending = { ms: pending.ms + interval.ms, cpuTicks: pending.cpuTicks + interval.cpuTicks };
    if (pending.ms >= minMs) {
      joined.push(pending);
      pending = { ms: 0, cpuTicks: 0 };
    }
  }
  const tail = joined.at(-1);
  if (pending.ms > 0 || pending.cpuTicks > 0) {
    if (tail) joined[joined.length - 1] = { ms: tail.ms + pending.ms, cpuTicks: tail.cpuTicks + pending.cpuTicks };
    else joined.push(pending);
  }
  return joined;
}
