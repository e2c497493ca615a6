// Per-service CPU and memory during a measurement, read from /proc: which processes make up each
// service of a local env (its process group; the bench itself; the bench's child processes), and a
// sampler that reads them at a fixed interval until stopped, so that a bench can name the
// service that was the bottleneck. Docker and external services are not on this machine's /proc.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import type { Usage } from '../results/pipeline-schema.ts';
import { matchTargets, parseProcStat, parseVmRssBytes, type ProcStat, type UsageTarget } from './proc-stat.ts';
import { readState, stateFile } from './state.ts';
import { summarizeUsage, type ProcessSample, type UsageTick } from './usage-summary.ts';

export type { UsageTarget } from './proc-stat.ts';

export interface UsageSampler {
  /** Takes the last sample and returns the window's usage; later calls return the same result. */
  stop(): Usage;
}

export const DEFAULT_USAGE_INTERVAL_MS = 250;

/** The local env's process names, as the usage reports them. */
const SERVICE_NAME: Readonly<Record<string, string>> = { opensearch: 'search' };

const PROC = '/proc';

function procUnavailable(): string | undefined {
  return existsSync(`${PROC}/self/stat`) ? undefined : 'this machine has no /proc to read per-process CPU and memory from';
}

/**
 * What to sample for the env recorded in `envDir`: each local service's process group, the bench
 * (this process) as `converge`, and all this process's descendants as `worker`.
 */
export function envUsageTargets(envDir: string): UsageTarget[] | { unavailable: string } {
  const noProc = procUnavailable();
  if (noProc) return { unavailable: noProc };
  let state;
  try {
    state = readState(envDir);
  } catch (error) {
    return { unavailable: `cannot read ${stateFile(envDir)}: ${(error as Error).message}` };
  }
  if (!state) return { unavailable: `no env is recorded in ${stateFile(envDir)}` };
  if (state.provider !== 'local') {
    return { unavailable: `the ${state.provider} provider's services are not processes on this machine's /proc` };
  }
  const services = state.services.flatMap((record) =>
    record.pid === undefined ? [] : [{ service: SERVICE_NAME[record.name] ?? record.name, pgid: record.pid }],
  );
  return [...services, { service: 'converge', pid: process.pid }, { service: 'worker', childrenOf: process.pid }];
}

/** Starts sampling now; `stop()` ends the window. Unavailable targets give an unavailable usage. */
export function startUsageSampler(
  targets: UsageTarget[] | { unavailable: string },
  options: { intervalMs?: number } = {},
): UsageSampler {
  const intervalMs = options.intervalMs ?? DEFAULT_USAGE_INTERVAL_MS;
  if (!Array.isArray(targets)) return unavailableSampler(targets.unavailable);
  const reason = procUnavailable() ?? (targets.length === 0 ? 'no services to sample' : undefined);
  if (reason !== undefined) return unavailableSampler(reason);
  const hz = clockTicksPerSecond();
  const startBootTicks = uptimeTicks(hz);
  const ticks: UsageTick[] = [];
  const sample = () => {
    const tick = sampleTick(targets);
    if (tick) ticks.push(tick);
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  timer.unref();
  let result: Usage | undefined;
  return {
    stop() {
      if (result) return result;
      clearInterval(timer);
      sample();
      const services = [...new Set(targets.map((t) => t.service))];
      const cores = os.cpus().length || os.availableParallelism();
      result = summarizeUsage({ services, ticks, intervalMs, clockTicksPerSecond: hz, cores, startBootTicks });
      return result;
    },
  };
}

function unavailableSampler(reason: string): UsageSampler {
  const usage: Usage = { state: 'unavailable', reason };
  return { stop: () => usage };
}

let cachedClockTicks: number | undefined;

/** The kernel's clock ticks per second (the unit of /proc CPU times): `getconf CLK_TCK`, else 100. */
export function clockTicksPerSecond(): number {
  if (cachedClockTicks === undefined) {
    let value = Number.NaN;
    try {
      value = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8', timeout: 5_000, stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    } catch {
      // no getconf: Linux's usual value
    }
    cachedClockTicks = Number.isFinite(value) && value > 0 ? value : 100;
  }
  return cachedClockTicks;
}

function uptimeTicks(hz: number): number | undefined {
  const seconds = Number.parseFloat(readText(`${PROC}/uptime`) ?? '');
  return Number.isFinite(seconds) ? Math.floor(seconds * hz) : undefined;
}

/** A file of /proc, or undefined when its process has gone meanwhile. */
function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** One pass over /proc: every process's stat, then the memory of the ones that belong to a target. */
function sampleTick(targets: readonly UsageTarget[]): UsageTick | undefined {
  const atMs = performance.now();
  let entries: string[];
  try {
    entries = readdirSync(PROC);
  } catch {
    return undefined;
  }
  const stats = new Map<number, ProcStat>();
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = parseProcStat(readText(`${PROC}/${entry}/stat`) ?? '');
    if (stat) stats.set(stat.pid, stat);
  }
  const services = new Map<string, ProcessSample[]>();
  for (const [service, pids] of matchTargets([...stats.values()], targets)) {
    services.set(
      service,
      pids.map((pid) => {
        const { startTicks, cpuTicks } = stats.get(pid)!;
        return { pid, startTicks, cpuTicks, rssBytes: parseVmRssBytes(readText(`${PROC}/${pid}/status`) ?? '') };
      }),
    );
  }
  return { atMs, services };
}
