// converge: re-judging a whole run folder from its manifest (run.json: scenarios, params, seed,
// pairs) and histories, without the services, into check.json — and its console summary.
import { existsSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../errors.ts';
import { readRunManifest } from '../bench/run-manifest.ts';
import { parseScenario } from '../scenario/load.ts';
import type { Scenario } from '../scenario/schema.ts';
import { checkFileSchema, type CheckFile, type PairCheck } from './check-file.ts';
import { judgeHistory } from './judge-history.ts';

export const CHECK_FILE = 'check.json';

const fmt = (value: number) => value.toFixed(1);

function summaryRow(pair: PairCheck): string[] {
  const a = pair.anomalies;
  const o = pair.ops;
  const counts = (outcome: string) => pair.lines.filter((line) => line.outcome === outcome).length;
  return [
    pair.strategy,
    pair.scenario,
    pair.state,
    `${o.attempted}/${o.ok}/${o.failed}/${o.unknown}/${o.unfinished}`,
    pair.latencyMs.state === 'measured' ? `${fmt(pair.latencyMs.p50)}/${fmt(pair.latencyMs.p99)}` : '-',
    a.state === 'checked' ? `${a.dirtyReads}/${a.resurrections}/${a.versionRegressions}/${a.staleReads}` : 'unknown',
    `${counts('pass')}/${counts('fail')}/${counts('unknown')}`,
    pair.failedLines === 0 ? 'no failure' : pair.asExpected ? 'FAIL (expected)' : 'FAIL',
  ];
}

export function checkSummary(file: CheckFile): string {
  const header = ['strategy', 'scenario', 'history', 'ops att/ok/fail/unk/unfinished', 'lat p50/p99 ms', 'dirty/res/regr/stale', 'lines pass/fail/unknown', 'judged'];
  const rows = file.pairs.map(summaryRow);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ');
  const notes = file.pairs.flatMap((pair) => {
    const name = `${pair.strategy} × ${pair.scenario}`;
    return [
      ...(pair.truncatedTail ? [`${name}: the history's last line (line ${pair.truncatedTail.line}, ${pair.truncatedTail.chars} characters) was cut short, as by a killed writer, and skipped`] : []),
      ...(pair.error ? [`${name}: the history could not be read: ${pair.error}`] : []),
      ...(pair.ops.unfinished > 0 ? [`${name}: ${pair.ops.unfinished} operation(s) invoked and never completed: their outcome is unknown`] : []),
      ...pair.lines.filter((l) => l.outcome === 'fail').map((l) => `${name}: fail: ${l.check}: ${l.reason}${pair.asExpected ? ' (the scenario allows this strategy to fail)' : ''}`),
    ];
  });
  return [
    `run ${file.runId}: ${file.runFinished ? 'finished (results.json exists)' : 'did not finish (no results.json)'}; convergence, final values, lag and acknowledged writes need the stores and are not judged here`,
    '',
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    ...(notes.length > 0 ? ['', ...notes] : []),
  ].join('\n');
}

/** Judges a run folder and writes its check.json; throws ConfigError/ScenarioError for a bad folder. */
export async function checkRun(runDir: string): Promise<{ file: CheckFile; path: string }> {
  if (!existsSync(runDir) || !statSync(runDir).isDirectory()) throw new ConfigError(`${runDir} is not a folder`);
  const manifest = readRunManifest(runDir);
  const scenarios = new Map<string, Scenario>();
  for (const entry of manifest.scenarios) scenarios.set(entry.name, parseScenario(entry.text, entry.overrides, `${entry.file} (as recorded in run.json)`));
  const pairs: PairCheck[] = [];
  for (const pair of manifest.pairs) {
    const scenario = scenarios.get(pair.scenario);
    if (!scenario) throw new ConfigError(`run.json: pair ${pair.strategy} × ${pair.scenario} names a scenario the manifest does not hold`);
    pairs.push(await judgeHistory({ runDir, scenario, strategy: pair.strategy, seed: manifest.seed, history: pair.history }));
  }
  const file = checkFileSchema.parse({ runId: manifest.runId, checkedAt: new Date().toISOString(), runFinished: existsSync(path.join(runDir, 'results.json')), pairs });
  const target = path.join(runDir, CHECK_FILE);
  writeFileSync(target, `${JSON.stringify(file, null, 2)}\n`);
  return { file, path: target };
}

