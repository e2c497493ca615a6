// The fault matrix as CI runs it: `npm run bench` on the local env with search-pause,
// connect-restart and strategy-crash (scenarios/faults/) against cdc and naive, 20 s of mixed
// workload each. Every fault is injected on the real service and healed; cdc converges after each
// with every check passing; under strategy-crash it does so over more than 1,000 acknowledged
// writes, none of them lost (each still in MySQL at its version, so in the index too); naive's verdicts are whatever happened (it may diverge there), each fault recorded with
// its window, heal and the writes in flight; the exit code is 0 (every pair as its scenario
// expects).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { REPO_ROOT } from '../../harness/env/state.ts';
import { resultsFileSchema, type ScenarioResult } from '../../harness/results/schema.ts';
import { readHistory } from '../../harness/history/reader.ts';

const envDir = inject('envDir');
const SCENARIOS = ['search-pause', 'connect-restart', 'strategy-crash'];

async function acknowledgedWrites(runDir: string, result: ScenarioResult): Promise<number> {
  let writes = 0;
  for await (const entry of readHistory(path.join(runDir, result.history))) if (entry.type === 'ok' && entry.op.kind !== 'read') writes++;
  return writes;
}

describe('the fault matrix in CI', () => {
  it('injects and heals each fault; cdc converges after every one, naive is recorded as it went', { timeout: 20 * 60_000 }, async () => {
    const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'converge-faults-')), 'out');
    const files = SCENARIOS.map((name) => path.join(REPO_ROOT, 'scenarios', 'faults', `${name}.yaml`));
    const run = spawnSync(
      path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx'),
      [path.join(REPO_ROOT, 'harness', 'bench', 'cli.ts'), '--scenario', ...files, '--strategies', 'naive,cdc', '--param', 'seconds=20', '--no-baselines', '--out', out, '--env-dir', envDir],
      { cwd: REPO_ROOT, encoding: 'utf8', timeout: 19 * 60_000 },
    );
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    const file = resultsFileSchema.parse(JSON.parse(readFileSync(path.join(out, 'results.json'), 'utf8')));
    expect(file.results).toHaveLength(6);
    for (const result of file.results) {
      const pair = `${result.strategy} × ${result.scenario}`;
      expect(result.faults, pair).toHaveLength(1);
      const [fault] = result.faults;
      expect(fault!.state, `${pair}: ${JSON.stringify(fault)}`).toBe('injected');
      expect(fault!.errors, pair).toEqual([]);
      expect(fault!.heal!.ms, pair).toBeGreaterThanOrEqual(0);
      expect(fault!.startMs!, pair).toBeGreaterThan(0);
      expect(fault!.endMs!, pair).toBeGreaterThanOrEqual(fault!.startMs!);
      expect(fault!.writes, pair).toBeDefined();
      expect(result.lines.find((line) => line.check.startsWith('fault[0]'))?.outcome, pair).toBe('pass');
      if (result.strategy === 'cdc') {
        expect(result.verdict, `${pair}: ${result.reasons.join('\n')}`).toBe('pass');
        expect(result.convergence).toMatchObject({ state: 'checked', converged: true, missing: 0, extra: 0, mismatched: 0 });
        expect(result.convergence.state === 'checked' ? result.convergence.afterHealMs : undefined, pair).toEqual(expect.any(Number));
      }
    }
    const crash = file.results.find((result) => result.strategy === 'cdc' && result.scenario === 'fault-strategy-crash')!;
    expect(await acknowledgedWrites(out, crash)).toBeGreaterThan(1000);
    // No acknowledged write lost: each still in MySQL at its version or later (and, converged, in the index).
    expect(crash.lostWrites).toMatchObject({ state: 'checked', lost: 0 });
    expect(crash.lostWrites?.state === 'checked' ? crash.lostWrites.judgedKeys : 0).toBeGreaterThan(1000);
    expect(readFileSync(path.join(out, 'index.html'), 'utf8')).toContain('strategy-crash on worker at load 40%');
  });
});
