// `npm run bench`: the main job. Runs every chosen scenario through every chosen strategy against
// the real services and writes a run folder (results.json, one history per pair) and a summary.
//   1. parse the options and load every scenario — bad input exits 2 before anything starts;
//   2. reuse the environment already running from .converge/env, or start a local one (and stop
//      it at the end);
//   3. run each scenario × strategy (runStrategy holds that lifecycle);
//   4. write results.json (validated against its schema) and print the summary.
// Ctrl-C stops taking new operations, finishes the pairs' checks, writes the partial results and
// stops what it started; a second Ctrl-C exits at once after stopping the services.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command, Option } from 'commander';
import { MultiBar, Presets } from 'cli-progress';
import { ConfigError, PrerequisiteError } from '../errors.ts';
import { envDown, envUp, runningEnv } from '../env/env-control.ts';
import { DEFAULT_ENV_DIR, REPO_ROOT } from '../env/state.ts';
import { resultsFileSchema, SCHEMA_VERSION, type ResultsFile, type ScenarioResult } from '../results/schema.ts';
import { ScenarioError } from '../scenario/errors.ts';
import { loadScenario } from '../scenario/load.ts';
import { measureBulkIndexRate, measureMysqlInsertRate, type Baselines } from '../run/baselines.ts';
import { crashedResult } from '../run/crashed-result.ts';
import { runStrategy } from '../run/run-strategy.ts';
import { workerLogName } from '../run/worker-log.ts';
import type { Scenario } from '../scenario/schema.ts';
import { FULL_PARAMS, defaultScenarioFiles, parseParams, parseStrategies, routeParams } from './options.ts';
import { summaryTable } from './summary-table.ts';
import { writeReport } from '../../reports/write-report.ts';

const say = (line: string) => process.stderr.write(`converge: ${line}\n`);

function gitCommit(): string | null {
  const result = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : null;
}

function runContext(files: string[], scenarios: Scenario[], durationMs: number): NonNullable<ResultsFile['context']> {
  const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
  return {
    machine: { cores: os.cpus().length, memoryBytes: os.totalmem(), platform: `${os.platform()} ${os.release()}`, node: process.version },
    converge: { version: pkg.version, commit: gitCommit() },
    durationMs,
    scenarios: scenarios.map((scenario, i) => ({
      name: scenario.name,
      file: path.relative(REPO_ROOT, files[i]!),
      description: scenario.description,
      params: scenario.params,
      text: readFileSync(files[i]!, 'utf8'),
    })),
  };
}

function runIdNow(): string {
  return new Date().toISOString().replace(/[:.]/g, '-').replace('T', '_').slice(0, 19);
}

async function main(argv: string[]): Promise<number> {
  const program = new Command('bench')
    .description('Run scenarios through strategies against real services and judge whether the stores converge.')
    .option('--scenario <file...>', 'scenario YAML file (repeatable); default: the shipped suite')
    .option('--strategies <names>', 'comma-separated strategy names; default: every registered strategy')
    .option('--param <key=value...>', 'override a scenario param (repeatable)')
    .option('--out <dir>', 'run folder; default reports/out/<run-id>')
    .option('--full', "the seed's full sizes (seed-bulk at 100,000 rows)")
    .option('--keep-data', "keep each pair's table and index after the run, for inspection")
    .option('--no-baselines', 'skip the raw mysql2 insert and bulk-index rates measured before the strategies')
    .addOption(new Option('--seed <n>', 'generator seed').default('1').argParser((value) => {
      if (!/^\d+$/.test(value)) throw new ConfigError(`--seed: expected a non-negative integer, got ${value}`);
      return value;
    }))
    .exitOverride();
  program.parse(argv, { from: 'user' });
  const opts = program.opts<{ scenario?: string[]; strategies?: string; param?: string[]; out?: string; full?: boolean; seed: string; baselines: boolean; keepData?: boolean }>();

  // 1. options and scenarios, before anything starts
  const strategies = parseStrategies(opts.strategies);
  const overrides = parseParams(opts.param ?? []);
  const files = opts.scenario?.map((file) => path.resolve(file)) ?? defaultScenarioFiles();
  const named = files.map((file) => ({ file, name: path.basename(file).replace(/\.ya?ml$/, '') }));
  const routed = routeParams(named, overrides);
  const scenarios = [];
  for (const { file, name } of named) {
    const full = opts.full ? (FULL_PARAMS[name] ?? {}) : {};
    scenarios.push(await loadScenario(file, { ...full, ...routed.get(file) }));
  }
  const runId = runIdNow();
  const runDir = path.resolve(opts.out ?? path.join(REPO_ROOT, 'reports', 'out', runId));
  mkdirSync(runDir, { recursive: true });

  // 2. the environment
  const controller = new AbortController();
  let startedEnv = false;
  let interrupts = 0;
  let firstInterrupt = 0;
  const onSignal = () => {
    // A terminal's Ctrl-C reaches this process twice when a wrapper (npm, tsx) relays it too:
    // signals within a second of the first count as that one.
    if (interrupts > 0 && Date.now() - firstInterrupt < 1000) return;
    interrupts++;
    if (interrupts === 1) {
      firstInterrupt = Date.now();
      say('interrupted: finishing the operations in flight, then writing partial results (Ctrl-C again to quit at once)');
      controller.abort();
      return;
    }
    say('quitting');
    void (startedEnv ? envDown({ dir: DEFAULT_ENV_DIR }) : Promise.resolve()).finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const existing = runningEnv(DEFAULT_ENV_DIR);
  const startedAt = new Date();
  let endpoints;
  if (existing) {
    endpoints = existing.endpoints;
    say(`reusing the ${endpoints.provider} environment already running (left up afterwards)`);
  } else {
    say('starting the local environment (stopped again at the end)');
    const up = await envUp({ dir: DEFAULT_ENV_DIR, log: say });
    endpoints = up.endpoints;
    startedEnv = true;
  }

  // 3. raw baselines, then every scenario × strategy
  let baselines: Baselines | undefined;
  if (opts.baselines) {
    // At seed-bulk's insert concurrency, so its driver rate over this is the harness's overhead.
    const insertConcurrency = scenarios.find((scenario) => scenario.name === 'seed-bulk')?.phases[0]?.concurrency ?? 4;
    say(`measuring raw rates: mysql2 single-row INSERT at concurrency ${insertConcurrency}, bulk indexing`);
    baselines = {
      mysqlInsert: await measureMysqlInsertRate(endpoints, insertConcurrency, 3000),
      searchBulkIndex: await measureBulkIndexRate(endpoints, 20_000),
    };
    say(`raw rates: ${baselines.mysqlInsert.opsPerSec.toFixed(0)} inserts/s, ${baselines.searchBulkIndex.docsPerSec.toFixed(0)} docs/s bulk-indexed`);
  }
  const results: ScenarioResult[] = [];
  let reportPath: string | undefined;
  const progress = process.stderr.isTTY
    ? new MultiBar({ format: '{phase} [{bar}] {value}/{total} {rate} ops/s', hideCursor: true, clearOnComplete: false, stream: process.stderr }, Presets.shades_classic)
    : undefined;
  try {
    for (const scenario of scenarios) {
      for (const strategy of strategies) {
        if (controller.signal.aborted) break;
        say(`${strategy} × ${scenario.name}: running`);
        const started = Date.now();
        const workerLog = path.join(runDir, workerLogName(strategy, scenario.name));
        // A pair that crashes is recorded as such and the suite goes on.
        const result = await runStrategy({
          strategy,
          scenario,
          seed: Number(opts.seed),
          endpoints,
          runId,
          runDir,
          signal: controller.signal,
          keepData: opts.keepData ?? false,
          ...(progress ? { progress } : {}),
          log: (line) => (progress ? progress.log(`${line}\n`) : say(line)),
        }).then(
          (run) => run.result,
          (error: unknown) => {
            say(`${strategy} × ${scenario.name}: crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
            const crashed = crashedResult(strategy, scenario, Number(opts.seed), error);
            return existsSync(workerLog) ? { ...crashed, log: workerLogName(strategy, scenario.name) } : crashed;
          },
        );
        results.push(result);
        const seeLog = result.verdict === 'fail' && existsSync(workerLog) ? `; worker log: ${workerLog}` : '';
        say(`${strategy} × ${scenario.name}: ${result.verdict} in ${((Date.now() - started) / 1000).toFixed(1)} s${seeLog}`);
      }
    }
  } finally {
    progress?.stop();
    // 4. results
    const file: ResultsFile = {
      schemaVersion: SCHEMA_VERSION,
      runId,
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      provider: endpoints.provider,
      engines: {
        mysql: `${endpoints.mysql.flavor} ${endpoints.mysql.version}`,
        search: `${endpoints.search.engine} ${endpoints.search.version}`,
      },
      interrupted: controller.signal.aborted,
      paramOverrides: overrides,
      results,
      ...(baselines ? { baselines } : {}),
      context: runContext(files, scenarios, Date.now() - startedAt.getTime()),
    };
    const checked = resultsFileSchema.safeParse(file);
    if (!checked.success) say(`results.json does not match its schema: ${checked.error.message}`);
    writeFileSync(path.join(runDir, 'results.json'), `${JSON.stringify(file, null, 2)}\n`);
    try {
      reportPath = writeReport(runDir).path;
    } catch (error) {
      say(`the report could not be rendered (re-render with: npm run report -- ${runDir}): ${String(error)}`);
    }
    if (startedEnv) {
      say('stopping the local environment');
      await envDown({ dir: DEFAULT_ENV_DIR });
    }
  }
  process.stdout.write(`\n${summaryTable(results)}\n\nresults: ${path.join(runDir, 'results.json')}\n`);
  if (reportPath) process.stdout.write(`report: ${reportPath}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const code = (error as { code?: string }).code;
    if (typeof code === 'string' && code.startsWith('commander.')) process.exit(code === 'commander.helpDisplayed' ? 0 : 2);
    if (error instanceof ScenarioError) {
      say(error.message);
      process.exit(error.exitCode);
    }
    say(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(error instanceof ConfigError || error instanceof PrerequisiteError ? 2 : 1);
  },
);
