// converge: the generator — a scenario and a run seed give the seed rows and, per phase, one
// deterministic operation sequence. Every strategy pulls the same sequences.
//
// Key rules (what the checker may rely on):
// - Phases are planned in file order against one model of the live keys (KeySpace): a phase starts
//   from the keys the earlier phases would leave if run one after another. A duration phase has no
//   fixed length, so it leaves the model as it found it, and its fresh ids come from its own block
//   (DURATION_ID_BLOCK × (phase index + 1) upward) so they never meet another phase's.
// - An insert takes a fresh id (above every id seeded or generated before), except for the
//   `insert.duplicateFraction` share that deliberately reuses a live id: MySQL must reject those.
// - Update, increment, delete and read pick a live key with the phase's selection; with no live key
//   left they become an insert of a fresh id. Deletes remove the key from the model.
// - With `poison`, each insert and update draws once more: that fraction of them set the poison
//   column to the poison value and carry `poison: true` (phases without poison draw nothing more).
// - An xaRollback (an XA branch the harness rolls back) updates a live key with fresh values of the
//   update columns, or — for `xaRollback.insertFraction` of them (one more draw when that is above
//   0), or when no key is live — inserts a fresh id. Its write never commits, so the model does not
//   change: the key stays as it was, and the fresh id is used up (never live, never reused).
import type { Phase, Scalar, Scenario } from '../scenario/schema.ts';
import { KeySelector, KeySpace } from './key-space.ts';
import type { Op } from './op.ts';
import { Rng } from './rng.ts';
import { generateValues } from './values.ts';

/** Fresh ids of a duration phase start at this × (phase index + 1). */
export const DURATION_ID_BLOCK = 2 ** 40;

/** A seed row: its id and every column's value. The harness writes it at version 1. */
export type SeedRow = { id: number } & Record<string, Scalar>;

// xaRollback last: a mix without it draws exactly as before it existed.
const KINDS = ['insert', 'update', 'increment', 'delete', 'read', 'xaRollback'] as const;

function chooseKind(phase: Phase, rng: Rng): Op['kind'] {
  const { mix } = phase;
  const total = KINDS.reduce((sum, k) => sum + mix[k], 0);
  let r = rng.float() * total;
  for (const kind of KINDS) {
    r -= mix[kind];
    if (r < 0 && mix[kind] > 0) return kind;
  }
  return KINDS.filter((k) => mix[k] > 0).at(-1) ?? 'read';
}

/** An insert or update, poisoned with the phase's poison at its fraction. */
function poisoned(op: Op & { values: Record<string, Scalar> }, phase: Phase, rng: Rng): Op {
  const poison = phase.poison;
  if (poison === undefined || !rng.chance(poison.fraction)) return op;
  return { ...op, values: { ...op.values, [poison.column]: poison.value }, poison: true };
}

/** The operations of one phase, from a start model it mutates. */
function* planPhase(scenario: Scenario, phaseIndex: number, seed: number, keys: KeySpace): Generator<Op> {
  const phase = scenario.phases[phaseIndex];
  if (phase === undefined) throw new RangeError(`no phase ${phaseIndex}`);
  const rng = new Rng(seed, `phase:${phaseIndex}:${phase.name}`);
  const selector = new KeySelector(keys, phase.keys, rng);
  const columns = scenario.entity.columns;
  const allColumns = Object.keys(columns);
  const updateColumns = phase.update?.columns ?? allColumns;
  const duplicates = phase.insert?.duplicateFraction ?? 0;
  let freshFrom = phase.ops === undefined ? DURATION_ID_BLOCK * (phaseIndex + 1) : keys.nextId;
  const fresh = (): number => {
    const id = freshFrom++;
    if (phase.ops !== undefined) keys.add(id);
    return id;
  };
  // A fresh id for a write that never commits: no later insert takes it, and it never becomes live.
  const usedUp = (): number => {
    const id = freshFrom++;
    if (phase.ops !== undefined) keys.nextId = Math.max(keys.nextId, id + 1);
    return id;
  };
  const xa = phase.xaRollback;
  for (let index = 0; phase.ops === undefined || index < phase.ops; index++) {
    let kind = chooseKind(phase, rng);
    let id: number;
    if (kind === 'xaRollback') {
      const insert = (xa?.insertFraction ?? 0) > 0 && rng.chance(xa?.insertFraction ?? 0);
      const picked = insert ? null : selector.pick();
      const holdMs = xa?.holdMs ?? 0;
      const base = { index, phase: phase.name, kind, holdMs };
      yield picked === null
        ? { ...base, id: usedUp(), branch: 'insert', values: generateValues(columns, allColumns, rng) }
        : { ...base, id: picked, branch: 'update', values: generateValues(columns, updateColumns, rng) };
      continue;
    }
    if (kind === 'insert') {
      const reuse = duplicates > 0 && keys.size > 0 && rng.chance(duplicates) ? selector.pick() : null;
      id = reuse ?? fresh();
    } else {
      const picked = selector.pick();
      if (picked === null) kind = 'insert';
      id = picked ?? fresh();
    }
    const base = { index, phase: phase.name, kind, id };
    switch (kind) {
      case 'insert':
        yield poisoned({ ...base, values: generateValues(columns, allColumns, rng) }, phase, rng);
        break;
      case 'update':
        yield poisoned({ ...base, values: generateValues(columns, updateColumns, rng) }, phase, rng);
        break;
      case 'increment': {
        const inc = phase.increment;
        if (inc === undefined) throw new Error(`phase ${phase.name} has increments but no increment.column`);
        yield { ...base, column: inc.column, delta: inc.delta };
        break;
      }
      case 'delete':
        keys.remove(id);
        yield base;
        break;
      case 'read':
        yield base;
        break;
    }
  }
}

function drain(ops: Iterator<Op>): void {
  while (ops.next().done !== true);
}

/**
 * The deterministic workload of a scenario under a run seed. `seedRows()` and `ops(phase)` may be
 * called any number of times, by any number of consumers: each call starts a fresh iterator over
 * exactly the same values.
 */
export class Workload {
  readonly scenario: Scenario;
  readonly seed: number;
  readonly #starts: KeySpace[] = [];

  constructor(scenario: Scenario, seed: number) {
    this.scenario = scenario;
    this.seed = seed;
  }

  /** The seed rows: explicit ones (missing columns generated), then `seed.generate.count` more. */
  seedRows(): SeedRow[] {
    const { entity, seed } = this.scenario;
    const rng = new Rng(this.seed, 'seed');
    const names = Object.keys(entity.columns);
    const rows: SeedRow[] = seed.rows.map((row) => {
      const missing = names.filter((n) => !(n in row));
      return { ...generateValues(entity.columns, missing, rng), ...row };
    });
    const gen = seed.generate;
    for (let i = 0; gen !== undefined && i < gen.count; i++) {
      rows.push({ id: gen.firstId + i, ...generateValues(entity.columns, names, rng) });
    }
    return rows;
  }

  /** The key model a phase starts from (a copy). */
  startKeys(phaseIndex: number): KeySpace {
    if (this.#starts.length === 0) this.#starts.push(new KeySpace(this.seedRows().map((r) => r.id)));
    while (this.#starts.length <= phaseIndex) {
      const q = this.#starts.length - 1;
      const keys = (this.#starts[q] as KeySpace).clone();
      if (this.scenario.phases[q]?.ops !== undefined) drain(planPhase(this.scenario, q, this.seed, keys));
      this.#starts.push(keys);
    }
    return (this.#starts[phaseIndex] as KeySpace).clone();
  }

  /** A fresh iterator over phase `phaseIndex`'s operations (endless for a duration phase). */
  ops(phaseIndex: number): Generator<Op> {
    return planPhase(this.scenario, phaseIndex, this.seed, this.startKeys(phaseIndex));
  }
}
