// The bench command's option checks: params as key=value, routed to the scenarios that declare
// them or scoped by scenario name; strategy names against the registry.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.ts';
import { FAULTS_DIR, parseParams, parseStrategies, routeParams, suiteScenarioFiles } from './options.ts';
import { faultKindNames } from '../nemesis/fault-spec.ts';
import { loadScenario } from '../scenario/load.ts';

function scenarioFile(dir: string, name: string, params: Record<string, number>): { file: string; name: string } {
  const file = path.join(dir, `${name}.yaml`);
  writeFileSync(file, `name: ${name}\nparams:\n${Object.entries(params).map(([k, v]) => `  ${k}: ${v}`).join('\n')}\n`);
  return { file, name };
}

describe('bench options', () => {
  it('parses key=value params and rejects anything else', () => {
    expect(parseParams(['rows=10', 'label=a=b'])).toEqual({ rows: '10', label: 'a=b' });
    expect(() => parseParams(['rows'])).toThrow(/--param: expected key=value/);
    expect(() => parseParams(['=3'])).toThrow(ConfigError);
  });

  it('routes a param to the scenarios that declare it, or to the one it is scoped to', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'converge-opts-'));
    const bulk = scenarioFile(dir, 'seed-bulk', { rows: 1000, concurrency: 4 });
    const race = scenarioFile(dir, 'counter-race', { increments: 10000, concurrency: 1 });
    const routed = routeParams([bulk, race], { rows: '20', concurrency: '2', 'counter-race.increments': '50' });
    expect(routed.get(bulk.file)).toEqual({ rows: '20', concurrency: '2' });
    expect(routed.get(race.file)).toEqual({ concurrency: '2', increments: '50' });
    expect(() => routeParams([bulk, race], { colour: 'blue' })).toThrow(/--param colour: no chosen scenario declares it \(params: concurrency, increments, rows\)/);
  });

  it('accepts registered strategies only', () => {
    expect(parseStrategies(undefined)).toContain('naive');
    expect(parseStrategies('naive')).toEqual(['naive']);
    expect(() => parseStrategies('naive,psychic')).toThrow(/unknown strategy "psychic"; known: /);
    expect(() => parseStrategies(' , ')).toThrow(/comma-separated list/);
  });

  it('names the suites: the shipped scenarios, or the fault matrix with one scenario per fault kind and a control row', async () => {
    expect(suiteScenarioFiles('default').map((file) => path.basename(file))).toEqual(['counter-race.yaml', 'seed-bulk.yaml', 'mixed-crud.yaml', 'duplicate-keys.yaml', 'projection.yaml']);
    const faults = suiteScenarioFiles('faults');
    expect(faults.every((file) => path.dirname(file) === FAULTS_DIR)).toBe(true);
    const scenarios = await Promise.all(faults.map((file) => loadScenario(file)));
    const kinds = new Set(scenarios.flatMap((scenario) => scenario.faults.map((fault) => fault.kind)));
    expect([...kinds].sort()).toEqual([...faultKindNames].sort());
    expect(scenarios.filter((scenario) => scenario.faults.length === 0).map((scenario) => scenario.name)).toEqual(['fault-baseline']);
    expect(() => suiteScenarioFiles('chaos')).toThrow(/--suite: unknown suite "chaos"; known: default, faults/);
  });
});
