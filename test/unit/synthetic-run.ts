// converge: synthetic runs for the checker's own proof. A small world of keys is driven by
// overlapping operations that take effect at a random instant inside their [invoke, complete]
// window, with failed and unknown writes, duplicate inserts and re-inserts after deletes; the final
// MySQL and index snapshots agree, with the index side written in the other spellings engines use
// (0/1, epoch ms, numeric strings) and returned in the engine's scan order (ascending `id` field,
// documents sharing it in any order). The reads see one of two correct indexes: an up-to-date one
// (a linearizable history) or a lagging one (see lagging-index.ts: each key's changes applied in
// order, late, with or without redeliveries), which must give no false alarm. Then, on an
// up-to-date run, defects are injected, each on its own key, concurrently with other writes on that
// key, and the exact anomalies and differences they must cause are returned beside the run:
// divergence, document identity (right bodies under wrong `_id`s), values that differ only in a
// way a lenient normalisation would miss, the anomaly kinds, and acknowledged writes lost in MySQL
// and the index alike (which no comparison of the two can see).
import type { IndexDoc } from '../../harness/checker/convergence.ts';
import type { AnomalyKind, AnomalySample } from '../../harness/checker/anomalies.ts';
import type { LostWrite } from '../../harness/checker/lost-writes.ts';
import type { HistoryEntry, ReadValue } from '../../harness/history/entry.ts';
import { projectRow, type Doc, type Row } from '../../harness/scenario/projection.ts';
import type { Entity, Scalar } from '../../harness/scenario/schema.ts';
import type { Op } from '../../harness/workload/op.ts';
import { Rng } from '../../harness/workload/rng.ts';
import { generateValues } from '../../harness/workload/values.ts';
import { LaggingIndex, type Change } from './lagging-index.ts';

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

export const DEFECTS = [
  'dropped',
  'altered',
  'leaked',
  'orphan',
  'rekeyed',
  'swapped',
  'cloned',
  'strayKey',
  'subtle',
  'regression',
  'resurrection',
  'finalResurrection',
  'dirty',
  'stale',
  'lostUpdate',
  'lostInsert',
  'keptDelete',
] as const;
export type Defect = (typeof DEFECTS)[number];

/** Which index the reads see: up to date, or correct but late (with redeliveries or not). */
export type IndexModel = 'current' | 'lagging' | 'redelivering';

export interface Expected {
  readonly missing: number[];
  readonly extra: number[];
  readonly mismatched: number[];
  readonly extraNonNumeric: string[];
  /** Per mismatched id whose differences are known: exactly these fields, or at least these. */
  readonly fields: { id: number; fields: string[]; exactly: boolean }[];
  readonly anomalies: Record<AnomalyKind, AnomalySample[]>;
  /** Keys whose acknowledged write MySQL lost (and the index with it), in id order. */
  readonly lostWrites: LostWrite[];
}

export interface SyntheticRun {
  readonly seedRows: Row[];
  readonly history: HistoryEntry[];
  /** MySQL's final table, projected, ascending ids. */
  readonly mysql: Doc[];
  /** The final index as the engine's scan returns it, defects applied. */
  readonly index: IndexDoc[];
  readonly injected: Defect[];
  readonly expected: Expected;
  /** What the consistent part exercised, to show the proof is not vacuous. */
  readonly features: {
    reads: number;
    unknownWrites: number;
    failedWrites: number;
    reinserts: number;
    /** Reads that saw an older state than MySQL held at that instant (lagging models). */
    laggingReads: number;
    /** Found reads after an acknowledged delete and a later read of absence: the shape lag gives. */
    lagLookalikes: number;
    /** Changes delivered again, and how many of those the external version rejected. */
    replays: number;
    rejected: number;
  };
}

type RowState = { id: number; version: number; [column: string]: unknown };

interface PlannedOp {
  op: Op;
  invoke: number;
  complete: number;
  outcome: 'ok' | 'fail' | 'unknown';
  value?: unknown;
  version?: number | null;
  /** Which defect this read demonstrates (its completion index becomes the expected sample). */
  tag?: AnomalyKind;
  /** An acknowledged write MySQL will not hold: the final row's version (null: no row). */
  lost?: { final: number | null };
}

/** The index's spelling of a document: booleans as 0/1, datetimes as epoch ms or SQL text, BIGINTs as strings. */
function respell(doc: Doc, rng: Rng): Record<string, unknown> {
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
  return out;
}

/**
 * A column value MySQL holds and the value the index holds instead: the same under a lenient
 * reading (Number(), dropped digits, a rolled-over date, trimmed text), different values all the
 * same, which the projection must preserve.
 */
const LENIENT_TWINS: readonly { column: string; field: string; mysql: Scalar; index: readonly unknown[] }[] = [
  { column: 'big', field: 'big', mysql: '9007199254740993', index: [9007199254740992, '9007199254740992'] },
  { column: 'at', field: 'at', mysql: '2024-05-06 07:08:09', index: ['2024-05-06 07:08:09.000400', '2024-05-06T07:08:09.0004Z'] },
  { column: 'at', field: 'at', mysql: '2024-03-01 00:00:00', index: ['2024-02-30 00:00:00'] },
  { column: 'at', field: 'at', mysql: '2024-01-02 00:00:00', index: ['2024-01-01 24:00:00', Date.UTC(2024, 0, 2) + 0.5] },
  { column: 'n', field: 'n', mysql: 7, index: [' 7', '0x7', '7e0', '007', '7.0', '+7'] },
  { column: 'name', field: 'title', mysql: 'Abc', index: ['abc', 'Abc ', 'ABC'] },
  { column: 'name', field: 'title', mysql: '5', index: [5] },
  { column: 'score', field: 'score', mysql: null, index: [0, ''] },
  { column: 'score', field: 'score', mysql: 0, index: [null, ''] },
  { column: 'flag', field: 'flag', mysql: false, index: ['', null] },
];

/** `_id`s no row has: not canonical positive integers. */
const STRAY_KEYS = ['abc', '007', '-3', '1.0', ' 4', '0', '9007199254740993', 'x'];

/** Builds one synthetic run from `seed`: reads see `model`; up to `maxDefects` defects (up-to-date runs only). */
export function syntheticRun(seed: number, maxDefects: number, model: IndexModel = 'current'): SyntheticRun {
  const rng = new Rng(seed, `synthetic-${model}`);
  const lagging = model !== 'current';
  // A lagging world is denser (fewer keys, more operations, more reads), so that a key is often
  // inserted, read and deleted while its changes are still on their way to the index.
  const seeded = lagging ? rng.int(1, 3) : rng.int(2, 6);
  const keySpace = seeded + (lagging ? rng.int(2, 4) : rng.int(3, 6));
  const state = new Map<number, RowState | null>();
  const seedRows: Row[] = [];
  for (let id = 1; id <= seeded; id++) {
    const values = generateValues(ENTITY.columns, COLUMNS, rng);
    seedRows.push({ id, ...values });
    state.set(id, { id, version: 1, ...values });
  }
  const initial = new Map([...state].map(([id, row]) => [id, row as RowState]));
  type Facts = { inserts: number; unknownInsert: boolean; unknownDelete: boolean; wildcard: boolean };
  const facts = new Map<number, Facts>();
  const fact = (id: number): Facts => {
    let f = facts.get(id);
    if (f === undefined) facts.set(id, (f = { inserts: id <= seeded ? 1 : 0, unknownInsert: false, unknownDelete: false, wildcard: false }));
    return f;
  };
  const features = { reads: 0, unknownWrites: 0, failedWrites: 0, reinserts: 0, laggingReads: 0, lagLookalikes: 0, replays: 0, rejected: 0 };
  const sees = (row: RowState | null): { value: ReadValue; version: number | null } => {
    const doc = row === null ? null : respell(projectRow(ENTITY, row), rng);
    return { value: { found: doc !== null, doc, version: row === null ? null : row.version }, version: row === null ? null : row.version };
  };

  // The consistent part: overlapping operations applied at their linearization points, each
  // applied write one committed change.
  const planned: (PlannedOp & { at: number })[] = [];
  const span = lagging ? 500 : 1_000; // ms over which the operations start
  const plan = (kind: Op['kind'], id: number, invoke: number): void => {
    const at = invoke + rng.int(1, 2_000) / 100;
    const complete = at + rng.int(1, 2_000) / 100;
    const op: Op = { index: planned.length, phase: 'synthetic', kind, id };
    if (kind === 'insert' || kind === 'update') op.values = generateValues(ENTITY.columns, COLUMNS, rng);
    if (kind === 'increment') Object.assign(op, { column: 'n', delta: rng.int(1, 3) });
    const roll = rng.float();
    const outcome = kind === 'read' ? 'ok' : roll < 0.08 ? 'fail' : roll < 0.16 ? 'unknown' : 'ok';
    planned.push({ op, invoke, complete, outcome, at });
  };
  const count = lagging ? rng.int(30, 70) : rng.int(10, 40);
  const kinds = lagging ? (['insert', 'insert', 'update', 'increment', 'delete', 'delete', 'read', 'read', 'read', 'read'] as const) : (['insert', 'update', 'increment', 'delete', 'read', 'read'] as const);
  for (let i = 0; i < count; i++) plan(kinds[rng.int(0, kinds.length - 1)] ?? 'read', rng.int(1, keySpace), rng.int(0, span * 100) / 100);
  if (lagging) {
    // Two keys with a whole lifetime inside the run (insert, maybe update, delete), read often
    // meanwhile and after: where a late index most often shows what an early one would not.
    for (const id of [keySpace + 1, keySpace + 2]) {
      const start = rng.int(0, span * 50) / 100;
      let t = start;
      plan('insert', id, t);
      if (rng.chance(0.5)) plan('update', id, (t += rng.int(500, 6_000) / 100));
      plan('delete', id, (t += rng.int(500, 6_000) / 100));
      for (let reads = rng.int(3, 8); reads > 0; reads--) plan('read', id, start + rng.int(0, 40_000) / 100);
    }
  }
  planned.sort((a, b) => a.at - b.at);
  const changes: Change<RowState>[] = [];
  const reads: (PlannedOp & { at: number; mysql: RowState | null })[] = [];
  for (const p of planned) {
    const { op } = p;
    const current = state.get(op.id) ?? null;
    const f = fact(op.id);
    const applies = p.outcome === 'ok' || (p.outcome === 'unknown' && rng.chance(0.5));
    if (op.kind === 'read') {
      features.reads++;
      reads.push(Object.assign(p, { mysql: current }));
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
        state.set(op.id, row);
        changes.push({ key: op.id, at: p.at, state: row });
        Object.assign(p, { value: row, version: 1 });
      }
      continue;
    }
    if (p.outcome === 'unknown' && op.kind !== 'delete') f.wildcard = true;
    if (p.outcome === 'unknown' && op.kind === 'delete') f.unknownDelete = true;
    if (!applies) continue;
    if (current === null) {
      Object.assign(p, { value: null, version: null });
    } else if (op.kind === 'delete') {
      state.set(op.id, null);
      changes.push({ key: op.id, at: p.at, state: null });
      Object.assign(p, { value: current, version: current.version });
    } else {
      const row: RowState = { ...current, version: current.version + 1 };
      if (op.kind === 'update') Object.assign(row, op.values);
      else row.n = Number(row.n) + (op.delta ?? 0);
      state.set(op.id, row);
      changes.push({ key: op.id, at: p.at, state: row });
      Object.assign(p, { value: row, version: row.version });
    }
  }
  // What each read saw, at its instant: MySQL's state, or the lagging index's.
  const replica = lagging ? new LaggingIndex(initial, changes, rng, { redeliveries: model === 'redelivering', maxDelayMs: 500 }) : null;
  for (const read of reads) {
    const seen = replica === null ? read.mysql : replica.at(read.op.id, read.at);
    if (seen !== read.mysql) features.laggingReads++;
    Object.assign(read, sees(seen));
  }
  if (replica !== null) {
    features.replays = replica.stats.replays;
    features.rejected = replica.stats.rejected;
    for (const [id, row] of state) if (replica.final(id) !== row) throw new Error(`the lagging index did not catch up on key ${id}`);
  }
  features.lagLookalikes = lagLookalikes(planned);

  // Defects, each on its own key, each in its own time slot after everything above, each with
  // other writes on the same key running concurrently.
  const expected: Expected = {
    missing: [],
    extra: [],
    mismatched: [],
    extraNonNumeric: [],
    fields: [],
    anomalies: { dirtyReads: [], resurrections: [], versionRegressions: [], staleReads: [] },
    lostWrites: [],
  };
  const finalIndexEdits: ((docs: Map<string, Record<string, unknown>>) => void)[] = [];
  const injected: Defect[] = [];
  const used = new Set<number>();
  let slot = 5_000;
  let nextIndex = planned.length;
  const present = (): number[] => [...state].filter(([id, s]) => s !== null && !used.has(id)).map(([id]) => id);
  const patterns: PlannedOp[] = [];
  const at = (kind: Op['kind'], id: number, from: number, to: number, outcome: PlannedOp['outcome'], more: Partial<PlannedOp> = {}, values?: Op['values']): PlannedOp => {
    const op: Op = { index: nextIndex++, phase: 'defects', kind, id, ...(values === undefined ? {} : { values }) };
    if (kind === 'increment') Object.assign(op, { column: 'n', delta: 2 });
    const p: PlannedOp = { op, invoke: slot + from, complete: slot + to, outcome, ...more };
    patterns.push(p);
    return p;
  };
  const wrote = (row: RowState | null): Partial<PlannedOp> => ({ value: row, version: row === null ? null : row.version });
  const noise = (id: number, from: number, to: number): void => {
    // A write that definitely did not happen, overlapping the pattern.
    const kind = (['insert', 'update', 'increment', 'delete'] as const)[rng.int(0, 3)] ?? 'update';
    at(kind, id, from, to, 'fail', {}, kind === 'insert' || kind === 'update' ? { name: `fail${seed}x${id}` } : undefined);
  };
  const wanted = lagging ? 0 : rng.int(0, maxDefects);
  for (let attempt = 0; attempt < 20 && injected.length < wanted; attempt++) {
    const defect = DEFECTS[rng.int(0, DEFECTS.length - 1)] as Defect;
    const candidates = present().filter((id) => {
      const f = fact(id);
      switch (defect) {
        case 'regression':
        case 'stale':
        case 'resurrection':
          return f.inserts <= 1 && !f.wildcard;
        case 'finalResurrection':
          return !f.unknownInsert && !f.wildcard;
        case 'lostUpdate':
          // a delete of unknown outcome may take effect at any time: no later write can be judged
          return !f.unknownDelete;
        case 'keptDelete':
          // an insert of unknown outcome may re-create the row at any time
          return !f.unknownInsert;
        case 'dirty':
          return !f.wildcard;
        default:
          return true;
      }
    });
    const pick = (): number | undefined => {
      const left = candidates.filter((id) => !used.has(id));
      const id = left[rng.int(0, left.length - 1)];
      if (id !== undefined) used.add(id);
      return id;
    };
    const fresh = (): number => keySpace + 100 + injected.length;
    const two = defect === 'swapped' || defect === 'cloned';
    if (candidates.length < (two ? 2 : 1) && defect !== 'orphan' && defect !== 'strayKey' && defect !== 'lostInsert') continue;
    injected.push(defect);
    slot += 1_000;
    if (defect === 'orphan') {
      const id = fresh();
      finalIndexEdits.push((docs) => docs.set(String(id), respell(projectRow(ENTITY, { id, version: 3, ...generateValues(ENTITY.columns, COLUMNS, rng) }), rng)));
      expected.extra.push(id);
      continue;
    }
    if (defect === 'strayKey') {
      const key = STRAY_KEYS[rng.int(0, STRAY_KEYS.length - 1)] as string;
      const like = present()[0] ?? 1;
      finalIndexEdits.push((docs) => docs.set(key, respell(projectRow(ENTITY, { id: like, version: 1, ...generateValues(ENTITY.columns, COLUMNS, rng) }), rng)));
      if (!expected.extraNonNumeric.includes(key)) expected.extraNonNumeric.push(key);
      else injected.pop();
      continue;
    }
    if (defect === 'lostInsert') {
      // An insert acknowledged and in neither store, while a delete that found no row and a failed
      // delete overlap it (neither may excuse it).
      const id = fresh();
      const row: RowState = { id, version: 1, ...generateValues(ENTITY.columns, COLUMNS, rng) };
      at('delete', id, 0, 4, 'ok', wrote(null));
      at('insert', id, 2, 10, 'ok', { ...wrote(row), lost: { final: null } }, generateValues(ENTITY.columns, COLUMNS, rng));
      at('delete', id, 5, 15, 'fail');
      continue;
    }
    const id = pick() as number;
    const row = state.get(id) as RowState;
    const next: RowState = { ...row, version: row.version + 1, name: `next${seed}x${id}` };
    const doc = (r: RowState): Record<string, unknown> => respell(projectRow(ENTITY, r), rng);
    switch (defect) {
      case 'dropped':
        finalIndexEdits.push((docs) => docs.delete(String(id)));
        expected.missing.push(id);
        break;
      case 'altered':
        finalIndexEdits.push((docs) => docs.set(String(id), { ...docs.get(String(id)), title: `altered-${seed}` }));
        expected.mismatched.push(id);
        expected.fields.push({ id, fields: ['title'], exactly: true });
        break;
      case 'leaked':
        // the dropped column reaches the index
        finalIndexEdits.push((docs) => docs.set(String(id), { ...docs.get(String(id)), secret: String(row.secret) }));
        expected.mismatched.push(id);
        expected.fields.push({ id, fields: ['secret'], exactly: true });
        break;
      case 'rekeyed': {
        // the row's document, under an `_id` no row has
        const stray = fresh();
        finalIndexEdits.push((docs) => {
          const body = docs.get(String(id));
          docs.delete(String(id));
          docs.set(String(stray), body as Record<string, unknown>);
        });
        expected.missing.push(id);
        expected.extra.push(stray);
        break;
      }
      case 'swapped':
      case 'cloned': {
        // two rows' documents under each other's `_id` (swapped), or one row's document also under
        // another row's `_id` in place of that row's own (cloned: two documents share an `id`)
        const other = pick() as number;
        finalIndexEdits.push((docs) => {
          const mine = docs.get(String(id)) as Record<string, unknown>;
          const theirs = docs.get(String(other)) as Record<string, unknown>;
          docs.set(String(other), { ...mine });
          if (defect === 'swapped') docs.set(String(id), theirs);
        });
        for (const key of defect === 'swapped' ? [id, other] : [other]) {
          expected.mismatched.push(key);
          expected.fields.push({ id: key, fields: ['id'], exactly: false });
        }
        break;
      }
      case 'subtle': {
        // the last write sets a value the index then holds in a form equal only to a lenient reading
        const twin = LENIENT_TWINS[rng.int(0, LENIENT_TWINS.length - 1)] as (typeof LENIENT_TWINS)[number];
        const written: RowState = { ...row, version: row.version + 1, [twin.column]: twin.mysql };
        at('update', id, 0, 5, 'ok', wrote(written), { [twin.column]: twin.mysql });
        state.set(id, written);
        const held = twin.index[rng.int(0, twin.index.length - 1)];
        finalIndexEdits.push((docs) => docs.set(String(id), { ...doc(written), [twin.field]: held }));
        expected.mismatched.push(id);
        expected.fields.push({ id, fields: [twin.field], exactly: true });
        break;
      }
      case 'regression': {
        // An update acknowledged late; one read sees it early, a later read sees the state before
        // it, while an increment runs concurrently and a failed write overlaps.
        const after: RowState = { ...next, version: next.version + 1, n: Number(next.n) + 2 };
        at('update', id, 0, 100, 'ok', wrote(next), { name: next.name as string });
        at('read', id, 10, 15, 'ok', sees(next));
        at('increment', id, 20, 60, 'ok', wrote(after));
        at('read', id, 30, 35, 'ok', { ...sees(row), tag: 'versionRegressions' });
        at('read', id, 70, 75, 'ok', sees(after));
        noise(id, 25, 45);
        state.set(id, after);
        break;
      }
      case 'stale': {
        // An update acknowledged at +5; a read at +20 sees the state before it, while a second
        // update (acknowledged at +40) runs; a read overlapping that update sees it.
        const after: RowState = { ...next, version: next.version + 1, name: `after${seed}x${id}` };
        at('update', id, 0, 5, 'ok', wrote(next), { name: next.name as string });
        at('update', id, 3, 40, 'ok', wrote(after), { name: after.name as string });
        at('read', id, 20, 25, 'ok', { ...sees(row), tag: 'staleReads' });
        at('read', id, 28, 45, 'ok', sees(after));
        noise(id, 10, 22);
        state.set(id, after);
        break;
      }
      case 'dirty': {
        // A failed update whose values the index shows anyway (at the next version, or at the
        // current version with other values), while an ok update runs concurrently.
        const ghost = { ...row, version: row.version + rng.int(0, 1), name: `dirty${seed}x${id}` };
        at('update', id, 0, 10, 'fail', {}, { name: ghost.name });
        at('update', id, 5, 30, 'ok', wrote(next), { name: next.name as string });
        at('read', id, 20, 25, 'ok', { ...sees(ghost), tag: 'dirtyReads' });
        at('read', id, 35, 40, 'ok', sees(next));
        state.set(id, next);
        break;
      }
      case 'resurrection': {
        // Seen present, updated, deleted (an update after the delete finds no row), seen gone, and
        // then the deleted document shows again; failed writes overlap.
        at('read', id, 0, 4, 'ok', sees(row));
        at('update', id, 2, 12, 'ok', wrote(next), { name: next.name as string });
        at('delete', id, 10, 20, 'ok', wrote(next));
        at('update', id, 14, 26, 'ok', wrote(null), { name: `late${seed}x${id}` });
        at('read', id, 25, 30, 'ok', sees(null));
        noise(id, 27, 40);
        at('read', id, 40, 45, 'ok', { ...sees(next), tag: 'resurrections' });
        state.set(id, null);
        break;
      }
      case 'lostUpdate': {
        // An update acknowledged and in neither store (both hold the row before it), while a failed
        // delete and an increment of unknown outcome overlap it.
        at('update', id, 0, 10, 'ok', { ...wrote(next), lost: { final: row.version } }, { name: next.name as string });
        at('delete', id, 2, 12, 'fail');
        at('increment', id, 5, 20, 'unknown');
        break;
      }
      case 'keptDelete': {
        // A delete acknowledged and undone in both stores, while a failed insert and an update of
        // unknown outcome overlap it (neither can bring the row back); the index still holds the
        // row, which is also a resurrection in the final index.
        at('delete', id, 0, 5, 'ok', { ...wrote(row), lost: { final: row.version } });
        at('insert', id, 2, 8, 'fail', {}, generateValues(ENTITY.columns, COLUMNS, rng));
        at('update', id, 3, 15, 'unknown', {}, { name: `late${seed}x${id}` });
        expected.anomalies.resurrections.push({ id, read: null });
        break;
      }
      case 'finalResurrection': {
        at('delete', id, 0, 5, 'ok', wrote(row));
        at('update', id, 2, 15, 'ok', wrote(null), { name: `late${seed}x${id}` });
        noise(id, 8, 20);
        state.set(id, null);
        finalIndexEdits.push((docs) => docs.set(String(id), doc(row)));
        expected.extra.push(id);
        expected.anomalies.resurrections.push({ id, read: null });
        break;
      }
    }
  }

  // The history: every invocation and completion in time order (an unknown write completes when
  // the harness gave up on it). Each operation runs on its own logical process.
  const events: { time: number; entry: Omit<HistoryEntry, 'index'>; tag?: AnomalyKind; lost?: LostWrite; id: number }[] = [];
  [...planned, ...patterns].forEach((p, process) => {
    events.push({ time: p.invoke, id: p.op.id, entry: { process, type: 'invoke', op: p.op, time: p.invoke } });
    const done: Omit<HistoryEntry, 'index'> = { process, type: p.outcome, op: p.op, time: p.complete };
    if (p.outcome === 'ok') Object.assign(done, { value: p.value ?? null, version: p.version ?? null });
    if (p.op.kind === 'read') done.store = 'index';
    const lost = p.lost === undefined ? {} : { lost: { id: p.op.id, acked: { kind: p.op.kind as LostWrite['acked']['kind'], version: p.version as number, entry: -1 }, final: p.lost.final } };
    events.push({ time: p.complete, id: p.op.id, entry: done, ...(p.tag === undefined ? {} : { tag: p.tag }), ...lost });
  });
  events.sort((a, b) => a.time - b.time);
  const history = events.map((e, index) => {
    if (e.tag !== undefined) expected.anomalies[e.tag].push({ id: e.id, read: index });
    if (e.lost !== undefined) expected.lostWrites.push({ ...e.lost, acked: { ...e.lost.acked, entry: index } });
    return { index, ...e.entry };
  });

  const live = [...state].filter((e): e is [number, RowState] => e[1] !== null).sort(([a], [b]) => a - b);
  const mysql = live.map(([, row]) => projectRow(ENTITY, row));
  const docs = new Map(live.map(([id, row]) => [String(id), respell(projectRow(ENTITY, row), rng)]));
  for (const edit of finalIndexEdits) edit(docs);
  // The engine's scan order: ascending `id` field; documents that share it, in any order.
  const index = [...docs]
    .map(([id, source]) => ({ doc: { id, source }, sort: Number(source.id), tie: rng.float() }))
    .sort((a, b) => a.sort - b.sort || a.tie - b.tie)
    .map((entry) => entry.doc);
  for (const list of [expected.missing, expected.extra, expected.mismatched]) list.sort((a, b) => a - b);
  expected.extraNonNumeric.sort();
  expected.lostWrites.sort((a, b) => a.id - b.id);
  for (const list of Object.values(expected.anomalies)) list.sort((a, b) => a.id - b.id || (a.read ?? Infinity) - (b.read ?? Infinity));
  return { seedRows, history, mysql, index, injected, expected, features };
}

/**
 * Found reads that a correct but late index explains and a careless definition calls resurrected:
 * an acknowledged delete (that removed a row) completed before the read began, a read that began
 * after it saw the key absent and completed before this one began, and no insert (not failed)
 * ran after the delete began and before this read ended.
 */
function lagLookalikes(ops: readonly PlannedOp[]): number {
  const found = ops.filter((p) => p.op.kind === 'read' && (p.value as ReadValue | undefined)?.found === true);
  return found.filter((r) =>
    ops.some(
      (d) =>
        d.op.kind === 'delete' &&
        d.op.id === r.op.id &&
        d.outcome === 'ok' &&
        d.version !== null &&
        d.complete < r.invoke &&
        ops.some((a) => a.op.kind === 'read' && a.op.id === r.op.id && (a.value as ReadValue).found === false && a.invoke > d.complete && a.complete < r.invoke) &&
        !ops.some((i) => i.op.kind === 'insert' && i.op.id === r.op.id && i.outcome !== 'fail' && i.complete > d.invoke && i.invoke < r.complete),
    ),
  ).length;
}
