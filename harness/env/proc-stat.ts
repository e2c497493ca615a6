// Reading /proc without I/O: a process's `stat` line (ids, parent, process group, CPU ticks), the
// resident memory in its `status`, and which processes belong to which sampled service.

/** A service to sample, and how to find its processes. */
export interface UsageTarget {
  service: string;
  /** The service's process group id (its leader's pid): every process in that group. */
  pgid?: number;
  /** Every descendant of this pid (not the pid itself). */
  childrenOf?: number;
  /** Exactly this pid. */
  pid?: number;
}

export interface ProcStat {
  pid: number;
  ppid: number;
  pgrp: number;
  /** utime + stime, in clock ticks (all of the process's threads). */
  cpuTicks: number;
  /** When the process started, in clock ticks since boot: with the pid, its identity. */
  startTicks: number;
}

/**
 * Parses one `/proc/<pid>/stat` line. The command name (field 2) is in parentheses and may itself
 * hold spaces and parentheses, so the fields are read after the last `)`.
 */
export function parseProcStat(line: string): ProcStat | undefined {
  const close = line.lastIndexOf(')');
  const pid = Number.parseInt(line, 10);
  if (close < 0 || !Number.isInteger(pid)) return undefined;
  // After `)`: field 3 (state) is index 0, so field n is index n - 3.
  const fields = line.slice(close + 1).trim().split(/\s+/);
  const field = (n: number) => Number(fields[n - 3]);
  const stat = { pid, ppid: field(4), pgrp: field(5), cpuTicks: field(14) + field(15), startTicks: field(22) };
  return Object.values(stat).every(Number.isFinite) ? stat : undefined;
}

/** VmRSS of a `/proc/<pid>/status` text, in bytes; 0 when absent (kernel threads, zombies). */
export function parseVmRssBytes(status: string): number {
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  return match ? Number(match[1]) * 1024 : 0;
}

/**
 * The pids of each target among `processes`. A process counts once, for the first target (in the
 * given order) that matches it, so a service's processes are not also counted as the bench's children.
 */
export function matchTargets(processes: readonly ProcStat[], targets: readonly UsageTarget[]): Map<string, number[]> {
  const children = new Map<number, number[]>();
  for (const { pid, ppid } of processes) {
    const siblings = children.get(ppid);
    if (siblings) siblings.push(pid);
    else children.set(ppid, [pid]);
  }
  const claimed = new Set<number>();
  const matched = new Map<string, number[]>();
  for (const target of targets) {
    const pids = candidates(target, processes, children).filter((pid) => !claimed.has(pid));
    for (const pid of pids) claimed.add(pid);
    matched.set(target.service, [...(matched.get(target.service) ?? []), ...pids]);
  }
  return matched;
}

function candidates(target: UsageTarget, processes: readonly ProcStat[], children: Map<number, number[]>): number[] {
  if (target.pid !== undefined) return processes.some((p) => p.pid === target.pid) ? [target.pid] : [];
  if (target.pgid !== undefined) return processes.filter((p) => p.pgrp === target.pgid).map((p) => p.pid);
  if (target.childrenOf === undefined) return [];
  const descendants: number[] = [];
  const queue = [...(children.get(target.childrenOf) ?? [])];
  const seen = new Set<number>([target.childrenOf]);
  for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
    if (seen.has(pid)) continue;
    seen.add(pid);
    descendants.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return descendants;
}
