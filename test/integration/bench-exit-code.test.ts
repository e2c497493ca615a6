// `npm run bench` on the real services exits 1 when a pair's verdict is not what its scenario
// expects (a tiny scenario whose final-value expectation is wrong), and 0 when the failing pair is
// the control group the scenario says may diverge there, shown as an expected failure. It writes
// the run manifest (run.json) first, and each result records its expectation.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { REPO_ROOT } from '../../harness/env/state.ts';
import { runManifestSchema } from '../../harness/bench/run-manifest.ts';
import { resultsFileSchema } from '../../harness/results/schema.ts';

const envDir = inject('envDir');

const WRONG_FINAL_VALUE = `name: wrong-final
description: five increments of a counter that starts at 0, with an expectation of 6 (wrong on purpose)
entity:
  table: wrong_final
  columns: { n: { type: int } }
seed:
  rows: [{ id: 1, n: 0 }]
phases:
  - { name: bump, ops: 5, mix: { increment: 1 }, increment: { column: n, delta: 1 }, keys: { select: list, ids: [1] } }
faults: []
expect:
  convergenceTimeoutMs: 5000
  finalValues: [{ id: 1, values: { n: 6 } }]
`;

function bench(scenarioText: string): { status: number | null; stdout: string; stderr: string; out: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'converge-exit-'));
  const file = path.join(dir, 'wrong-final.yaml');
  writeFileSync(file, scenarioText);
  const out = path.join(dir, 'out');
  const run = spawnSync(
    path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx'),
    [path.join(REPO_ROOT, 'harness', 'bench', 'cli.ts'), '--scenario', file, '--strategies', 'naive', '--no-baselines', '--out', out, '--env-dir', envDir],
    { cwd: REPO_ROOT, encoding: 'utf8', timeout: 170_000 },
  );
  return { status: run.status, stdout: run.stdout, stderr: run.stderr, out };
}

describe('bench exit code', () => {
  it('exits 1 when a pair fails where its scenario expects a pass', () => {
    const run = bench(WRONG_FINAL_VALUE);
    expect(run.status, run.stderr).toBe(1);
    expect(run.stdout).toContain('NOT AS EXPECTED (exit 1):\n  naive × wrong-final failed: the scenario expects it to pass');
    const results = resultsFileSchema.parse(JSON.parse(readFileSync(path.join(run.out, 'results.json'), 'utf8')));
    expect(results.results[0]).toMatchObject({ verdict: 'fail', expectation: { verdict: 'pass', controlGroup: true } });
    expect(results.results[0]!.lines.find((line) => line.check === 'finalValues[0].n')).toMatchObject({ outcome: 'fail' });
    const manifest = runManifestSchema.parse(JSON.parse(readFileSync(path.join(run.out, 'run.json'), 'utf8')));
    expect(manifest).toMatchObject({ runId: results.runId, seed: 1, strategies: ['naive'], pairs: [{ strategy: 'naive', scenario: 'wrong-final', history: 'history-naive-wrong-final.jsonl' }] });
    expect(manifest.scenarios[0]!.text).toBe(WRONG_FINAL_VALUE);
  });

  it('exits 0 when the failing pair is the control group the scenario says may diverge, shown as expected', () => {
    const run = bench(`${WRONG_FINAL_VALUE}  mayFail: { naive: the expectation is wrong on purpose }\n`);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/naive\s+wrong-final\s+FAIL \(expected\)/);
    expect(run.stdout).toContain('naive × wrong-final: failed as expected: the expectation is wrong on purpose');
    expect(run.stdout).toContain('every pair is as its scenario expects (exit 0)');
    const results = resultsFileSchema.parse(JSON.parse(readFileSync(path.join(run.out, 'results.json'), 'utf8')));
    expect(results.results[0]).toMatchObject({ verdict: 'fail', expectation: { verdict: 'may-fail', reason: 'the expectation is wrong on purpose', controlGroup: true } });
    expect(readFileSync(path.join(run.out, 'index.html'), 'utf8')).toContain('fail (expected)');
  });
});
