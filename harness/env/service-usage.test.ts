// The sampler on this machine's real /proc (no mocks): a busy child process reads as busy, a
// sleeping one as idle, both with memory; and the targets read from a local or external env.json.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { usageSchema } from '../results/pipeline-schema.ts';
import { envUsageTargets, startUsageSampler } from './service-usage.ts';
import { writeState, type EnvState } from './state.ts';

const children: ChildProcess[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function run(script: string): ChildProcess {
  const child = spawn(process.execPath, ['-e', script], { stdio: 'ignore' });
  children.push(child);
  return child;
}
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('startUsageSampler on /proc', () => {
  it('reads a busy process as busier than a sleeping one, with memory, and the bench’s children', async () => {
    const busy = run('const t = Date.now(); while (Date.now() - t < 3000) {}');
    const idle = run('setTimeout(() => {}, 10000)');
    await sleep(300); // both started (node's own start-up is not what is measured)
    const sampler = startUsageSampler([
      { service: 'busy', pid: busy.pid! },
      { service: 'idle', pid: idle.pid! },
      { service: 'gone', pid: 2 ** 22 + 1 },
      { service: 'kids', childrenOf: process.pid },
    ]);
    await sleep(1500);
    const usage = sampler.stop();
    expect(sampler.stop()).toBe(usage);
    expect(usageSchema.parse(usage)).toEqual(usage);
    if (usage.state !== 'measured') throw new Error(usage.reason);
    const of = (name: string) => usage.services.find((s) => s.service === name)!;
    expect(usage.windowMs).toBeGreaterThanOrEqual(1400);
    expect(of('busy').pids).toEqual([busy.pid]);
    expect(of('busy').cpuCores).toBeGreaterThan(0.3);
    expect(of('busy').cpuPeakCores).toBeGreaterThanOrEqual(of('busy').cpuCores);
    expect(of('idle').cpuCores).toBeLessThan(0.1);
    expect(of('busy').rssMaxBytes).toBeGreaterThan(0);
    expect(of('idle').rssMeanBytes).toBeGreaterThan(0);
    expect(of('gone')).toEqual({ service: 'gone', pids: [], cpuCores: 0, cpuPeakCores: 0, rssMeanBytes: 0, rssMaxBytes: 0 });
    // The two children were claimed by the targets before `kids`: each process counts once.
    expect(of('kids').pids).not.toContain(busy.pid);
    expect(usage.busiest).toBe('busy');
    expect(usage.cores).toBeGreaterThan(0);
  });

  it('measures a window shorter than one interval', async () => {
    const busy = run('const t = Date.now(); while (Date.now() - t < 2000) {}');
    await sleep(300);
    const sampler = startUsageSampler([{ service: 'busy', pid: busy.pid! }], { intervalMs: 10_000 });
    await sleep(400);
    const usage = sampler.stop();
    if (usage.state !== 'measured') throw new Error(usage.reason);
    expect(usage.intervalMs).toBe(10_000);
    expect(usage.services[0]!.cpuCores).toBeGreaterThan(0.2);
  });

  it('passes an unavailable reason through', () => {
    expect(startUsageSampler({ unavailable: 'docker' }).stop()).toEqual({ state: 'unavailable', reason: 'docker' });
    expect(startUsageSampler([]).stop()).toEqual({ state: 'unavailable', reason: 'no services to sample' });
  });
});

describe('envUsageTargets', () => {
  function envDir(state?: Omit<EnvState, 'dir'>): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'converge-usage-'));
    dirs.push(dir);
    if (state) writeState({ ...state, dir });
    return dir;
  }
  const base = { startedAt: '2026-01-01T00:00:00Z', timings: {} };

  it('samples each local service’s process group, the bench and its children', () => {
    const dir = envDir({
      ...base,
      provider: 'local',
      services: [
        { name: 'mariadb', pid: 5838, ports: [1] },
        { name: 'kafka', pid: 5873, ports: [2] },
        { name: 'opensearch', pid: 5874, ports: [3] },
        { name: 'connect', pid: 6085, ports: [4] },
        { name: 'not-started', ports: [5] },
      ],
    });
    expect(envUsageTargets(dir)).toEqual([
      { service: 'mariadb', pgid: 5838 },
      { service: 'kafka', pgid: 5873 },
      { service: 'search', pgid: 5874 },
      { service: 'connect', pgid: 6085 },
      { service: 'converge', pid: process.pid },
      { service: 'worker', childrenOf: process.pid },
    ]);
  });

  it('is unavailable for an external or docker env, and with no env', () => {
    const external = envDir({ ...base, provider: 'external', services: [] });
    expect(envUsageTargets(external)).toEqual({ unavailable: expect.stringContaining('external') as string });
    const docker = envDir({ ...base, provider: 'docker', services: [{ name: 'kafka', containerId: 'abc', ports: [1] }] });
    expect(envUsageTargets(docker)).toEqual({ unavailable: expect.stringContaining('docker') as string });
    const none = envDir();
    expect(envUsageTargets(none)).toEqual({ unavailable: expect.stringContaining('no env is recorded') as string });
  });
});
