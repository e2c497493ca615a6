// converge: loading scenario files — the shipped ones load, params are typed and substituted, and
// a bad file fails with every problem named by its YAML path (exit code 2).
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ScenarioError } from './errors.ts';
import { loadScenario, parseScenario } from './load.ts';
import { phaseGroups } from './schedule.ts';

const DIR = fileURLToPath(new URL('../../scenarios/', import.meta.url));

const VALID = `
name: tiny
description: a tiny scenario
params: { rows: 10, label: hello, loud: false }
entity:
  table: tiny
  columns:
    n: { type: int }
    note: { type: varchar, length: 8 }
phases:
  - name: fill
    ops: \${rows}
    mix: { insert: 1 }
  - name: bump
    beside: fill
    startAt: 0.5
    ops: \${rows * 2 + 1}
    mix: { increment: 1 }
    increment: { column: n }
    checkpoint: true
expect:
  finalValues:
    - id: 1
      values: { note: "\${label}!", n: "\${(rows - 4) / 2}" }
`;

function scenarioError(text: string, overrides: Record<string, string> = {}): ScenarioError {
  try {
    parseScenario(text, overrides, 'bad.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioError);
    expect((error as ScenarioError).exitCode).toBe(2);
    return error as ScenarioError;
  }
  throw new Error('expected a ScenarioError');
}

function problemsOf(text: string, overrides: Record<string, string> = {}): string[] {
  return scenarioError(text, overrides).problems.map((p) => `${p.path}: ${p.message}`);
}

describe('scenario files', () => {
  it('loads every shipped scenario with its defaults', async () => {
    const files = (await readdir(DIR)).filter((f) => f.endsWith('.yaml')).sort();
    expect(files).toEqual(['cdc-snapshot-under-load.yaml', 'counter-race.yaml', 'duplicate-keys.yaml', 'index-rejects.yaml', 'mixed-crud.yaml', 'projection.yaml', 'seed-bulk.yaml', 'xa-rollback-under-cdc.yaml']);
    for (const file of files) {
      const scenario = await loadScenario(`${DIR}${file}`);
      expect(`${scenario.name}.yaml`).toBe(file);
    }
  });

  it('counter-race expects 2 × increments + 1, following the param', async () => {
    const byDefault = await loadScenario(`${DIR}counter-race.yaml`);
    expect(byDefault.params).toEqual({ increments: 10_000 });
    expect(byDefault.expect.finalValues[0]?.values).toEqual({ counter: 20_001 });
    expect(byDefault.phases.map((p) => p.ops)).toEqual([10_000, 1]);
    const small = await loadScenario(`${DIR}counter-race.yaml`, { increments: '50' });
    expect(small.expect.finalValues[0]?.values).toEqual({ counter: 101 });
    expect(phaseGroups(small).map((g) => g.phases.map((p) => [p.phase.name, p.anchor, p.startAt]))).toEqual([
      [
        ['add-two', null, 0],
        ['add-one', 0, 0.5],
      ],
    ]);
  });

  it('seed-bulk takes rows and checks convergence after each of its three phases', async () => {
    const scenario = await loadScenario(`${DIR}seed-bulk.yaml`, { rows: '100000' });
    expect(scenario.phases.map((p) => [p.name, p.ops])).toEqual([
      ['insert-all', 100_000],
      ['update-all', 100_000],
      ['delete-all', 100_000],
    ]);
    expect(phaseGroups(scenario).map((g) => g.checkpoint)).toEqual([true, true, true]);
  });

  it('substitutes params with their types, expressions and interpolation', () => {
    const s = parseScenario(VALID, { rows: '20', label: 'hi' }, 'tiny.yaml');
    expect(s.params).toEqual({ rows: 20, label: 'hi', loud: false });
    expect(s.phases.map((p) => p.ops)).toEqual([20, 41]);
    expect(s.expect.finalValues[0]?.values).toEqual({ note: 'hi!', n: 8 });
    expect(s.phases[0]?.concurrency).toBe(1);
    expect(s.faults).toEqual([]);
    expect(s.expect.anomalies).toEqual({ dirtyReads: 0, versionRegressions: 0, resurrections: 0 });
  });

  it('type-checks --param overrides against the defaults and rejects unknown names', () => {
    expect(problemsOf(VALID, { rows: 'many', loud: 'yes', nope: '1' })).toEqual([
      '--param rows: expected a number like the default 10, got "many"',
      '--param loud: expected true or false, got "yes"',
      '--param nope: unknown param "nope" (params: rows, label, loud)',
    ]);
  });

  it('lists every structural problem with its YAML path and line', () => {
    const text = VALID.replace('mix: { increment: 1 }', 'mix: { increment: 1, update: lots }')
      .replace('table: tiny', 'table: tiny; DROP TABLE users')
      .replace('note: { type: varchar, length: 8 }', 'select: { type: varchar }')
      .replace('ops: ${rows}\n', 'ops: ${rows}\n    concurency: 3\n')
      .replace('expect:', 'faults: [{ kind: pause }]\nexpect:');
    const error = scenarioError(text);
    expect(error.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'entity.table: "tiny; DROP TABLE users" is not an SQL identifier (^[A-Za-z_][A-Za-z0-9_]{0,63}$)',
      'entity.columns.select: "select" is an SQL reserved word',
      'phases[0].concurency: unknown key',
      'phases[1].mix.update: expected a number, got string "lots"',
      'faults[0].kind: expected one of "search-pause", "search-restart", "kafka-restart", "connect-restart", "mysql-restart", "mysql-kill-connections", "strategy-crash", "network", got string "pause"',
    ]);
    expect(error.problems.find((p) => p.path === 'phases[1].mix.update')?.line).toBe(text.split('\n').findIndex((l) => l.includes('update: lots')) + 1);
    expect(error.message).toContain('invalid scenario bad.yaml: 5 problems');
  });

  it('checks cross-references once the structure is valid', () => {
    const text = VALID.replace('increment: { column: n }', 'increment: { column: note }')
      .replace('beside: fill', 'beside: later')
      .replace('values: { note: "${label}!", n: "${(rows - 4) / 2}" }', 'values: { note: "far too long for eight", ghost: 1 }')
      .replace('phases:', 'seed:\n  rows: [{ id: 1, n: 1.5, note: ok }, { id: 1, n: 2, note: ok }]\nphases:')
      .replace('columns:', 'projection: { rename: { n: note }, drop: [missing] }\n  columns:');
    expect(problemsOf(text)).toEqual([
      'entity.projection.drop[0]: unknown column "missing"',
      'entity.columns.note: field "note" is already produced by column "n"',
      'seed.rows[0].n: expected an INT',
      'seed.rows[1].id: duplicate id 1',
      'phases[1].beside: "later" is not an earlier phase of this group (the phases since the last one without beside)',
      'phases[1].increment.column: column "note" is not numeric',
      'expect.finalValues[0].values.note: expected a string of at most 8 characters',
      'expect.finalValues[0].values.ghost: unknown column "ghost"',
    ]);
  });

  it('reports unknown params and bad expressions at their path, once', () => {
    expect(problemsOf(VALID.replace('ops: ${rows * 2 + 1}', 'ops: ${rowz * 2}').replace('"${label}!"', '"${label + 1}"'))).toEqual([
      'phases[1].ops: unknown param "rowz" (params: rows, label, loud)',
      'expect.finalValues[0].values.note: arithmetic needs numbers, got "hello" in ${label + 1}',
    ]);
  });

  it('rejects harness-owned columns, bad YAML and a missing file', async () => {
    expect(problemsOf(VALID.replace('n: { type: int }', 'version: { type: int }\n    n: { type: int }'))).toEqual([
      'entity.columns.version: "version" is managed by the harness; do not declare it',
    ]);
    expect(problemsOf('name: [unclosed')[0]).toMatch(/^\(yaml\): /);
    expect(problemsOf('- a list')).toEqual(['(root): expected a mapping at the top level']);
    await expect(loadScenario(`${DIR}no-such.yaml`)).rejects.toBeInstanceOf(ScenarioError);
  });

  it('checks poison writes: the column exists and reaches the index, MySQL takes the value, its index type does not', () => {
    const poisoned = (column: string, value: string, extra = '') =>
      VALID.replace('n: { type: int }', `n: { type: int }\n    big: { type: bigint, indexType: integer }\n    plain: { type: bigint }${extra}`).replace(
        'mix: { insert: 1 }',
        `mix: { insert: 1 }\n    poison: { fraction: 0.1, column: ${column}, value: ${value} }`,
      );
    expect(() => parseScenario(poisoned('big', '9999999999'), {}, 'ok.yaml')).not.toThrow();
    expect(problemsOf(poisoned('ghost', '1'))).toEqual(['phases[0].poison.column: unknown column "ghost"']);
    expect(problemsOf(poisoned('big', '"text"'))).toEqual(['phases[0].poison.value: MySQL must accept the value: expected a BIGINT within ±2^53']);
    expect(problemsOf(poisoned('big', '12'))).toEqual([
      'phases[0].poison.value: the index maps column "big" as integer, which holds 12: declare an indexType whose range excludes it (e.g. integer)',
    ]);
    expect(problemsOf(poisoned('plain', '9999999999'))).toEqual([
      'phases[0].poison.value: the index maps column "plain" as long, which holds 9999999999: declare an indexType whose range excludes it (e.g. integer)',
    ]);
    expect(problemsOf(poisoned('note', '"x"'))).toEqual(['phases[0].poison.column: column "note" is varchar: poison needs a numeric column whose indexType cannot hold the value']);
    expect(problemsOf(poisoned('big', '9999999999').replace('columns:', 'projection: { drop: [big] }\n  columns:'))).toEqual([
      'phases[0].poison.column: column "big" is dropped from the index document: its value never reaches the index',
    ]);
    expect(problemsOf(poisoned('big', '9999999999').replace('mix: { insert: 1 }', 'mix: { read: 1 }'))).toEqual(['phases[0].poison: poison applies to inserts and updates: the mix has neither']);
    expect(problemsOf(poisoned('big', '9999999999', '\n    odd: { type: text, indexType: integer }\n    wide: { type: double, indexType: long }'))).toEqual([
      'entity.columns.odd.indexType: indexType is for numeric columns (int, bigint, double), not text',
      'entity.columns.wide.indexType: a double column maps to double or float, not long',
    ]);
    expect(problemsOf(poisoned('big', '9999999999').replace('fraction: 0.1', 'fraction: 0'))).toEqual(['phases[0].poison.fraction: expected a number > 0']);
  });

  it('takes xaRollback ops in a mix, and their settings only with a weight for them', () => {
    const xa = (mix: string, settings: string) => VALID.replace('mix: { insert: 1 }', `mix: ${mix}\n    xaRollback: ${settings}`);
    const scenario = parseScenario(xa('{ insert: 1, xaRollback: 2 }', '{ insertFraction: 0.5 }'), {}, 'ok.yaml');
    expect(scenario.phases[0]?.mix.xaRollback).toBe(2);
    expect(scenario.phases[0]?.xaRollback).toEqual({ insertFraction: 0.5, holdMs: 0 });
    expect(problemsOf(xa('{ insert: 1 }', '{ holdMs: 10 }'))).toEqual([
      "phases[0].xaRollback: xaRollback settings apply to the mix's xaRollback ops: give mix.xaRollback a weight",
    ]);
    expect(problemsOf(xa('{ xaRollback: 1 }', '{ insertFraction: 2 }'))).toEqual(['phases[0].xaRollback.insertFraction: expected a number <= 1']);
  });
});
