// converge: the lost-write rules on small hand-built histories and final tables (Jepsen style):
// each way an acknowledged write can be lost in MySQL, and the legitimate look-alikes that must not
// be counted — concurrent deletes of unknown outcome, definite failures, writes that affected no
// row, re-inserts after a delete — and how many keys were judged.
import { describe, expect, it } from 'vitest';
import type { HistoryEntry } from '../history/entry.ts';
import type { Op } from '../workload/op.ts';
import { MalformedHistoryError } from './anomalies.ts';
import { LostWriteChecker, type LostWriteReport } from './lost-writes.ts';

type Write = {
  w: 'insert' | 'update' | 'increment' | 'delete';
  id: number;
  from: number;
  /** Completion time; absent: invoked and never completed (a run cut short). */
  to?: number;
  out?: 'ok' | 'fail' | 'unknown';
  /** The version the write reported (default 1); null: it affected no row. */
  v?: number | null;
};
type Step = Write | { r: number; from: number; to: number };

/** Builds a history in time order: each step is one operation on its own process. */
function history(steps: readonly Step[]): HistoryEntry[] {
  const events: { time: number; entry: Omit<HistoryEntry, 'index'> }[] = [];
  steps.forEach((s, process) => {
    const kind = 'w' in s ? s.w : 'read';
    const id = 'w' in s ? s.id : s.r;
    const op: Op = { index: process, phase: 'p', kind, id, ...(kind === 'insert' || kind === 'update' ? { values: { n: 1 } } : {}) };
    events.push({ time: s.from, entry: { process, type: 'invoke', op, time: s.from } });
    if (s.to === undefined) return;
    if ('w' in s) {
      const out = s.out ?? 'ok';
      const version = s.v === undefined ? 1 : s.v;
      const value = version === null ? null : { id, n: 1, version };
      events.push({ time: s.to, entry: { process, type: out, op, time: s.to, ...(out === 'ok' ? { value, version } : { error: 'boom' }) } });
    } else {
      events.push({ time: s.to, entry: { process, type: 'ok', op, time: s.to, store: 'index', value: { found: false, doc: null, version: null }, version: null } });
    }
  });
  return events.sort((a, b) => a.time - b.time).map((e, index) => ({ index, ...e.entry }));
}

/** Runs the checker over `steps`, seed row ids and the final table as id → version. */
function check(steps: readonly Step[], final: Record<number, number>, seeded: number[] = []): LostWriteReport {
  const checker = new LostWriteChecker(seeded.map((id) => ({ id })));
  for (const entry of history(steps)) checker.add(entry);
  for (const [id, version] of Object.entries(final)) checker.observeRow({ id: Number(id), version });
  checker.endFinal();
  return checker.report();
}

const lostIds = (r: LostWriteReport): number[] => r.samples.map((s) => s.id);

describe('lost writes', () => {
  it('finds nothing when MySQL holds every acknowledged write, and says what it judged', () => {
    const r = check(
      [
        { w: 'insert', id: 1, from: 0, to: 10, v: 1 },
        { w: 'update', id: 1, from: 20, to: 30, v: 2 },
        { w: 'increment', id: 2, from: 0, to: 5, v: 2 },
        { r: 1, from: 40, to: 45 },
      ],
      { 1: 2, 2: 2 },
      [2],
    );
    expect(r).toEqual({ acknowledged: 3, judgedKeys: 2, unjudgedKeys: 0, lost: 0, samples: [] });
  });

  it('counts an acknowledged update whose version MySQL no longer holds', () => {
    const steps: Step[] = [
      { w: 'insert', id: 1, from: 0, to: 10, v: 1 },
      { w: 'update', id: 1, from: 20, to: 30, v: 2 },
      { w: 'increment', id: 1, from: 25, to: 40, v: 3 },
    ];
    const r = check(steps, { 1: 2 });
    expect(r.lost).toBe(1);
    expect(r.samples).toEqual([{ id: 1, acked: { kind: 'increment', version: 3, entry: 5 }, final: 2 }]);
    // the same update on a seed row, rolled back to the seed
    const seeded = check([{ w: 'update', id: 4, from: 0, to: 10, v: 2 }], { 4: 1 }, [4]);
    expect(seeded.samples).toEqual([{ id: 4, acked: { kind: 'update', version: 2, entry: 1 }, final: 1 }]);
  });

  it('counts an acknowledged insert, or a seed row, with no row at the end', () => {
    const r = check([{ w: 'insert', id: 7, from: 0, to: 10, v: 1 }], {}, [3]);
    expect(r.lost).toBe(2);
    expect(r.samples).toEqual([
      { id: 3, acked: { kind: 'seed', version: 1, entry: null }, final: null },
      { id: 7, acked: { kind: 'insert', version: 1, entry: 1 }, final: null },
    ]);
  });

  it('counts an acknowledged delete whose row is still there, unless an insert may have followed it', () => {
    const deleted: Step[] = [
      { w: 'insert', id: 1, from: 0, to: 10, v: 1 },
      { w: 'update', id: 1, from: 20, to: 30, v: 2 },
      { w: 'delete', id: 1, from: 40, to: 50, v: 2 },
    ];
    const r = check(deleted, { 1: 2 });
    expect(r.samples).toEqual([{ id: 1, acked: { kind: 'delete', version: 2, entry: 5 }, final: 2 }]);
    expect(check(deleted, {}).lost).toBe(0);
    // an insert that completed after the delete began may have re-created the row: ok or unknown
    expect(check([...deleted, { w: 'insert', id: 1, from: 45, to: 60, v: 1 }], { 1: 1 }).lost).toBe(0);
    expect(check([...deleted, { w: 'insert', id: 1, from: 30, to: 41, out: 'unknown' }], { 1: 1 }).lost).toBe(0);
    expect(check([...deleted, { w: 'insert', id: 1, from: 60 }], { 1: 1 }).lost).toBe(0);
    // one that failed, or that completed before the delete began, cannot
    expect(check([...deleted, { w: 'insert', id: 1, from: 45, to: 60, out: 'fail' }], { 1: 1 }).lost).toBe(1);
    expect(check([{ w: 'insert', id: 1, from: 0, to: 10, v: 1 }, { w: 'delete', id: 1, from: 10, to: 20, v: 1 }], { 1: 1 }).lost).toBe(1);
    // an update cannot re-create a row
    expect(check([...deleted, { w: 'update', id: 1, from: 60, to: 70, out: 'unknown' }], { 1: 3 }).lost).toBe(1);
  });

  it('does not count a write a concurrent or later delete may have undone, even of unknown outcome', () => {
    const insert: Step = { w: 'insert', id: 1, from: 0, to: 10, v: 1 };
    // a delete not definitely failed, completing after the write was invoked: ok, unknown, never completed
    for (const del of [
      { w: 'delete', id: 1, from: 5, to: 20, v: 1 },
      { w: 'delete', id: 1, from: 30, to: 40, out: 'unknown' },
      { w: 'delete', id: 1, from: 0, to: 2, out: 'unknown' }, // unknown: it may take effect any time after its invocation
      { w: 'delete', id: 1, from: 30 },
    ] satisfies Write[]) {
      const r = check([insert, del], {});
      expect(r, JSON.stringify(del)).toMatchObject({ lost: 0, judgedKeys: 0, unjudgedKeys: 1 });
    }
    // a delete that completed before the write began cannot undo it (here the seed row's delete)
    expect(check([{ w: 'delete', id: 1, from: 0, to: 2, v: 1 }, { ...insert, from: 5 }], {}, [1]).samples).toEqual([{ id: 1, acked: { kind: 'insert', version: 1, entry: 3 }, final: null }]);
  });

  it('does not count definite failures, writes that affected no row, or unknown writes', () => {
    const r = check(
      [
        { w: 'insert', id: 1, from: 0, to: 10, out: 'fail' },
        { w: 'update', id: 2, from: 0, to: 10, v: null },
        { w: 'increment', id: 3, from: 0, to: 10, v: null },
        { w: 'delete', id: 4, from: 0, to: 10, v: null },
        { w: 'update', id: 5, from: 0, to: 10, out: 'unknown' },
        { w: 'insert', id: 6, from: 0, to: 10, out: 'unknown' },
        { w: 'insert', id: 7, from: 0 },
        { w: 'delete', id: 8, from: 0, to: 10, out: 'fail' },
      ],
      { 8: 1 },
    );
    expect(r).toEqual({ acknowledged: 0, judgedKeys: 0, unjudgedKeys: 8, lost: 0, samples: [] });
    // a failed delete does not excuse a lost insert; a delete that found no row does not either
    for (const del of [{ w: 'delete', id: 1, from: 5, to: 20, out: 'fail' }, { w: 'delete', id: 1, from: 5, to: 20, v: null }] satisfies Write[]) {
      expect(check([{ w: 'insert', id: 1, from: 0, to: 10 }, del], {}).lost, JSON.stringify(del)).toBe(1);
    }
  });

  it('accepts a row that is present at a higher version (a lagging-but-present row, unknown updates applied)', () => {
    const r = check(
      [
        { w: 'insert', id: 1, from: 0, to: 10, v: 1 },
        { w: 'update', id: 1, from: 20, to: 30, out: 'unknown' },
        { w: 'update', id: 1, from: 40, to: 50, v: 3 },
        { w: 'update', id: 1, from: 45, to: 48, v: 2 }, // acknowledged in another order than it applied
      ],
      { 1: 5 },
    );
    expect(r).toMatchObject({ lost: 0, judgedKeys: 1 });
  });

  it('judges a re-inserted key on what was acknowledged after its last delete', () => {
    const lifetimes: Step[] = [
      { w: 'insert', id: 1, from: 0, to: 10, v: 1 },
      { w: 'update', id: 1, from: 10, to: 20, v: 2 },
      { w: 'update', id: 1, from: 20, to: 30, v: 3 },
      { w: 'delete', id: 1, from: 30, to: 40, v: 3 },
      { w: 'insert', id: 1, from: 50, to: 60, v: 1 },
    ];
    // version 1 of the new lifetime is below 3, legitimately
    expect(check(lifetimes, { 1: 1 })).toMatchObject({ lost: 0, judgedKeys: 1 });
    expect(check(lifetimes, {}).samples).toEqual([{ id: 1, acked: { kind: 'insert', version: 1, entry: 9 }, final: null }]);
    // the re-insert's update lost, the row back at the re-insert
    expect(check([...lifetimes, { w: 'update', id: 1, from: 70, to: 80, v: 2 }], { 1: 1 }).samples).toEqual([{ id: 1, acked: { kind: 'update', version: 2, entry: 11 }, final: 1 }]);
    // a re-insert concurrent with the delete may have come first: not judged
    expect(check([...lifetimes.slice(0, 4), { w: 'insert', id: 1, from: 35, to: 60, v: 1 }], {})).toMatchObject({ lost: 0, judgedKeys: 0, unjudgedKeys: 1 });
  });

  it('says nothing was judged when no acknowledged write obliges a final row', () => {
    const r = check([{ r: 1, from: 0, to: 5 }], {});
    expect(r).toEqual({ acknowledged: 0, judgedKeys: 0, unjudgedKeys: 0, lost: 0, samples: [] });
  });

  it('keeps at most sampleLimit samples, in id order, and counts them all', () => {
    const checker = new LostWriteChecker([5, 3, 9, 1].map((id) => ({ id })), { sampleLimit: 2 });
    checker.endFinal();
    const r = checker.report();
    expect(r.lost).toBe(4);
    expect(r.samples.map((s) => s.id)).toEqual([1, 3]);
  });

  it('ignores rows the history never touched, and refuses to judge before the final rows were read', () => {
    expect(lostIds(check([], { 42: 1 }))).toEqual([]);
    const checker = new LostWriteChecker([{ id: 1 }]);
    expect(() => checker.report()).toThrow(/final MySQL rows were not read/);
    expect(() => checker.observeRow({ id: 1, version: 'x' })).toThrow(/no integer version/);
  });

  it('rejects a completion without its invocation, and entries after the final rows began', () => {
    const [invoke, done] = history([{ w: 'insert', id: 1, from: 0, to: 10 }]);
    const checker = new LostWriteChecker([]);
    expect(() => checker.add(done as HistoryEntry)).toThrow(MalformedHistoryError);
    checker.add(invoke as HistoryEntry);
    expect(() => checker.add(invoke as HistoryEntry)).toThrow(MalformedHistoryError);
    checker.endFinal();
    expect(() => checker.add(done as HistoryEntry)).toThrow(MalformedHistoryError);
  });
});
