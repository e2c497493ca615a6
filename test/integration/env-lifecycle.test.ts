// The env CLI's contract on the real services: `up --json` prints live endpoints that answer,
// `down` leaves no process alive and no port listening; a missing prerequisite fails with its name
// before anything starts; a start that fails halfway stops what it had already started.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Endpoints } from '../../harness/env/endpoints.ts';
import { LocalProvider } from '../../harness/env/local/local-provider.ts';
import { isListening } from '../../harness/env/local/ports.ts';
import { probeEndpoints } from '../../harness/env/probe.ts';
import { REPO_ROOT } from '../../harness/env/state.ts';

const TSX = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
const CLI = path.join(REPO_ROOT, 'harness', 'env', 'cli.ts');

function runCli(args: string[], env: NodeJS.ProcessEnv = process.env) {
  const result = spawnSync(TSX, [CLI, ...args], { cwd: REPO_ROOT, env, encoding: 'utf8', timeout: 600_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Pids of processes whose command line mentions `dir` (what converge started there). */
function processesUsing(dir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
      const state = readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]?.[0];
      if (cmdline.includes(dir) && state !== 'Z') pids.push(Number(entry));
    } catch {
      // exited while we looked
    }
  }
  return pids;
}

async function listening(ports: number[]): Promise<number[]> {
  const open: number[] = [];
  for (const port of ports) if (await isListening(port)) open.push(port);
  return open;
}

function portsOf(endpoints: Endpoints): number[] {
  return [endpoints.mysql.port, Number(new URL(`kafka://${endpoints.kafka.brokers[0]}`).port), Number(new URL(endpoints.connect.url).port), Number(new URL(endpoints.search.url).port)];
}

describe('env CLI lifecycle', () => {
  it('up --json prints endpoints that answer; down stops every process and frees every port', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'converge-env-'));
    const up = runCli(['up', '--provider', 'local', '--json', '--dir', dir]);
    expect(up.code, up.stderr).toBe(0);
    const lastLine = up.stdout.trim().split('\n').at(-1)!;
    const endpoints = JSON.parse(lastLine) as Endpoints;
    expect(endpoints.provider).toBe('local');
    expect(Object.keys(endpoints).sort()).toEqual(['connect', 'kafka', 'mysql', 'provider', 'search']);
    const probes = await probeEndpoints(endpoints);
    expect(probes.mysql).toMatchObject({ ok: true, logBin: true, binlogFormat: 'ROW', binlogRowImage: 'FULL' });
    expect(probes.kafka).toMatchObject({ ok: true, brokers: 1 });
    expect(probes.connect.connectorClasses).toContain('io.debezium.connector.mariadb.MariaDbConnector');
    expect(probes.search).toMatchObject({ ok: true, engine: 'opensearch' });
    expect(processesUsing(dir).length).toBeGreaterThanOrEqual(4);

    const status = runCli(['status', '--json', '--dir', dir]);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout.trim().split('\n').at(-1)!)).toMatchObject({ provider: 'local', mysql: { port: endpoints.mysql.port } });

    const down = runCli(['down', '--wipe', '--dir', dir]);
    expect(down.code, down.stderr).toBe(0);
    expect(processesUsing(dir)).toEqual([]);
    expect(await listening(portsOf(endpoints))).toEqual([]);
    expect(runCli(['status', '--dir', dir]).code).toBe(3);
  });

  it('fails with the missing prerequisite named, exit 2, and starts nothing', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'converge-env-'));
    // A PATH with node and java but without Maven.
    const binDir = mkdtempSync(path.join(os.tmpdir(), 'converge-bin-'));
    spawnSync('ln', ['-s', process.execPath, path.join(binDir, 'node')]);
    const java = spawnSync('sh', ['-c', 'command -v java'], { encoding: 'utf8' }).stdout.trim();
    spawnSync('ln', ['-s', java, path.join(binDir, 'java')]);
    const up = runCli(['up', '--provider', 'local', '--dir', dir], { ...process.env, PATH: binDir, JAVA_HOME: '' });
    expect(up.code).toBe(2);
    expect(up.stderr).toContain('missing prerequisite: mvn');
    expect(up.stderr).toContain('apt-get install maven');
    expect(processesUsing(dir)).toEqual([]);
  });

  it('stops the services already started when a later one fails to become ready', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'converge-env-'));
    const ready: { name: string; port: number }[] = [];
    // MariaDB is ready in well under a second; OpenSearch and Connect need far more than 6 s here.
    const provider = new LocalProvider({
      dir,
      readyTimeoutMs: 6000,
      log: (line) => {
        const match = /^(\w+) ready on 127\.0\.0\.1:(\d+)/.exec(line);
        if (match) ready.push({ name: match[1]!, port: Number(match[2]) });
      },
    });
    await expect(provider.start()).rejects.toThrow(/not ready within 6000 ms/);
    expect(ready.map((service) => service.name)).toContain('mariadb');
    expect(processesUsing(dir)).toEqual([]);
    expect(await listening(ready.map((service) => service.port))).toEqual([]);
  });
});
