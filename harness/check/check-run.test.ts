// `npm run check`: a run folder killed mid-run (its history's last line cut mid-way, an operation
// invoked and never completed, no results.json) is re-judged from run.json and the history alone —
// counts, latency, anomalies with their verdict lines — with convergence left `unknown`; a failed
// anomaly line exits 1 where the strategy must pass and 0 where the scenario allows it to fail; a
// folder that is not a run folder exits 2.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../env/state.ts';
import type { RunManifest } from '../bench/run-manifest.ts';
import { checkFileSchema } from './check-file.ts';
import { checkRun } from './check-run.ts';
import { NEEDS_THE_STORES } from './judge-history.ts';

const SCENARIO = `name: tiny
description: two rows, updated and read
entity:
  table: tiny
  columns: { n: { type: int } }
seed:
  rows: [{ id: 1, n: 0 }, { id: 2, n: 0 }]
phases:
  - { name: p, ops: 4, concurrency: 2, mix: { update: 1, read: 1 }, checkpoint: true }
expect:
  finalValues: [{ id: 2, values: { n: 7 } }]
`;

const update = (index: number, id: number, n: number) => ({ index, phase: 'p', kind: 'update', id, values: { n } });
const read = (index: number, id: number) => ({ index, phase: 'p', kind: 'read', id });
const HISTORY = [
  { index: 0, process: 0, type: 'invoke', op: update(0, 1, 5), time: 10 },
  { index: 1, process: 0, type: 'ok', op: update(0, 1, 5), time: 12, value: { id: 1, n: 5, version: 2 }, version: 2 },
  { index: 2, process: 1, type: 'invoke', op: read(1, 1), time: 13 },
  // a value no write produced: a dirty read
  { index: 3, process: 1, type: 'ok', op: read(1, 1), time: 14, store: 'index', value: { found: true, doc: { id: 1, n: 99, version: 2 }, version: 2 }, version: 2 },
  { index: 4, process: 0, type: 'invoke', op: update(2, 2, 7), time: 15 },
  { index: 5, process: 0, type: 'ok', op: update(2, 2, 7), time: 19, value: { id: 2, n: 7, version: 2 }, version: 2 },
  { index: 6, process: 1, type: 'invoke', op: update(3, 2, 8), time: 20 },
].map((entry) => JSON.stringify(entry));
// the writer was killed while writing the completion of index 6
const CUT = JSON.stringify({ index: 7, process: 1, type: 'ok', op: update(3, 2, 8), time: 25 }).slice(0, 40);

function runFolder(text = SCENARIO): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'converge-check-'));
  const manifest: RunManifest = {
    runId: 'killed-run',
    startedAt: '2026-11-27T20:00:00.000Z',
    pid: 12345,
    seed: 1,
    strategies: ['naive', 'cdc'],
    paramOverrides: {},
    scenarios: [{ name: 'tiny', file: '/somewhere/tiny.yaml', text, overrides: {}, params: {} }],
    pairs: [
      { strategy: 'naive', scenario: 'tiny', history: 'history-naive-tiny.jsonl' },
      { strategy: 'cdc', scenario: 'tiny', history: 'history-cdc-tiny.jsonl' },
    ],
  };
  writeFileSync(path.join(dir, 'run.json'), JSON.stringify(manifest));
  writeFileSync(path.join(dir, 'history-naive-tiny.jsonl'), `${HISTORY.join('\n')}\n${CUT}`);
  return dir;
}

const check = (dir: string) =>
  spawnSync(path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), [path.join(REPO_ROOT, 'harness', 'check', 'cli.ts'), dir], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 });

describe('npm run check', () => {
  it('re-judges a killed run from its history alone, skipping the cut last line', async () => {
    const dir = runFolder();
    const { file, path: written } = await checkRun(dir);
    expect(checkFileSchema.safeParse(JSON.parse(readFileSync(written, 'utf8'))).success).toBe(true);
    expect(file.runFinished).toBe(false);
    const [naive, cdc] = file.pairs;
    expect(naive).toMatchObject({ state: 'judged', truncatedTail: { line: 8, chars: 40 }, ops: { attempted: 4, ok: 3, failed: 0, unknown: 0, unfinished: 1 } });
    expect(naive!.latencyMs).toMatchObject({ state: 'measured', samples: 2, max: 4 });
    expect(naive!.anomalies).toMatchObject({ state: 'checked', dirtyReads: 1, resurrections: 0, versionRegressions: 0 });
    expect(naive!.lines.find((l) => l.check === 'anomalies.dirtyReads')).toEqual({ check: 'anomalies.dirtyReads', outcome: 'fail', reason: '1 seen (ids 1) over 1 judged read, at most 0 allowed' });
    for (const check of ['converged after p', 'converged', 'finalValues[0]', 'acknowledgedWrites']) {
      expect(naive!.lines.find((l) => l.check === check)).toEqual({ check, outcome: 'unknown', reason: NEEDS_THE_STORES });
    }
    expect(naive).toMatchObject({ failedLines: 1, asExpected: false });
    expect(cdc).toMatchObject({ state: 'no-history', ops: { attempted: 0 }, failedLines: 0, asExpected: true });
  });

  it('exits 1 when a judged line fails where the strategy must pass, and prints what it found', () => {
    const dir = runFolder();
    const out = check(dir);
    expect(out.status).toBe(1);
    expect(out.stdout).toContain('did not finish (no results.json)');
    expect(out.stdout).toContain("naive × tiny: the history's last line (line 8, 40 characters) was cut short");
    expect(out.stdout).toContain('naive × tiny: fail: anomalies.dirtyReads: 1 seen (ids 1) over 1 judged read, at most 0 allowed');
    expect(existsSync(path.join(dir, 'check.json'))).toBe(true);
  });

  it('exits 0 when the scenario allows that strategy to fail', () => {
    const dir = runFolder(`${SCENARIO}  mayFail: { naive: the control group races }\n`);
    const out = check(dir);
    expect(out.status).toBe(0);
    expect(out.stdout).toContain('(the scenario allows this strategy to fail)');
  });

  it('exits 2 for a folder without a run manifest', () => {
    const out = check(mkdtempSync(path.join(os.tmpdir(), 'converge-check-empty-')));
    expect(out.status).toBe(2);
    expect(out.stderr).toContain('run.json');
  });
});
