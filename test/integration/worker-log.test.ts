// The console is converge's: a real cdc pair (MariaDB → Debezium → Kafka → sink → OpenSearch), run
// in a process of its own as the bench runs it, prints converge's progress lines and no kafkajs
// log line, while the pair's worker log in the run folder holds the worker's own output and its
// kafkajs logs as JSON lines; and the result carries the capture's configuration apart from its
// figures.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { REPO_ROOT } from '../../harness/env/state.ts';
import { scenarioResultSchema } from '../../harness/results/schema.ts';
import type { PairJob } from './run-pair-main.ts';

const endpoints = inject('endpoints');
const runDir = mkdtempSync(path.join(os.tmpdir(), 'converge-worker-log-'));
afterAll(() => rmSync(runDir, { recursive: true, force: true }));

/** A kafkajs log line in either of its shapes: its default JSON logger's, or the text of a namespace like `[Connection]`. */
const KAFKAJS_LINE = /"logger":"kafkajs"|\[(Connection|Consumer|Producer|Runner|BrokerPool|Cluster|ConsumerGroup|Admin)\]/;

function runPair(job: PairJob): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'test', 'integration', 'run-pair-main.ts'), JSON.stringify(job)], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

describe('the console and the worker log', () => {
  it('a cdc pair prints no kafkajs line; its worker log holds the worker output and kafkajs JSON lines', async () => {
    const job: PairJob = {
      strategy: 'cdc',
      scenarioFile: path.join(REPO_ROOT, 'scenarios', 'counter-race.yaml'),
      params: { increments: '30' },
      runDir,
      runId: `it-log-${randomUUID().slice(0, 6)}`,
      endpoints,
    };
    const { code, stdout, stderr } = await runPair(job);
    const console = `${stdout}${stderr}`;
    expect(code, console).toBe(0);
    expect(stderr).toMatch(/^converge: cdc\/counter-race: seeded 1 rows; warm-up done in \d+ ms$/m);
    expect(console.split('\n').filter((line) => KAFKAJS_LINE.test(line))).toEqual([]);
    expect(console).not.toContain('converge worker for cdc');

    const logFile = path.join(runDir, 'worker-cdc-counter-race.log');
    expect(existsSync(logFile)).toBe(true);
    const lines = readFileSync(logFile, 'utf8').trim().split('\n');
    expect(lines[0]).toMatch(/^\S+ converge worker for cdc: pid \d+, ready$/);
    const kafkajs = lines.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(kafkajs.length).toBeGreaterThan(0);
    for (const entry of kafkajs) {
      expect(entry.logger).toBe('kafkajs');
      expect(['ERROR', 'WARN', 'INFO']).toContain(entry.level);
      expect(typeof entry.message).toBe('string');
    }
    expect(kafkajs.some((entry) => entry.namespace === 'ConsumerGroup' || entry.namespace === 'Consumer' || entry.namespace === 'Runner')).toBe(true);

    const result = scenarioResultSchema.parse(JSON.parse(readFileSync(path.join(runDir, 'result.json'), 'utf8')));
    expect(result.log).toBe('worker-cdc-counter-race.log');
    expect(result.verdict, result.reasons.join('\n')).toBe('pass');
    // figures in stats, the configuration apart
    for (const [key, value] of Object.entries(result.stats)) expect(typeof value, key).not.toBe('string');
    expect(result.stats.eventsReceived).toBeGreaterThan(0);
    const config = result.config as Record<string, Record<string, unknown>> & { sourceConfigChanges: string[] };
    expect(config.sourceConfig?.['database.password']).toBe('********');
    expect(config.sourceConfig?.['connector.class']).toMatch(/^io\.debezium\.connector\.(mariadb\.MariaDb|mysql\.MySql)Connector$/);
    expect(config.sourceConfigChanges.length).toBeGreaterThan(0);
    expect(config.sinkSettings).toMatchObject({ writeMethod: 'upsert', nullValues: 'delete', keyIgnore: false });
    expect(config.connector).toBe(`cv_${job.runId}_${(config.sourceConfig?.['table.include.list'] as string).split('.')[1]}`);
  });
});
