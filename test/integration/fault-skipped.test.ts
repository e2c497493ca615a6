// A fault the provider cannot inject skips the pair: `npm run bench` against an env recorded as the
// external provider (here the live env's own services, as a user's would be) with a scenario that
// restarts the search engine records the pair as skipped with the reason, starts nothing for it,
// kills nothing, and exits 0 with the skipped pair named.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { REPO_ROOT, writeState } from '../../harness/env/state.ts';
import { resultsFileSchema } from '../../harness/results/schema.ts';
import { readState } from '../../harness/env/state.ts';

const live = inject('endpoints');
const liveEnvDir = inject('envDir');

describe('a fault the provider cannot inject', () => {
  it('skips the pair with the reason, and touches no service', { timeout: 5 * 60_000 }, async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'converge-skip-'));
    const envDir = path.join(dir, 'env');
    writeState({ provider: 'external', dir: envDir, startedAt: new Date().toISOString(), endpoints: { ...live, provider: 'external' }, services: [], timings: {} });
    const scenario = readFileSync(path.join(REPO_ROOT, 'scenarios', 'faults', 'search-restart.yaml'), 'utf8');
    const file = path.join(dir, 'search-restart.yaml');
    writeFileSync(file, scenario);
    const restartsBefore = readState(liveEnvDir)?.services.find((service) => service.name === 'opensearch')?.restarts ?? 0;
    const out = path.join(dir, 'out');
    const run = spawnSync(
      path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx'),
      [path.join(REPO_ROOT, 'harness', 'bench', 'cli.ts'), '--scenario', file, '--strategies', 'naive', '--no-baselines', '--out', out, '--env-dir', envDir],
      { cwd: REPO_ROOT, encoding: 'utf8', timeout: 4 * 60_000 },
    );
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    const reason = "faults[0] search-restart: the external provider's search is run by the user, not by converge: it cannot kill it";
    expect(run.stdout).toContain(`1 pair SKIPPED, not run (they neither pass nor fail):\n  naive × fault-search-restart skipped: ${reason}`);
    const results = resultsFileSchema.parse(JSON.parse(readFileSync(path.join(out, 'results.json'), 'utf8')));
    expect(results.provider).toBe('external');
    expect(results.results[0]).toMatchObject({ verdict: 'skipped', skipped: { reason }, ops: { attempted: 0 }, faults: [] });
    expect(readState(liveEnvDir)?.services.find((service) => service.name === 'opensearch')?.restarts ?? 0).toBe(restartsBefore);
    const response = await fetch(live.search.url);
    expect(response.ok).toBe(true);
  });
});
