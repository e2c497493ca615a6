// The pipeline suite as CI runs it, small: `npm run bench -- --suite pipeline` on the local env with
// 5,000 changes, 5,000 snapshot rows, 1,000 write-path inserts and 10 s at half load. Every target
// is measured (none failed), each beside its raw rate from the same run, each with every service's
// CPU and RSS from /proc; the stores converge in each; the probe and both half-load runs are pairs
// that pass; the report shows the section. Speed goals are recorded and printed, never asserted:
// this machine is shared and small sizes are noisy (the goals are judged on `--repeat 3` medians).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { REPO_ROOT } from '../../harness/env/state.ts';
import { PIPELINE_TARGETS } from '../../harness/results/pipeline-schema.ts';
import { resultsFileSchema } from '../../harness/results/schema.ts';

const envDir = inject('envDir');
const SERVICES = ['mariadb', 'kafka', 'search', 'connect', 'converge', 'worker'];

describe('the pipeline suite in CI', () => {
  it('measures every target beside its raw rate, with per-service CPU and RSS, and converges', { timeout: 15 * 60_000 }, () => {
    const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'converge-pipeline-')), 'out');
    const params = ['changes=5000', 'snapshotRows=5000', 'writePathOps=1000', 'probeOps=1500', 'halfLoadSeconds=10'].flatMap((p) => ['--param', p]);
    const run = spawnSync(path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), [path.join(REPO_ROOT, 'harness', 'bench', 'cli.ts'), '--suite', 'pipeline', ...params, '--out', out, '--env-dir', envDir], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      timeout: 14 * 60_000,
    });
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toContain('pipeline targets: medians of 1 repetition');
    const file = resultsFileSchema.parse(JSON.parse(readFileSync(path.join(out, 'results.json'), 'utf8')));
    const pipeline = file.pipeline!;
    expect(pipeline.params).toMatchObject({ changes: 5000, snapshotRows: 5000, writePathOps: 1000, halfLoadSeconds: 10 });
    expect(pipeline.runs).toHaveLength(1);
    const measured = pipeline.runs[0]!;
    expect(measured.map((m) => m.target).sort()).toEqual([...PIPELINE_TARGETS].sort());
    for (const m of measured) {
      expect(m.state, `${m.target}: ${m.error}`).toBe('measured');
      if (m.target !== 'write-path') expect(m.converged, m.target).toBe(true);
      expect(m.usage.state, m.target).toBe('measured');
      if (m.usage.state === 'measured') {
        expect(m.usage.services.map((s) => s.service)).toEqual(SERVICES);
        for (const s of m.usage.services.filter((s) => s.service !== 'worker')) {
          expect(s.pids.length, `${m.target} ${s.service}`).toBeGreaterThan(0);
          expect(s.rssMaxBytes, `${m.target} ${s.service}`).toBeGreaterThan(0);
        }
        expect(SERVICES).toContain(m.usage.busiest);
      }
    }
    const byTarget = Object.fromEntries(measured.map((m) => [m.target, m]));
    // Each rate beside its raw rate from the same run, as a ratio.
    for (const target of ['sink-catch-up', 'snapshot-catch-up', 'write-path'] as const) {
      const { rate, raw, ratio } = byTarget[target]!.figures;
      expect(rate!.value, target).toBeGreaterThan(0);
      expect(raw!.value, target).toBeGreaterThan(0);
      expect(ratio!.value).toBeCloseTo(rate!.value / raw!.value, 6);
    }
    expect(byTarget['sink-catch-up']!.config.applied).toBe(5000);
    // The write path's worker ran in its own process: its CPU is counted under `worker`.
    const writeUsage = byTarget['write-path']!.usage;
    expect(writeUsage.state === 'measured' ? writeUsage.services.find((s) => s.service === 'worker')!.cpuCores : 0).toBeGreaterThan(0);
    for (const target of ['lag-half-load', 'lag-half-load-tuned'] as const) {
      const m = byTarget[target]!;
      expect(m.figures.lagP50!.value, target).toBeGreaterThanOrEqual(0);
      expect(m.figures.lagP99!.value, target).toBeGreaterThanOrEqual(m.figures.lagP50!.value);
      expect(m.figures.rate!.value, target).toBeCloseTo(m.figures.sustainableRate!.value / 2, -1);
      expect(m.goals.map((g) => g.figure)).toEqual(['lagP50', 'lagP99']);
    }
    // The probe and the two half-load runs are ordinary pairs, judged like any.
    expect(file.results.map((r) => r.scenario)).toEqual(['pipeline-sustainable-probe', 'pipeline-half-load', 'pipeline-half-load-tuned']);
    for (const result of file.results) expect(result.verdict, `${result.scenario}: ${result.reasons.join('\n')}`).toBe('pass');
    expect(pipeline.summary.map((s) => s.target).sort()).toEqual([...PIPELINE_TARGETS].sort());
    expect(readFileSync(path.join(out, 'index.html'), 'utf8')).toContain('Pipeline targets');
  });
});
