// Parsing /proc stat and status text, and assigning processes to sampled services, without /proc.
import { describe, expect, it } from 'vitest';
import { matchTargets, parseProcStat, parseVmRssBytes, type ProcStat } from './proc-stat.ts';

/** A stat line as the kernel writes it: fields 3.. after the command, here with the ones read set. */
function statLine(pid: number, comm: string, f: { ppid: number; pgrp: number; utime: number; stime: number; start: number }): string {
  const after = ['S', f.ppid, f.pgrp, f.pgrp, 0, -1, 4194304, 100, 0, 0, 0, f.utime, f.stime, 0, 0, 20, 0, 4, 0, f.start, 123456, 789];
  return `${pid} (${comm}) ${after.join(' ')}\n`;
}

describe('parseProcStat', () => {
  it('reads parent, process group, CPU ticks and start time', () => {
    const line = statLine(5873, 'java', { ppid: 1, pgrp: 5873, utime: 1702, stime: 346, start: 25429 });
    expect(parseProcStat(line)).toEqual({ pid: 5873, ppid: 1, pgrp: 5873, cpuTicks: 2048, startTicks: 25429 });
  });

  it('reads past a command name holding spaces and parentheses', () => {
    const line = statLine(42, 'evil ) (name) 7 8', { ppid: 7, pgrp: 40, utime: 5, stime: 6, start: 99 });
    expect(parseProcStat(line)).toEqual({ pid: 42, ppid: 7, pgrp: 40, cpuTicks: 11, startTicks: 99 });
  });

  it('reads a real line of this process', async () => {
    const { readFileSync } = await import('node:fs');
    const stat = parseProcStat(readFileSync('/proc/self/stat', 'utf8'));
    expect(stat?.pid).toBe(process.pid);
    expect(stat?.ppid).toBe(process.ppid);
    expect(stat?.cpuTicks).toBeGreaterThanOrEqual(0);
  });

  it('refuses what is not a stat line', () => {
    expect(parseProcStat('')).toBeUndefined();
    expect(parseProcStat('garbage')).toBeUndefined();
    expect(parseProcStat('12 (truncated) S 1')).toBeUndefined();
  });
});

describe('parseVmRssBytes', () => {
  it('reads VmRSS in kB as bytes, and 0 when it is absent (kernel threads)', () => {
    expect(parseVmRssBytes('Name:\tnode\nVmPeak:\t  99 kB\nVmRSS:\t   51200 kB\nRssAnon:\t 1 kB\n')).toBe(51200 * 1024);
    expect(parseVmRssBytes('Name:\tkthreadd\nState:\tS (sleeping)\n')).toBe(0);
  });
});

describe('matchTargets', () => {
  const proc = (pid: number, ppid: number, pgrp = pid): ProcStat => ({ pid, ppid, pgrp, cpuTicks: 0, startTicks: 0 });
  // 100 the bench; 101, 102 its workers, 103 a worker's child; 200 a service leader with 201 in its
  // group; 300 a service the bench restarted (its child, but its own group).
  const processes = [proc(1, 0), proc(100, 1), proc(101, 100), proc(102, 100), proc(103, 101), proc(200, 1), proc(201, 200, 200), proc(300, 100)];

  it('finds a process group, one pid, and all descendants', () => {
    const matched = matchTargets(processes, [
      { service: 'mariadb', pgid: 200 },
      { service: 'converge', pid: 100 },
      { service: 'worker', childrenOf: 100 },
    ]);
    expect(matched.get('mariadb')).toEqual([200, 201]);
    expect(matched.get('converge')).toEqual([100]);
    expect(matched.get('worker')?.sort()).toEqual([101, 102, 103, 300]);
  });

  it('counts a process once, for the first target that matches it', () => {
    const matched = matchTargets(processes, [
      { service: 'kafka', pgid: 300 },
      { service: 'worker', childrenOf: 100 },
    ]);
    expect(matched.get('kafka')).toEqual([300]);
    expect(matched.get('worker')?.sort()).toEqual([101, 102, 103]);
  });

  it('keeps a target whose processes are gone, with no pids', () => {
    const matched = matchTargets(processes, [
      { service: 'connect', pgid: 999 },
      { service: 'gone', pid: 998 },
      { service: 'childless', childrenOf: 102 },
    ]);
    expect(Object.fromEntries(matched)).toEqual({ connect: [], gone: [], childless: [] });
  });
});
