// converge: synthetic runs for the checker's own proof. A small world of keys is driven by
// overlapping operations that take effect at a random instant inside their [invoke, complete]
// window (a linearizable, hence anomaly-free, history) with failed and unknown writes, duplicate
// inserts and re-inserts after deletes; the final MySQL and index snapshots agree, with the index
// side written in the other spellings engines use (0/1, epoch ms, numeric strings). Then defects
// are injected, each on its own key, and the exact anomalies and differences they must cause are
// returned beside the run.
import type { Entity } from '../../harness/scenario/schema.ts';
import { projectRow, type Doc, type Row } from '../../harness/scenario/projection.ts';
import type { HistoryEntry, ReadValue } from '../../harness/history/entry.ts';
import type { Op } from '../../harness/workload/op.ts';
import { Rng } from '../../harness/workload/rng.ts';
import { generateValues } from '../../harness/workload/values.ts';
import type { AnomalyKind, AnomalySample } from '../../harness/checker/anomalies.ts';

export const ENTITY: Entity = {
  table: 'synthetic',
  columns: {
    name: { type: 'varchar', length: 16, nullable: false },
    n: { type: 'int', nullable: false },
    big: { type: 'bigint', nullable: false },
    flag: { type: 'boolean', nullable: false },
    at: { type: 'datetime', nullable: false },
    score: { type: 'double', nullable: true },
    secret: { type: 'text', nullable: false },
  },
  projection: {
    rename: { name: 'title' },
    drop: ['secret'],
    computed: {
      label: { concat: [{ upper: { col: 'name' } }, '-', { col: 'n' }] },
      total: { add: [{ col: 'n' }, { col: 'big' }] },
    },
  },
};
const COLUMNS = Object.keys(ENTITY.columns);

export const DEFECTS = ['dropped', 'altered', 'leaked', 'orphan', 'regression', 'resurrection', 'finalResurrection', 'dirty', 'stale'] as const;
export type Defect = (typeof DEFECTS)[number];

export interface Expected {
  readonly missing: number[];
  readonly extra: number[];
  readonly mismatched: number[];
  readonly anomalies: Record<AnomalyKind, AnomalySample[]>;
}

export interface SyntheticRun {
  readonly seedRows: Row[];
  readonly history: HistoryEntry[];
  /** MySQL's final table, projected, ascending ids. */
  readonly mysql: Doc[];
  /** The final index, ascending ids, defects applied. */
  readonly index: Doc[];
  readonly injected: Defect[];
  readonly expected: Expected;
  /** What the consistent part exercised, to show the proof is not vacuous. */
  readonly features: { reads: number; unknownWrites: number; failedWrites: number; reinserts: number };
}

type State = { row: { id: number; version: number; [column: string]: unknown } } | null;

interface PlannedOp {
  op: Op;
  invoke: number;
  complete: number;
  outcome: 'ok' | 'fail' | 'unknown';
  value?: unknown;
  version?: number | null;
  /** Which defect this read demonstrates (its completion index becomes the expected sample). */
  tag?: AnomalyKind;
}

/** The index's spelling of a document: booleans as 0/1, datetimes as epoch ms or SQL text, BIGINTs as strings. */
function respell(doc: Doc, rng: Rng): Doc {
  const out: Record<string, unknown> = { ...doc };
  if (rng.chance(0.5) && typeof out.flag === 'boolean') out.flag = out.flag ? 1 : 0;
  const at = out.at;
  if (typeof at === 'string') {
    const pick = rng.int(0, 2);
    if (pick === 1) out.at = Date.parse(at);
    if (pick === 2) out.at = at.replace('T', ' ').replace(/\.000Z$/, '');
  }
  if (rng.chance(0.5)) out.big = String(out.big);
  if (rng.chance(0.3)) out.version = String(out.version);
  if (out.score === null && rng.chance(0.5)) delete out.score;
  return out as Doc;
}

/** Builds one synthetic run from `seed`, with up to `maxDefects` defects injected. */
export function syntheticRun(seed: number, maxDefects: number): SyntheticRun {
  const rng = new Rng(seed, 'synthetic');
  const seeded = rng.int(2, 6);
  const keySpace = seeded + rng.int(3, 6);
  const state = new Map<number, State>();
  const seedRows: Row[] = [];
  for (let id = 1; id <= seeded; id++) {
    const values = generateValues(ENTITY.columns, COLUMNS, rng);
    seedRows.push({ id, ...values });
    state.set(id, { row: { id, version: 1, ...values } });
  }
  const facts = new Map<number, { inserts: number; unknownInsert: boolean; wildcard: boolean }>();
  const fact = (id: number): { inserts: number; unknownInsert: boolean; wildcard: boolean } => {
    let f = facts.get(id);
    if (f === undefined) facts.set(id, (f = { inserts: id <= seeded ? 1 : 0, unknownInsert: false, wildcard: false }));
    return f;
  };
  const features = { reads: 0, unknownWrites: 0, failedWrites: 0, reinserts: 0 };

  // The consistent part: overlapping operations applied at their linearization points.
  const planned: (PlannedOp & { at: number })[] = [];
  const count = rng.int(10, 40);
  for (let i = 0; i < count; i++) {
    const invoke = rng.int(0, 100_000) / 100;
    const at = invoke + rng.int(1, 2_000) / 100;
    const complete = at + rng.int(1, 2_000) / 100;
    const kind = (['insert', 'update', 'increment', 'delete', 'read', 'read'] as const)[rng.int(0, 5)] ?? 'read';
    const id = rng.int(1, keySpace);
    const op: Op = { index: i, phase: 'synthetic', kind, id };
    if (kind === 'insert' || kind === 'update') op.values = generateValues(ENTITY.columns, COLUMNS, rng);
    if (kind === 'increment') Object.assign(op, { column: 'n', delta: rng.int(1, 3) });
    const roll = rng.float();
    const outcome = kind === 'read' ? 'ok' : roll < 0.08 ? 'fail' : roll < 0.16 ? 'unknown' : 'ok';
    planned.push({ op, invoke, complete, outcome, at });
  }
  planned.sort((a, b) => a.at - b.at);
  for (const p of planned) {
    const { op } = p;
    const current = state.get(op.id) ?? null;
    const f = fact(op.id);
    const applies = p.outcome === 'ok' || (p.outcome === 'unknown' && rng.chance(0.5));
    if (op.kind === 'read') {
      features.reads++;
      const seen: ReadValue = current === null
        ? { found: false, doc: null, version: null }
        : { found: true, doc: respell(projectRow(ENTITY, current.row), rng), version: current.row.version };
      Object.assign(p, { value: seen, version: seen.version });
      continue;
    }
    if (p.outcome === 'fail') features.failedWrites++;
    if (p.outcome === 'unknown') features.unknownWrites++;
    if (op.kind === 'insert') {
      if (current !== null && p.outcome !== 'unknown') p.outcome = 'fail'; // duplicate key
      if (p.outcome !== 'fail') {
        f.inserts++;
        if (p.outcome === 'unknown') f.unknownInsert = true;
        if (f.inserts > 1) features.reinserts++;
      }
      if (current === null && applies && p.outcome !== 'fail') {
        const row = { id: op.id, version: 1, ...op.values };
        state.set(op.id, { row });
        Object.assign(p, { value: row, version: 1 });
      }
      continue;
    }
    if (p.outcome === 'unknown' && op.kind !== 'delete') f.wildcard = true;
    if (!applies) continue;
    if (current === null) {
      Object.assign(p, { value: null, version: null });
    } else if (op.kind === 'delete') {
      state.set(op.id, null);
      Object.assign(p, { value: current.row, version: current.row.version });
    } else {
      const row: NonNullable<State>['row'] = { ...current.row, version: current.row.version + 1 };
      if (op.kind === 'update') Object.assign(row, op.values);
      else row.n = Number(row.n) + (op.delta ?? 0);
      state.set(op.id, { row });
      Object.assign(p, { value: row, version: row.version });
    }
  }

  // Defects, each on its own key, each in its own quiet time slot after everything above.
  const expected: Expected = { missing: [], extra: [], mismatched: [], anomalies: { dirtyReads: [], resurrections: [], versionRegressions: [], staleReads: [] } };
  const finalIndexEdits: ((docs: Map<number, Doc>) => void)[] = [];
  const injected: Defect[] = [];
  const used = new Set<number>();
  let slot = 5_000;
  let nextIndex = count;
  const present = (): number[] => [...state].filter(([id, s]) => s !== null && !used.has(id)).map(([id]) => id);
  const extraOp = (kind: Op['kind'], id: number, t: number, outcome: PlannedOp['outcome'], more: Partial<PlannedOp> = {}, values?: Op['values']): PlannedOp => {
    const op: Op = { index: nextIndex++, phase: 'defects', kind, id, ...(values === undefined ? {} : { values }) };
    return { op, invoke: slot + t, complete: slot + t + 5, outcome, ...more };
  };
  const patterns: PlannedOp[] = [];
  const wanted = rng.int(0, maxDefects);
  for (let attempt = 0; attempt < 20 && injected.length < wanted; attempt++) {
    const defect = DEFECTS[rng.int(0, DEFECTS.length - 1)] as Defect;
    const candidates = present().filter((id) => {
      const f = fact(id);
      switch (defect) {
        case 'regression':
        case 'stale':
          return f.inserts <= 1 && !f.wildcard;
        case 'resurrection':
        case 'finalResurrection':
          return !f.unknownInsert && !f.wildcard;
        case 'dirty':
          return !f.wildcard;
        default:
          return true;
      }
    });
    const id = defect === 'orphan' ? keySpace + 100 + injected.length : candidates[rng.int(0, candidates.length - 1)];
    if (id === undefined) continue;
    used.add(id);
    injected.push(defect);
    slot += 1_000;
    const row = state.get(id)?.row;
    const doc = row === undefined ? null : respell(projectRow(ENTITY, row), rng);
    const next = row === undefined ? undefined : { ...row, version: row.version + 1, name: `next${seed}x${id}` };
    const sees = (d: Doc | null): { value: ReadValue; version: number | null } => ({
      value: { found: d !== null, doc: d, version: d === null ? null : Number(d.version) },
      version: d === null ? null : Number(d.version),
    });
    switch (defect) {
      case 'dropped':
        finalIndexEdits.push((docs) => docs.delete(id));
        expected.missing.push(id);
        break;
      case 'altered':
        finalIndexEdits.push((docs) => docs.set(id, { ...(docs.get(id) as Doc), title: `altered-${seed}` }));
        expected.mismatched.push(id);
        break;
      case 'leaked':
        // the dropped column reaches the index
        finalIndexEdits.push((docs) => docs.set(id, { ...(docs.get(id) as Doc), secret: String(row?.secret) }));
        expected.mismatched.push(id);
        break;
      case 'orphan':
        finalIndexEdits.push((docs) => docs.set(id, respell(projectRow(ENTITY, { id, version: 3, ...generateValues(ENTITY.columns, COLUMNS, rng) }), rng)));
        expected.extra.push(id);
        break;
      case 'regression': {
        // An update acknowledged late; one read sees it early, a later read sees the state before it.
        const w = extraOp('update', id, 0, 'ok', { value: next, version: next?.version }, { name: next?.name ?? '' });
        w.complete = slot + 100;
        patterns.push(w, extraOp('read', id, 10, 'ok', sees(projectRow(ENTITY, next as Row))), extraOp('read', id, 30, 'ok', { ...sees(doc), tag: 'versionRegressions' }));
        state.set(id, { row: next as NonNullable<State>['row'] });
        break;
      }
      case 'stale': {
        const w = extraOp('update', id, 0, 'ok', { value: next, version: next?.version }, { name: next?.name ?? '' });
        patterns.push(w, extraOp('read', id, 20, 'ok', { ...sees(doc), tag: 'staleReads' }));
        state.set(id, { row: next as NonNullable<State>['row'] });
        break;
      }
      case 'dirty': {
        // A failed update whose values the index shows anyway.
        // (at the next version, or at the current version with other values)
        const ghost = { ...(row as Row), version: (row?.version ?? 0) + rng.int(0, 1), name: `dirty${seed}x${id}` };
        patterns.push(extraOp('update', id, 0, 'fail', {}, { name: ghost.name }), extraOp('read', id, 20, 'ok', { ...sees(projectRow(ENTITY, ghost)), tag: 'dirtyReads' }));
        break;
      }
      case 'resurrection':
      case 'finalResurrection': {
        patterns.push(extraOp('delete', id, 0, 'ok', { value: row, version: row?.version ?? null }));
        state.set(id, null);
        if (defect === 'resurrection') {
          patterns.push(extraOp('read', id, 20, 'ok', sees(null)), extraOp('read', id, 40, 'ok', { ...sees(doc), tag: 'resurrections' }));
        } else {
          finalIndexEdits.push((docs) => docs.set(id, doc as Doc));
          expected.extra.push(id);
          expected.anomalies.resurrections.push({ id, read: null });
        }
        break;
      }
    }
  }

  // The history: every invocation and completion in time order (an unknown write completes when
  // the harness gave up on it). Each operation runs on its own logical process.
  const events: { time: number; entry: Omit<HistoryEntry, 'index'>; tag?: AnomalyKind; id: number }[] = [];
  [...planned, ...patterns].forEach((p, process) => {
    events.push({ time: p.invoke, id: p.op.id, entry: { process, type: 'invoke', op: p.op, time: p.invoke } });
    const done: Omit<HistoryEntry, 'index'> = { process, type: p.outcome, op: p.op, time: p.complete };
    if (p.outcome === 'ok') Object.assign(done, { value: p.value ?? null, version: p.version ?? null });
    if (p.op.kind === 'read') done.store = 'index';
    events.push({ time: p.complete, id: p.op.id, entry: done, ...(p.tag === undefined ? {} : { tag: p.tag }) });
  });
  events.sort((a, b) => a.time - b.time);
  const history = events.map((e, index) => {
    if (e.tag !== undefined) expected.anomalies[e.tag].push({ id: e.id, read: index });
    return { index, ...e.entry };
  });

  const live = [...state].filter((e): e is [number, NonNullable<State>] => e[1] !== null).sort(([a], [b]) => a - b);
  const mysql = live.map(([, s]) => projectRow(ENTITY, s.row));
  const docs = new Map(live.map(([id, s]) => [id, respell(projectRow(ENTITY, s.row), rng)]));
  for (const edit of finalIndexEdits) edit(docs);
  const index = [...docs].sort(([a], [b]) => a - b).map(([, d]) => d);
  for (const list of [expected.missing, expected.extra, expected.mismatched]) list.sort((a, b) => a - b);
  for (const list of Object.values(expected.anomalies)) list.sort((a, b) => a.id - b.id || (a.read ?? Infinity) - (b.read ?? Infinity));
  return { seedRows, history, mysql, index, injected, expected, features };
}
