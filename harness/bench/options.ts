// The bench command's options, parsed and checked before any service starts: scenario files,
// strategy names against the registry, `--param k=v` pairs, the output folder, `--full`, and the
// suites (`--suite default|faults`: the shipped scenarios, or one scenario per fault kind in
// scenarios/faults/).
import { readFileSync, readdirSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import path from 'node:path';
import { ConfigError } from '../errors.ts';
import { REPO_ROOT } from '../env/state.ts';
import { strategyNames } from '../../strategies/index.ts';

export const SCENARIO_DIR = path.join(REPO_ROOT, 'scenarios');
/** The default suite, in the order it runs. */
export const DEFAULT_SUITE = ['counter-race', 'seed-bulk', 'mixed-crud', 'duplicate-keys', 'projection'];
/** `--full`: the seed's sizes. */
export const FULL_PARAMS: Record<string, Record<string, string>> = { 'seed-bulk': { rows: '100000' }, 'counter-race': { increments: '10000' } };

export interface BenchOptions {
  scenarioFiles: string[];
  strategies: string[];
  params: Record<string, string>;
  out: string | undefined;
  full: boolean;
  seed: number;
}

export function parseParams(pairs: string[]): Record<string, string> {
  const params: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new ConfigError(`--param: expected key=value, got ${JSON.stringify(pair)}`);
    params[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return params;
}

export function parseStrategies(value: string | undefined): string[] {
  const known = strategyNames();
  if (value === undefined) return known;
  const names = value.split(',').map((name) => name.trim()).filter(Boolean);
  if (names.length === 0) throw new ConfigError('--strategies: expected a comma-separated list of strategy names');
  for (const name of names) {
    if (!known.includes(name)) throw new ConfigError(`--strategies: unknown strategy ${JSON.stringify(name)}; known: ${known.join(', ')}`);
  }
  return names;
}

/** The fault matrix: every scenario in scenarios/faults/, one per fault kind, by file name. */
export const FAULTS_DIR = path.join(SCENARIO_DIR, 'faults');

export const SUITES = ['default', 'faults', 'pipeline'] as const;
export type Suite = (typeof SUITES)[number];

/** The scenario files of a suite, in the order they run. */
export function suiteScenarioFiles(suite: string): string[] {
  if (suite === 'default') return defaultScenarioFiles();
  if (suite === 'faults') {
    return readdirSync(FAULTS_DIR)
      .filter((file) => file.endsWith('.yaml'))
      .sort()
      .map((file) => path.join(FAULTS_DIR, file));
  }
  if (suite === 'pipeline') return []; // its measurements load their own scenarios (harness/pipeline/)
  throw new ConfigError(`--suite: unknown suite ${JSON.stringify(suite)}; known: ${SUITES.join(', ')}`);
}

export function defaultScenarioFiles(): string[] {
  const shipped = new Set(readdirSync(SCENARIO_DIR).filter((file) => file.endsWith('.yaml')).map((file) => file.replace(/\.yaml$/, '')));
  return DEFAULT_SUITE.filter((name) => shipped.has(name)).map((name) => path.join(SCENARIO_DIR, `${name}.yaml`));
}

/** The param names a scenario file declares (read before validation, to route `--param`s). */
export function declaredParams(file: string): string[] {
  try {
    const doc = parseYaml(readFileSync(file, 'utf8')) as { params?: Record<string, unknown> } | null;
    return Object.keys(doc?.params ?? {});
  } catch {
    return []; // the loader reports the file's own problems
  }
}

/**
 * Split `--param`s among the scenarios: `name.key=value` goes to scenario `name` only; `key=value`
 * to every scenario that declares `key`. A param no scenario declares is an error.
 */
export function routeParams(files: { file: string; name: string }[], params: Record<string, string>): Map<string, Record<string, string>> {
  const routed = new Map<string, Record<string, string>>(files.map(({ file }) => [file, {}]));
  for (const [key, value] of Object.entries(params)) {
    const dot = key.indexOf('.');
    const scoped = dot > 0 ? files.filter(({ name }) => name === key.slice(0, dot)) : [];
    const targets = scoped.length > 0 ? scoped.map((f) => ({ ...f, param: key.slice(dot + 1) })) : files.filter(({ file }) => declaredParams(file).includes(key)).map((f) => ({ ...f, param: key }));
    if (targets.length === 0) {
      const known = [...new Set(files.flatMap(({ file }) => declaredParams(file)))].sort();
      throw new ConfigError(`--param ${key}: no chosen scenario declares it (params: ${known.join(', ') || 'none'})`);
    }
    for (const target of targets) routed.get(target.file)![target.param] = value;
  }
  return routed;
}
