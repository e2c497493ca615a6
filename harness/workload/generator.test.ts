// converge: the generator gives every consumer the same deterministic operations, and its key rules
// hold: fresh ids for inserts, duplicates only where asked, nothing aimed at a key already deleted.
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadScenario, parseScenario } from '../scenario/load.ts';
import type { Scenario } from '../scenario/schema.ts';
import { DURATION_ID_BLOCK, Workload } from './generator.ts';
import { KeySelector, KeySpace } from './key-space.ts';
import type { Op } from './op.ts';
import { Rng } from './rng.ts';

const DIR = fileURLToPath(new URL('../../scenarios/', import.meta.url));
const load = (name: string, overrides: Record<string, string> = {}): Promise<Scenario> => loadScenario(`${DIR}${name}.yaml`, overrides);

function everything(scenario: Scenario, seed: number): string {
  const w = new Workload(scenario, seed);
  return JSON.stringify({ seed: w.seedRows(), phases: scenario.phases.map((_, i) => [...w.ops(i)]) });
}

describe('the generator', () => {
  it('gives byte-identical sequences for the same scenario and seed, and others for another seed', async () => {
    for (const name of ['mixed-crud', 'duplicate-keys', 'projection', 'seed-bulk', 'xa-rollback-under-cdc']) {
      const scenario = await load(name);
      const a = everything(scenario, 42);
      expect(everything(await load(name), 42), name).toBe(a);
      expect(everything(scenario, 43), name).not.toBe(a);
    }
  });

  it('hands two consumers pulling in turn exactly the same operations', async () => {
    const scenario = await load('mixed-crud');
    const first = new Workload(scenario, 7).ops(0);
    const second = new Workload(scenario, 7).ops(0);
    const pulled: [Op[], Op[]] = [[], []];
    for (let step = 0; ; step++) {
      const which = step % 3 === 0 ? 1 : 0; // uneven interleaving
      const next = (which === 0 ? first : second).next();
      if (next.done === true) break;
      pulled[which].push(next.value);
    }
    for (const rest of [first, second]) for (const op of rest) pulled[rest === first ? 0 : 1].push(op);
    expect(pulled[0]).toHaveLength(scenario.phases[0]?.ops ?? -1);
    expect(pulled[0]).toEqual(pulled[1]);
  });

  it('plays mixed-crud on fresh ids and live keys only, as a sequential run would', async () => {
    const scenario = await load('mixed-crud');
    const w = new Workload(scenario, 3);
    const live = new Set(w.seedRows().map((r) => r.id));
    expect(live.size).toBe(300);
    const everSeen = new Set(live);
    const kinds = new Set<string>();
    for (const op of w.ops(0)) {
      kinds.add(op.kind);
      if (op.kind === 'insert') {
        expect(everSeen.has(op.id), `insert ${op.id} reuses an id`).toBe(false);
        expect(op.id).toBeGreaterThan(300);
        expect(Object.keys(op.values ?? {})).toEqual(Object.keys(scenario.entity.columns));
        live.add(op.id);
        everSeen.add(op.id);
      } else {
        expect(live.has(op.id), `${op.kind} of ${op.id} after its delete`).toBe(true);
        if (op.kind === 'delete') live.delete(op.id);
        if (op.kind === 'increment') expect([op.column, op.delta]).toEqual(['views', 1]);
      }
    }
    expect([...kinds].sort()).toEqual(['delete', 'increment', 'insert', 'read', 'update']);
  });

  it('sends duplicate-keys inserts to live ids, and seeds row 1 as written', async () => {
    const scenario = await load('duplicate-keys');
    const w = new Workload(scenario, 5);
    expect(w.seedRows()[0]).toEqual({ id: 1, owner: 'original', amount: 100 });
    const first = [...w.ops(0)];
    expect(first).toHaveLength(100);
    expect(new Set(first.map((op) => `${op.kind}:${op.id}`))).toEqual(new Set(['insert:1']));
    const live = new Set(w.seedRows().map((r) => r.id));
    let duplicates = 0;
    for (const op of w.ops(1)) {
      if (op.kind !== 'insert') continue;
      if (live.has(op.id)) duplicates++;
      else live.add(op.id);
    }
    const inserts = [...w.ops(1)].filter((op) => op.kind === 'insert').length;
    expect(duplicates / inserts).toBeGreaterThan(0.4);
    expect(duplicates / inserts).toBeLessThan(0.6);
  });

  it('walks seed-bulk in ascending ids: insert, update, delete each row once', async () => {
    const w = new Workload(await load('seed-bulk', { rows: '50' }), 1);
    const ids = Array.from({ length: 50 }, (_, i) => i + 1);
    for (const [phase, kind] of [[0, 'insert'], [1, 'update'], [2, 'delete']] as const) {
      const ops = [...w.ops(phase)];
      expect(ops.map((op) => op.id)).toEqual(ids);
      expect(new Set(ops.map((op) => op.kind))).toEqual(new Set([kind]));
      expect(ops.map((op) => op.index)).toEqual(ids.map((id) => id - 1));
    }
  });

  it('keeps counter-race on its one row: 2 × increments of +2 and one +1', async () => {
    const scenario = await load('counter-race', { increments: '100' });
    const w = new Workload(scenario, 9);
    const ops = [...w.ops(0), ...w.ops(1)];
    expect(ops.every((op) => op.kind === 'increment' && op.id === 1 && op.column === 'counter')).toBe(true);
    expect(ops.reduce((sum, op) => sum + (op.delta ?? 0), Number(w.seedRows()[0]?.counter))).toBe(201);
  });

  it('poisons index-rejects: that fraction of inserts and updates, marked, with the poison value, the same for every consumer', async () => {
    const scenario = await load('index-rejects');
    const poison = scenario.phases[0]!.poison!;
    const ops = [...new Workload(scenario, 4).ops(0)];
    const poisoned = ops.filter((op) => op.poison === true);
    expect(new Set(poisoned.map((op) => op.kind))).toEqual(new Set(['insert', 'update']));
    expect(poisoned.every((op) => op.values?.[poison.column] === poison.value)).toBe(true);
    expect(ops.filter((op) => op.poison !== true && op.values?.[poison.column] === poison.value)).toEqual([]);
    const writes = ops.filter((op) => op.kind === 'insert' || op.kind === 'update').length;
    expect(poisoned.length / writes).toBeGreaterThan(poison.fraction / 2);
    expect(poisoned.length / writes).toBeLessThan(poison.fraction * 2);
    expect([...new Workload(scenario, 4).ops(0)]).toEqual(ops);
  });

  it('draws nothing more for phases without poison: their ops are exactly those generated before poison existed', async () => {
    // Digests of the ops at seed 42, taken with the generator as it was before `poison` was added.
    const before: Record<string, string> = { 'mixed-crud': 'bb6a88f935b0deda', projection: 'c57f9e2657f66702', 'duplicate-keys': '6e871f032b47cf9d' };
    for (const [name, digest] of Object.entries(before)) {
      const scenario = await load(name);
      const w = new Workload(scenario, 42);
      const text = JSON.stringify(scenario.phases.map((_, i) => [...w.ops(i)]));
      expect(createHash('sha256').update(text).digest('hex').slice(0, 16), name).toBe(digest);
    }
  });

  it('aims xa-rollback-under-cdc branches at live keys or at fresh ids that stay unused, and leaves the key model as it was', async () => {
    const scenario = await load('xa-rollback-under-cdc');
    const phase = scenario.phases[0]!;
    const w = new Workload(scenario, 8);
    const live = new Set(w.seedRows().map((r) => r.id));
    const everSeen = new Set(live);
    const branchInserts = new Set<number>();
    const branches: Op[] = [];
    for (const op of w.ops(0)) {
      if (op.kind === 'xaRollback') {
        branches.push(op);
        expect(op.holdMs).toBe(phase.xaRollback?.holdMs);
        if (op.branch === 'insert') {
          expect(everSeen.has(op.id), `branch insert ${op.id} reuses an id`).toBe(false);
          expect(Object.keys(op.values ?? {})).toEqual(Object.keys(scenario.entity.columns));
          branchInserts.add(op.id);
          everSeen.add(op.id);
        } else {
          expect(op.branch).toBe('update');
          expect(live.has(op.id), `branch update of ${op.id}, not live`).toBe(true);
          expect(Object.keys(op.values ?? {})).toEqual(Object.keys(scenario.entity.columns));
        }
        continue; // a rolled-back branch changes nothing
      }
      expect(branchInserts.has(op.id), `${op.kind} of ${op.id}, an id only a rolled-back branch inserted`).toBe(false);
      if (op.kind === 'insert') {
        expect(everSeen.has(op.id)).toBe(false);
        live.add(op.id);
        everSeen.add(op.id);
      } else {
        expect(live.has(op.id), `${op.kind} of ${op.id} after its delete`).toBe(true);
        if (op.kind === 'delete') live.delete(op.id);
      }
    }
    const share = branches.length / phase.ops!;
    expect(share).toBeGreaterThan(0.05);
    expect(share).toBeLessThan(0.15);
    const inserts = branches.filter((op) => op.branch === 'insert').length / branches.length;
    expect(inserts).toBeGreaterThan(0.1);
    expect(inserts).toBeLessThan(0.45);
    // The next phase starts from a model where the branches' fresh ids are used up, never live.
    const after = w.startKeys(1);
    expect([...branchInserts].some((id) => after.has(id))).toBe(false);
    expect(after.nextId).toBeGreaterThan(Math.max(...branchInserts));
  });

  it('gives a duration phase an endless sequence with ids from its own block', () => {
    const scenario = parseScenario(
      `
name: soak
description: duration phase
entity: { table: soak, columns: { n: { type: int } } }
seed: { generate: { count: 5 } }
phases:
  - { name: soak, durationMs: 1000, mix: { insert: 1 } }
  - { name: after, ops: 3, mix: { insert: 1 } }
`,
      {},
      'soak.yaml',
    );
    const w = new Workload(scenario, 1);
    const soak = w.ops(0);
    const first = Array.from({ length: 10_000 }, () => soak.next().value as Op);
    expect(first.map((op) => op.id)).toEqual(first.map((_, i) => DURATION_ID_BLOCK + i));
    expect([...w.ops(1)].map((op) => op.id)).toEqual([6, 7, 8]);
  });
});

describe('key selection', () => {
  const keys = new KeySpace(Array.from({ length: 100 }, (_, i) => i + 1));
  const tally = (how: ConstructorParameters<typeof KeySelector>[1], draws: number): Map<number, number> => {
    const selector = new KeySelector(keys, how, new Rng(11, 'tally'));
    const counts = new Map<number, number>();
    for (let i = 0; i < draws; i++) {
      const id = selector.pick() as number;
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    return counts;
  };

  it('zipf draws rank k with probability ∝ 1/k^s', () => {
    const counts = tally({ select: 'zipf', exponent: 1 }, 50_000);
    let harmonic = 0;
    for (let k = 1; k <= 100; k++) harmonic += 1 / k;
    for (const k of [1, 2, 10]) expect((counts.get(k) ?? 0) / 50_000).toBeCloseTo(1 / k / harmonic, 2);
  });

  it('hot sends hotWeight of the picks to the first hotFraction of keys', () => {
    const counts = tally({ select: 'hot', hotFraction: 0.05, hotWeight: 0.8 }, 20_000);
    const hot = [1, 2, 3, 4, 5].reduce((sum, id) => sum + (counts.get(id) ?? 0), 0);
    expect(hot / 20_000).toBeCloseTo(0.8, 1);
    expect(counts.size).toBe(100);
  });

  it('uniform touches every key about equally; list only its ids', () => {
    const uniform = tally({ select: 'uniform' }, 20_000);
    expect(Math.min(...uniform.values())).toBeGreaterThan(130);
    expect(Math.max(...uniform.values())).toBeLessThan(270);
    expect([...tally({ select: 'list', ids: [7, 9] }, 1_000).keys()].sort()).toEqual([7, 9]);
  });
});
