// converge: the checks a schema cannot express — every name a scenario uses must exist (columns,
// phases, strategies in the registry, the phases faults wait for, and what each strategy's options
// name, through its registry hook), values must fit their columns, and the index document's field
// names must not collide.
import { strategyNames, strategyRegistry } from '../../strategies/index.ts';
import { faultReferenceProblems } from '../nemesis/fault-spec.ts';
import { HARNESS_COLUMNS } from './identifiers.ts';
import { columnIndexType, indexTypeHolds, indexTypeProblem } from './index-types.ts';
import type { PathProblem } from './params.ts';
import { exprColumns } from './projection.ts';
import type { Entity, Phase, Scenario } from './schema.ts';
import { valueProblem } from './values.ts';

const NUMERIC = new Set(['int', 'bigint', 'double']);

function checkEntity(entity: Entity, out: PathProblem[]): void {
  const columns = Object.keys(entity.columns);
  if (columns.length === 0) out.push({ path: ['entity', 'columns'], message: 'declare at least one column' });
  for (const name of columns) {
    if (HARNESS_COLUMNS.has(name.toLowerCase())) {
      out.push({ path: ['entity', 'columns', name], message: `"${name}" is managed by the harness; do not declare it` });
    }
    const column = entity.columns[name]!;
    const problem = 'indexType' in column && column.indexType !== undefined ? indexTypeProblem(column.type, column.indexType) : null;
    if (problem !== null) out.push({ path: ['entity', 'columns', name, 'indexType'], message: problem });
  }
  const { rename, drop, computed } = entity.projection;
  const fields = new Map<string, string>([
    ['id', 'id'],
    ['version', 'version'],
  ]);
  const claim = (field: string, by: string, path: (string | number)[]): void => {
    const owner = fields.get(field);
    if (owner !== undefined) out.push({ path, message: `field "${field}" is already produced by ${owner}` });
    else fields.set(field, by);
  };
  drop.forEach((name, i) => {
    if (!(name in entity.columns)) out.push({ path: ['entity', 'projection', 'drop', i], message: `unknown column "${name}"` });
    if (name in rename) out.push({ path: ['entity', 'projection', 'drop', i], message: `column "${name}" is both renamed and dropped` });
  });
  for (const name of Object.keys(rename)) {
    if (!(name in entity.columns)) out.push({ path: ['entity', 'projection', 'rename', name], message: `unknown column "${name}"` });
  }
  for (const name of columns) {
    if (drop.includes(name) || HARNESS_COLUMNS.has(name.toLowerCase())) continue;
    const field = rename[name] ?? name;
    claim(field, `column "${name}"`, name in rename ? ['entity', 'projection', 'rename', name] : ['entity', 'columns', name]);
  }
  for (const [name, expr] of Object.entries(computed)) {
    claim(name, `another field`, ['entity', 'projection', 'computed', name]);
    for (const col of exprColumns(expr)) {
      if (!(col in entity.columns)) out.push({ path: ['entity', 'projection', 'computed', name], message: `unknown column "${col}"` });
    }
  }
}

function checkValues(entity: Entity, values: Readonly<Record<string, unknown>>, path: (string | number)[], out: PathProblem[]): void {
  for (const [name, value] of Object.entries(values)) {
    if (name === 'id') continue;
    const column = entity.columns[name];
    if (column === undefined) {
      out.push({ path: [...path, name], message: `unknown column "${name}"` });
      continue;
    }
    const problem = valueProblem(column, value);
    if (problem !== null) out.push({ path: [...path, name], message: problem });
  }
}

function checkSeed(scenario: Scenario, out: PathProblem[]): void {
  const seen = new Set<number>();
  scenario.seed.rows.forEach((row, i) => {
    if (seen.has(row.id)) out.push({ path: ['seed', 'rows', i, 'id'], message: `duplicate id ${row.id}` });
    seen.add(row.id);
    checkValues(scenario.entity, row, ['seed', 'rows', i], out);
  });
  const gen = scenario.seed.generate;
  if (gen !== undefined) {
    const clash = [...seen].find((id) => id >= gen.firstId && id < gen.firstId + gen.count);
    if (clash !== undefined) out.push({ path: ['seed', 'generate'], message: `generated ids overlap explicit row id ${clash}` });
  }
}

function checkPhase(entity: Entity, phase: Phase, i: number, earlier: ReadonlySet<string>, out: PathProblem[]): void {
  const at = (...rest: (string | number)[]): (string | number)[] => ['phases', i, ...rest];
  if ((phase.ops === undefined) === (phase.durationMs === undefined)) {
    out.push({ path: at(), message: 'give exactly one of ops and durationMs' });
  }
  const { mix } = phase;
  if (mix.insert + mix.update + mix.increment + mix.delete + mix.read + mix.xaRollback <= 0) {
    out.push({ path: at('mix'), message: 'at least one weight must be positive' });
  }
  if (phase.xaRollback !== undefined && mix.xaRollback <= 0) {
    out.push({ path: at('xaRollback'), message: 'xaRollback settings apply to the mix\'s xaRollback ops: give mix.xaRollback a weight' });
  }
  if (phase.beside !== undefined && !earlier.has(phase.beside)) {
    out.push({ path: at('beside'), message: `"${phase.beside}" is not an earlier phase of this group (the phases since the last one without beside)` });
  }
  if (phase.startAt !== undefined && phase.beside === undefined) {
    out.push({ path: at('startAt'), message: 'startAt needs beside' });
  }
  phase.update?.columns.forEach((name, j) => {
    if (!(name in entity.columns)) out.push({ path: at('update', 'columns', j), message: `unknown column "${name}"` });
  });
  if (mix.increment > 0 && phase.increment === undefined) {
    out.push({ path: at('increment'), message: 'the mix has increments: say which column with increment.column' });
  }
  if (phase.poison !== undefined) checkPoison(entity, phase, at, out);
  if (phase.increment !== undefined) {
    const column = entity.columns[phase.increment.column];
    if (column === undefined) out.push({ path: at('increment', 'column'), message: `unknown column "${phase.increment.column}"` });
    else if (!NUMERIC.has(column.type)) out.push({ path: at('increment', 'column'), message: `column "${phase.increment.column}" is not numeric` });
    else if (column.type !== 'double' && !Number.isInteger(phase.increment.delta)) {
      out.push({ path: at('increment', 'delta'), message: 'an integer column needs an integer delta' });
    }
  }
}

// A poison value must fit the MySQL column, reach the index document, and be out of the range of
// the column's index type, or the engine would accept it and nothing would be poisoned.
function checkPoison(entity: Entity, phase: Phase, at: (...rest: (string | number)[]) => (string | number)[], out: PathProblem[]): void {
  const poison = phase.poison!;
  if (phase.mix.insert + phase.mix.update <= 0) out.push({ path: at('poison'), message: 'poison applies to inserts and updates: the mix has neither' });
  const column = entity.columns[poison.column];
  if (column === undefined) {
    out.push({ path: at('poison', 'column'), message: `unknown column "${poison.column}"` });
    return;
  }
  if (entity.projection.drop.includes(poison.column)) {
    out.push({ path: at('poison', 'column'), message: `column "${poison.column}" is dropped from the index document: its value never reaches the index` });
  }
  const problem = valueProblem(column, poison.value);
  if (problem !== null) {
    out.push({ path: at('poison', 'value'), message: `MySQL must accept the value: ${problem}` });
    return;
  }
  const indexType = columnIndexType(column);
  if (indexType === null) {
    out.push({ path: at('poison', 'column'), message: `column "${poison.column}" is ${column.type}: poison needs a numeric column whose indexType cannot hold the value` });
  } else if (indexTypeHolds(indexType, poison.value)) {
    out.push({
      path: at('poison', 'value'),
      message: `the index maps column "${poison.column}" as ${indexType}, which holds ${JSON.stringify(poison.value)}: declare an indexType whose range excludes it (e.g. integer)`,
    });
  }
}

/** What each strategy's own hook finds in its options (a phase or column they name, …). */
function checkStrategyOptions(scenario: Scenario, out: PathProblem[]): void {
  for (const [name, options] of Object.entries(scenario.strategies ?? {})) {
    const check = Object.hasOwn(strategyRegistry, name) ? strategyRegistry[name]?.optionProblems : undefined;
    if (options === undefined || check === undefined) continue;
    for (const problem of check(options, scenario)) out.push({ path: ['strategies', name, ...problem.path], message: problem.message });
  }
}

/** Every cross-reference problem in a structurally valid scenario. */
export function checkReferences(scenario: Scenario): PathProblem[] {
  const out: PathProblem[] = [];
  checkEntity(scenario.entity, out);
  checkSeed(scenario, out);
  const names = new Set<string>();
  let group = new Set<string>(); // the phases a later phase may run beside: those of the open group
  scenario.phases.forEach((phase, i) => {
    if (names.has(phase.name)) out.push({ path: ['phases', i, 'name'], message: `duplicate phase name "${phase.name}"` });
    if (phase.beside === undefined) group = new Set();
    checkPhase(scenario.entity, phase, i, group, out);
    names.add(phase.name);
    group.add(phase.name);
  });
  checkStrategyOptions(scenario, out);
  out.push(...faultReferenceProblems(scenario.faults, [...names]));
  const known = strategyNames();
  for (const name of Object.keys(scenario.expect.mayFail)) {
    if (!known.includes(name)) out.push({ path: ['expect', 'mayFail', name], message: `unknown strategy "${name}"; known: ${known.join(', ')}` });
  }
  scenario.expect.finalValues.forEach((item, i) => {
    if (item.values !== undefined) checkValues(scenario.entity, item.values, ['expect', 'finalValues', i, 'values'], out);
    if ((item.values === undefined) === (item.absent !== true)) {
      out.push({ path: ['expect', 'finalValues', i], message: 'give either values or absent: true' });
    }
  });
  return out;
}
