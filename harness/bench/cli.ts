// `npm run bench`: the main job. Runs every chosen scenario through every chosen strategy against
// the real services and writes a run folder (run.json, results.json, one history per pair) and a
// summary.
//   1. parse the options and load every scenario — bad input exits 2 before anything starts; write
//      the run manifest (run.json: scenarios, params, seed, strategies, history files), so even a
//      killed run can be judged from its histories (`npm run check -- RUN_DIR`);
//   2. reuse the environment already running from .converge/env (or --env-dir), or start a local
//      one (and stop it at the end); remove what earlier runs on it left behind — the pairs whose
//      lease's process is gone (harness/run/leftovers.ts) — and say what was removed;
//   3. run each scenario × strategy (runStrategy holds that lifecycle), each under a lease in
//      <env>/leases while it holds anything in the env;
//   4. write results.json — validated against its schema, and written even when it fails, marked
//      with `schemaErrors` and said loudly — render the report, print the summary, and exit:
//      0 when every pair's verdict is what its scenario expects of that strategy (a control group
//      may diverge where the scenario says so), 1 otherwise or when results.json is invalid,
//      130 when interrupted (exit-code.ts).
// Ctrl-C stops taking new operations, finishes the pairs' checks, writes the partial results and
// stops what it started; a second Ctrl-C exits at once after stopping the services.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command, Option } from 'commander';
import { MultiBar, Presets } from 'cli-progress';
import { ConfigError, PrerequisiteError } from '../errors.ts';
import { envDown, envUp, runningEnv } from '../env/env-control.ts';
import { DEFAULT_ENV_DIR, REPO_ROOT } from '../env/state.ts';
import { SCHEMA_VERSION, type ResultsFile, type ScenarioResult } from '../results/schema.ts';
import { ScenarioError } from '../scenario/errors.ts';
import { loadScenario } from '../scenario/load.ts';
import { measureBulkIndexRate, measureMysqlInsertRate, type Baselines } from '../run/baselines.ts';
import { crashedResult } from '../run/crashed-result.ts';
import { historyFileName } from '../run/history-file.ts';
import { leaseDir } from '../run/lease.ts';
import { removeLeftovers } from '../run/leftovers.ts';
import { runStrategy } from '../run/run-strategy.ts';
import { workerLogName } from '../run/worker-log.ts';
import type { Scenario } from '../scenario/schema.ts';
import { benchExitCode, EXIT_BAD_INPUT, EXIT_INTERRUPTED, EXIT_OK, EXIT_UNEXPECTED, skippedPairs, unexpectedOutcomes } from './exit-code.ts';
import { FULL_PARAMS, parseParams, parseStrategies, routeParams, suiteScenarioFiles } from './options.ts';
import { writeRunManifest } from './run-manifest.ts';
import { summaryTable } from './summary-table.ts';
import { writeResults } from './write-results.ts';
import { writeReport } from '../../reports/write-report.ts';
import { parsePipelineParams } from '../pipeline/params.ts';
import { runPipelineSuite } from '../pipeline/run-pipeline.ts';
import { pipelineSummaryText } from '../pipeline/summary-text.ts';
import { PIPELINE_TARGETS, type PipelineResult, type PipelineTarget } from '../results/pipeline-schema.ts';

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

/** The pipeline suite's pairs' scenarios as they ran (a pair per repetition, each its own name). */
async function pipelineRunContext(pairs: { file: string; name: string; overrides: Record<string, string> }[], durationMs: number): Promise<NonNullable<ResultsFile['context']>> {
  const scenarios = await Promise.all(pairs.map(async ({ file, name, overrides }) => ({ ...(await loadScenario(file, overrides)), name })));
  return runContext(pairs.map(({ file }) => file), scenarios, durationMs);
}

function parsePipelineTargets(value: string): PipelineTarget[] {
  const names = value.split(',').map((name) => name.trim()).filter(Boolean);
  const unknown = names.filter((name) => !(PIPELINE_TARGETS as readonly string[]).includes(name));
  if (names.length === 0 || unknown.length > 0) throw new ConfigError(`--targets: unknown target ${JSON.stringify(unknown[0] ?? value)}; known: ${PIPELINE_TARGETS.join(', ')}`);
  return names as PipelineTarget[];
}

function runIdNow(): string {
  return new Date().toISOString().replace(/[:.]/g, '-').replace('T', '_').slice(0, 19);
}

async function main(argv: string[]): Promise<number> {
  const program = new Command('bench')
    .description('Run scenarios through strategies against real services and judge whether the stores converge.')
    .option('--scenario <file...>', 'scenario YAML file (repeatable); default: the shipped suite')
    .option('--suite <name>', 'a shipped suite instead of --scenario: default (the shipped scenarios), faults (one scenario per fault kind, scenarios/faults/) or pipeline (the cdc pipeline\'s throughput and lag targets beside raw rates; its --params: changes, snapshotRows, writePathOps, concurrency, probeOps, halfLoadSeconds)')
    .option('--targets <names>', `pipeline suite: only these targets, comma-separated (${PIPELINE_TARGETS.join(', ')}); default all`)
    .addOption(new Option('--repeat <n>', 'pipeline suite: run every target n times and report the medians').default('1').argParser((value) => {
      if (!/^[1-9]\d*$/.test(value)) throw new ConfigError(`--repeat: expected a positive integer, got ${value}`);
      return value;
    }))
    .option('--strategies <names>', 'comma-separated strategy names; default: every registered strategy')
    .option('--param <key=value...>', 'override a scenario param (repeatable)')
    .option('--out <dir>', 'run folder; default reports/out/<run-id>')
    .option('--full', "the seed's full sizes (seed-bulk at 100,000 rows)")
    .option('--keep-data', "keep each pair's table and index after the run, for inspection")
    .option('--no-baselines', 'skip the raw mysql2 insert and bulk-index rates measured before the strategies')
    .option('--env-dir <dir>', 'the environment folder to reuse or start (holds env.json and the pairs\' leases); default .converge/env')
    .addOption(new Option('--seed <n>', 'generator seed').default('1').argParser((value) => {
      if (!/^\d+$/.test(value)) throw new ConfigError(`--seed: expected a non-negative integer, got ${value}`);
      return value;
    }))
    .exitOverride();
  program.parse(argv, { from: 'user' });
  const opts = program.opts<{ targets?: string; repeat: string; suite?: string; scenario?: string[]; strategies?: string; param?: string[]; out?: string; full?: boolean; seed: string; baselines: boolean; keepData?: boolean; envDir?: string }>();
  const envDir = opts.envDir ? path.resolve(opts.envDir) : DEFAULT_ENV_DIR;

  // 1. options and scenarios, before anything starts
  const pipelineSuite = opts.suite === 'pipeline';
  const strategies = parseStrategies(opts.strategies ?? (pipelineSuite ? 'cdc' : undefined));
  const overrides = parseParams(opts.param ?? []);
  if (opts.suite !== undefined && opts.scenario !== undefined) throw new ConfigError('--suite and --scenario: give one or the other');
  if (pipelineSuite && (strategies.length !== 1 || strategies[0] !== 'cdc')) throw new ConfigError(`--strategies: the pipeline suite measures the cdc pipeline only, got ${strategies.join(',')}`);
  if (!pipelineSuite && opts.repeat !== '1') throw new ConfigError('--repeat: only the pipeline suite repeats its measurements (--suite pipeline)');
  const pipelineParams = pipelineSuite ? parsePipelineParams(overrides) : undefined;
  const pipelineTargets = opts.targets === undefined ? undefined : parsePipelineTargets(opts.targets);
  if (pipelineTargets && !pipelineSuite) throw new ConfigError('--targets: only the pipeline suite has targets (--suite pipeline)');
  const files = pipelineSuite ? [] : (opts.scenario?.map((file) => path.resolve(file)) ?? suiteScenarioFiles(opts.suite ?? 'default'));
  const named = files.map((file) => ({ file, name: path.basename(file).replace(/\.ya?ml$/, '') }));
  const routed = routeParams(named, pipelineSuite ? {} : overrides);
  const scenarios = [];
  const scenarioOverrides: Record<string, string>[] = [];
  for (const { file, name } of named) {
    const full = opts.full ? (FULL_PARAMS[name] ?? {}) : {};
    scenarioOverrides.push({ ...full, ...routed.get(file) });
    scenarios.push(await loadScenario(file, scenarioOverrides.at(-1)));
  }
  const runId = runIdNow();
  const runDir = path.resolve(opts.out ?? path.join(REPO_ROOT, 'reports', 'out', runId));
  mkdirSync(runDir, { recursive: true });
  const manifestBase = {
    runId,
    startedAt: new Date().toISOString(),
    pid: process.pid,
    seed: Number(opts.seed),
    strategies,
    paramOverrides: overrides,
    scenarios: scenarios.map((scenario, i) => ({ name: scenario.name, file: files[i]!, text: readFileSync(files[i]!, 'utf8'), overrides: scenarioOverrides[i]!, params: scenario.params })),
    pairs: scenarios.flatMap((scenario) => strategies.map((strategy) => ({ strategy, scenario: scenario.name, history: historyFileName(strategy, scenario.name) }))),
  };
  writeRunManifest(runDir, manifestBase);

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
    void (startedEnv ? envDown({ dir: envDir }) : Promise.resolve()).finally(() => process.exit(EXIT_INTERRUPTED));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const existing = runningEnv(envDir);
  const startedAt = new Date();
  let endpoints;
  if (existing) {
    endpoints = existing.endpoints;
    say(`reusing the ${endpoints.provider} environment already running (left up afterwards)`);
  } else {
    say('starting the local environment (stopped again at the end)');
    const up = await envUp({ dir: envDir, log: say });
    endpoints = up.endpoints;
    startedEnv = true;
  }
  await removeLeftovers({ envDir, endpoints, log: say }).catch((error: unknown) => say(`leftovers: the cleanup of earlier runs failed, going on: ${String(error)}`));

  // 3. raw baselines, then every scenario × strategy
  let baselines: Baselines | undefined;
  if (opts.baselines && !pipelineSuite) {
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
  let schemaErrors: string[] = [];
  const progress = process.stderr.isTTY
    ? new MultiBar({ format: '{phase} [{bar}] {value}/{total} {rate} ops/s', hideCursor: true, clearOnComplete: false, stream: process.stderr }, Presets.shades_classic)
    : undefined;
  let pipeline: PipelineResult | undefined;
  const pipelineContext: { file: string; name: string; overrides: Record<string, string> }[] = [];
  try {
    if (pipelineParams) {
      say(`pipeline suite: ${opts.repeat} repetition(s) with ${JSON.stringify(pipelineParams)}`);
      const recordManifest = (done: { results: ScenarioResult[]; scenarios: typeof pipelineContext }) =>
        writeRunManifest(runDir, {
          ...manifestBase,
          scenarios: done.scenarios.map(({ file, name, overrides: loaded }) => ({ name, file, text: readFileSync(file, 'utf8'), overrides: loaded, params: done.results.find((r) => r.scenario === name)?.params ?? {} })),
          pairs: done.scenarios.map(({ name }) => ({ strategy: 'cdc', scenario: name, history: historyFileName('cdc', name) })),
        });
      const out = await runPipelineSuite({ endpoints, envDir, runId, runDir, params: pipelineParams, repeat: Number(opts.repeat), ...(pipelineTargets ? { targets: pipelineTargets } : {}), signal: controller.signal, log: say, onRepetition: recordManifest });
      pipeline = out.pipeline;
      results.push(...out.results);
      pipelineContext.push(...out.scenarios);
      recordManifest(out);
    }
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
          leaseDir: leaseDir(envDir),
          envDir,
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
      ...(pipeline ? { pipeline } : {}),
      context: pipelineParams ? await pipelineRunContext(pipelineContext, Date.now() - startedAt.getTime()) : runContext(files, scenarios, Date.now() - startedAt.getTime()),
    };
    schemaErrors = writeResults(runDir, file).schemaErrors;
    if (schemaErrors.length > 0) {
      say(`ERROR: results.json does not match its own schema; written anyway, marked invalid (schemaErrors), and the run exits 1:`);
      for (const line of schemaErrors) say(`  ${line}`);
    }
    try {
      reportPath = writeReport(runDir).path;
    } catch (error) {
      say(`the report could not be rendered (re-render with: npm run report -- ${runDir}): ${String(error)}`);
    }
    if (startedEnv) {
      say('stopping the local environment');
      await envDown({ dir: envDir });
    }
  }
  const finished = { interrupted: controller.signal.aborted, results, schemaErrors, ...(pipeline ? { pipeline } : {}) };
  const unexpected = unexpectedOutcomes(finished);
  const verdictLine = finished.interrupted
    ? 'interrupted: the results are partial (exit 130)'
    : unexpected.length > 0
      ? `NOT AS EXPECTED (exit 1):\n${unexpected.map((line) => `  ${line}`).join('\n')}`
      : `every pair is as its scenario expects (exit 0)`;
  const skipped = skippedPairs(finished);
  const skippedLines = skipped.length > 0 ? `\n\n${skipped.length} pair${skipped.length === 1 ? '' : 's'} SKIPPED, not run (they neither pass nor fail):\n${skipped.map((line) => `  ${line}`).join('\n')}` : '';
  const pipelineText = pipeline ? `\n${pipelineSummaryText(pipeline)}\n` : '';
  process.stdout.write(`${pipelineText}\n${summaryTable(results)}\n\n${verdictLine}${skippedLines}\n\nresults: ${path.join(runDir, 'results.json')}\n`);
  if (reportPath) process.stdout.write(`report: ${reportPath}\n`);
  return benchExitCode(finished);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const code = (error as { code?: string }).code;
    if (typeof code === 'string' && code.startsWith('commander.')) process.exit(code === 'commander.helpDisplayed' ? EXIT_OK : EXIT_BAD_INPUT);
    if (error instanceof ScenarioError) {
      say(error.message);
      process.exit(error.exitCode);
    }
    say(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(error instanceof ConfigError || error instanceof PrerequisiteError ? EXIT_BAD_INPUT : EXIT_UNEXPECTED);
  },
);
