// The harness end to end on the real services with the naive strategy: it converges on the seed's
// counter race and a small bulk run; documents the test itself deletes, alters and plants in the
// index after the workload (one under another row's _id) are reported as exactly those ids;
// acknowledged writes the test takes back in MySQL and the index alike (so the stores still agree)
// fail the pair on `acknowledgedWrites` with exactly those ids; a malformed scenario exits 2 with
// its YAML path before anything starts.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { runningEnv } from '../../harness/env/env-control.ts';
import { REPO_ROOT } from '../../harness/env/state.ts';
import { scenarioResultSchema } from '../../harness/results/schema.ts';
import { runStrategy } from '../../harness/run/run-strategy.ts';
import { loadScenario, parseScenario } from '../../harness/scenario/load.ts';
import { createMysqlPool } from '../../harness/stores/mysql.ts';
import { connectSearch } from '../../harness/stores/search/connect-search.ts';

const endpoints = inject('endpoints');
const scenarioFile = (name: string) => path.join(REPO_ROOT, 'scenarios', `${name}.yaml`);

function run(scenario: Awaited<ReturnType<typeof loadScenario>>, afterWorkload?: (names: { table: string; index: string }) => Promise<void>) {
  const runDir = mkdtempSync(path.join(os.tmpdir(), 'converge-run-'));
  return runStrategy({
    strategy: 'naive',
    scenario,
    seed: 7,
    endpoints,
    runId: 'it',
    runDir,
    signal: new AbortController().signal,
    log: () => {},
    skipPerOpCost: true,
    ...(afterWorkload ? { afterWorkload } : {}),
  });
}

const TAMPER = `
name: tamper
description: sequential upserts the test then tampers with
entity:
  table: tamper
  columns:
    name: { type: varchar, length: 32 }
    amount: { type: int }
seed:
  generate: { count: 50, firstId: 1 }
phases:
  - name: touch
    ops: 100
    concurrency: 1
    mix: { update: 1 }
    keys: { select: sequential }
faults: []
expect:
  convergenceTimeoutMs: 1500
`;

describe('naive through the harness', () => {
  it('converges on counter-race: the counter is 2 × increments + 1 in both stores', async () => {
    const scenario = await loadScenario(scenarioFile('counter-race'), { increments: '400' });
    const { result } = await run(scenario);
    expect(scenarioResultSchema.safeParse(result).success).toBe(true);
    expect(result.ops).toEqual({ attempted: 401, ok: 401, failed: 0, unknown: 0 });
    expect(result.convergence).toMatchObject({ state: 'checked', converged: true, missing: 0, extra: 0, mismatched: 0 });
    expect(result.lines.find((line) => line.check === 'finalValues[0].counter')).toMatchObject({ outcome: 'pass' });
    expect(result.lines.find((line) => line.check === 'finalValues[0].counter')?.reason).toContain('801');
    expect(result.lostWrites).toEqual({ state: 'checked', acknowledged: 401, judgedKeys: 1, unjudgedKeys: 0, lost: 0, samples: [] });
    expect(result.lines.find((line) => line.check === 'acknowledgedWrites')).toEqual({ check: 'acknowledgedWrites', outcome: 'pass', reason: 'MySQL holds every acknowledged write over 1 judged key' });
    expect(result.verdict).toBe('pass');
  });

  it('converges on a small seed-bulk after each phase', async () => {
    const scenario = await loadScenario(scenarioFile('seed-bulk'), { rows: '300' });
    const { result } = await run(scenario);
    expect(result.ops.ok).toBe(900);
    expect(result.series?.checkpoints.map((c) => [c.after, c.converged])).toEqual([
      ['insert-all', true],
      ['update-all', true],
      ['delete-all', true],
    ]);
    expect(result.verdict).toBe('pass');
    // Throughput over the phases' own running time: the three checkpoints' waits are not in it.
    const phaseMs = result.series!.phases.reduce((sum, phase) => sum + phase.ms, 0);
    expect(result.throughput.phases?.map((phase) => [phase.name, phase.ops])).toEqual([
      ['insert-all', 300],
      ['update-all', 300],
      ['delete-all', 300],
    ]);
    expect(result.throughput.runningMs).toBeGreaterThanOrEqual(phaseMs);
    expect(Math.abs(result.throughput.opsPerSec / (900_000 / phaseMs) - 1)).toBeLessThan(0.02);
    // Every 10th write sampled, every one timed: the deletes' documents were seen before they went.
    expect(result.lagSampling).toEqual({ every: 10, sampled: 90, observed: 90, censored: 0, superseded: 0, unconfirmed: 0 });
    expect(result.lagMs).toMatchObject({ state: 'measured', samples: 90 });
    // every row inserted, updated and deleted, each delete acknowledged: all 300 must be gone
    expect(result.lostWrites).toMatchObject({ state: 'checked', acknowledged: 900, judgedKeys: 300, lost: 0 });
  });

  it('reports exactly the documents the test removed, altered and planted in the index', async () => {
    const scenario = parseScenario(TAMPER, {}, 'tamper.yaml');
    const { result } = await run(scenario, async ({ index }) => {
      const search = await connectSearch(endpoints.search.url);
      await search.delete(index, '7');
      await search.delete(index, '23');
      const doc = await search.get(index, '31');
      await search.index(index, '31', { ...doc!.source, amount: -1 });
      await search.index(index, '999', { id: 999, version: 1, name: 'orphan', amount: 5 });
      // row 12's document, also in place of row 13's: right body, wrong _id
      await search.index(index, '13', (await search.get(index, '12'))!.source);
      await search.close();
    });
    expect(result.convergence).toMatchObject({
      state: 'checked',
      converged: false,
      timeMs: null,
      missing: 2,
      extra: 1,
      mismatched: 2,
      sampleIds: { missing: [7, 23], extra: [999], mismatched: [13, 31], extraNonNumeric: [] },
    });
    expect(result.verdict).toBe('fail');
    expect(result.reasons.join('\n')).toMatch(/fail: converged: 2 missing \(ids 7, 23\), 1 extra \(ids 999\), 2 mismatched \(ids 13, 31\)/);
    // the index was tampered with, MySQL was not: no acknowledged write is lost
    expect(result.lines.find((line) => line.check === 'acknowledgedWrites')).toMatchObject({ outcome: 'pass' });
  });

  it('fails on acknowledged writes taken back in MySQL and the index alike, which convergence cannot see', async () => {
    // Every row is updated twice (version 3). The test rolls row 17 back to its first update and
    // removes row 40, in both stores, so that they still agree.
    const scenario = parseScenario(TAMPER, {}, 'tamper.yaml');
    const { result } = await run(scenario, async ({ table, index }) => {
      const pool = createMysqlPool(endpoints.mysql, { connectionLimit: 1 });
      const search = await connectSearch(endpoints.search.url);
      try {
        await pool.query(`UPDATE \`${table}\` SET version = 2 WHERE id = 17`);
        await pool.query(`DELETE FROM \`${table}\` WHERE id = 40`);
        const doc = await search.get(index, '17');
        await search.index(index, '17', { ...doc!.source, version: 2 });
        await search.delete(index, '40');
      } finally {
        await pool.end();
        await search.close();
      }
    });
    expect(result.convergence).toMatchObject({ state: 'checked', converged: true, missing: 0, extra: 0, mismatched: 0 });
    expect(result.lostWrites).toMatchObject({
      state: 'checked',
      acknowledged: 100,
      judgedKeys: 50,
      lost: 2,
      samples: [
        { id: 17, acked: { kind: 'update', version: 3 }, final: 2 },
        { id: 40, acked: { kind: 'update', version: 3 }, final: null },
      ],
    });
    expect(result.verdict).toBe('fail');
    expect(result.lines.find((line) => line.check === 'acknowledgedWrites')).toEqual({
      check: 'acknowledgedWrites',
      outcome: 'fail',
      reason: '2 lost (id 17: acknowledged update v3, MySQL has v2; id 40: acknowledged update v3, MySQL has no row) over 50 judged keys',
    });
  });
});

describe('bench input errors', () => {
  it('exits 2 naming the YAML path of a malformed scenario, before any service starts', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'converge-bad-'));
    const bad = path.join(dir, 'bad.yaml');
    writeFileSync(
      bad,
      ['name: bad', 'description: broken on purpose', 'entity:', '  table: t', '  columns: { a: { type: int } }', 'phases:', '  - name: p', '    ops: 5', '    mix: { update: lots }', 'faults: []', ''].join('\n'),
    );
    const out = path.join(dir, 'out');
    const envBefore = runningEnv() !== undefined;
    const started = Date.now();
    const bench = spawnSync(path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), [path.join(REPO_ROOT, 'harness', 'bench', 'cli.ts'), '--scenario', bad, '--out', out], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(bench.status).toBe(2);
    expect(bench.stderr).toContain('phases[0].mix.update');
    expect(existsSync(out)).toBe(false);
    expect(runningEnv() !== undefined).toBe(envBefore);
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('exits 2 on an unknown strategy name', () => {
    const bench = spawnSync(path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), [path.join(REPO_ROOT, 'harness', 'bench', 'cli.ts'), '--strategies', 'naive,telepathy'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(bench.status).toBe(2);
    expect(bench.stderr).toContain('--strategies: unknown strategy "telepathy"');
  });
});
