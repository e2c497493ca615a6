// converge: the anomaly rules on small hand-built histories (Jepsen style): each anomaly where it
// is, the legitimate look-alikes that must not be counted (a correct index that lags included), and
// how many reads each kind judged.
import { describe, expect, it } from 'vitest';
import type { HistoryEntry } from '../history/entry.ts';
import { parseScenario } from '../scenario/load.ts';
import type { Op } from '../workload/op.ts';
import { AnomalyChecker, MalformedHistoryError, type AnomalyReport } from './anomalies.ts';

const { entity } = parseScenario(
  `
name: a
description: a
entity: { table: a, columns: { n: { type: int } } }
phases: [{ name: p, ops: 1, mix: { read: 1 } }]
`,
  {},
  'a.yaml',
);

type Step =
  | { w: 'insert' | 'update' | 'increment' | 'delete'; id: number; from: number; to: number; out?: 'ok' | 'fail' | 'unknown'; n?: number; v?: number | null }
  | { r: number; from: number; to: number; n?: number; v?: number; out?: 'fail' | 'unknown' };

/** Builds a history: writes return `{id, n, version: v}`; reads see `{n, version: v}` or absence. */
function history(steps: readonly Step[]): HistoryEntry[] {
  const events: { time: number; entry: Omit<HistoryEntry, 'index'> }[] = [];
  steps.forEach((s, process) => {
    const kind = 'w' in s ? s.w : 'read';
    const id = 'w' in s ? s.id : s.r;
    const op: Op = { index: process, phase: 'p', kind, id, ...(kind === 'insert' || kind === 'update' ? { values: { n: s.n ?? 0 } } : {}) };
    events.push({ time: s.from, entry: { process, type: 'invoke', op, time: s.from } });
    if ('w' in s) {
      const out = s.out ?? 'ok';
      const value = s.v === null || out !== 'ok' ? null : { id, n: s.n ?? 0, version: s.v ?? 1 };
      events.push({ time: s.to, entry: { process, type: out, op, time: s.to, ...(out === 'ok' ? { value, version: s.v === undefined ? 1 : s.v } : {}) } });
    } else {
      const found = s.v !== undefined;
      const value = { found, doc: found ? { id, n: s.n ?? 0, version: s.v } : null, version: s.v ?? null };
      if (s.out !== undefined) events.push({ time: s.to, entry: { process, type: s.out, op, time: s.to, store: 'index', error: 'timed out' } });
      else events.push({ time: s.to, entry: { process, type: 'ok', op, time: s.to, store: 'index', value, version: s.v ?? null } });
    }
  });
  return events.sort((a, b) => a.time - b.time).map((e, index) => ({ index, ...e.entry }));
}

function check(steps: readonly Step[], seed: { id: number; n: number }[] = [], final: number[] = []): AnomalyReport {
  const checker = new AnomalyChecker(entity, seed);
  for (const entry of history(steps)) checker.add(entry);
  for (const id of final) checker.observeFinal({ id: String(id), source: { id, n: 0, version: 1 } });
  checker.endFinal();
  return checker.report();
}

const counts = (r: AnomalyReport): number[] => [r.dirtyReads, r.resurrections, r.versionRegressions, r.staleReads];

describe('anomalies', () => {
  it('finds nothing in a clean history with concurrency', () => {
    const r = check([
      { w: 'insert', id: 1, from: 0, to: 10, n: 5, v: 1 },
      { w: 'update', id: 1, from: 20, to: 40, n: 6, v: 2 },
      { r: 1, from: 25, to: 30, n: 5, v: 1 }, // concurrent with the update: old value is fine
      { r: 1, from: 35, to: 38, n: 6, v: 2 }, // new value before the ack: fine
      { r: 1, from: 50, to: 55, n: 6, v: 2 },
    ]);
    expect(counts(r)).toEqual([0, 0, 0, 0]);
    expect(r.reads).toBe(3);
  });

  it('counts a read of a failed write as dirty, and of an unknown update as unverifiable', () => {
    const dirty = check([
      { w: 'insert', id: 1, from: 0, to: 10, n: 5, v: 1 },
      { w: 'update', id: 1, from: 20, to: 30, n: 99, out: 'fail' },
      { r: 1, from: 40, to: 45, n: 99, v: 2 },
    ]);
    expect(counts(dirty)).toEqual([1, 0, 0, 0]);
    expect(dirty.samples.dirtyReads).toEqual([{ id: 1, read: 5 }]);
    const unknown = check([
      { w: 'insert', id: 1, from: 0, to: 10, n: 5, v: 1 },
      { w: 'update', id: 1, from: 20, to: 30, n: 99, out: 'unknown' },
      { r: 1, from: 40, to: 45, n: 99, v: 2 },
    ]);
    expect(counts(unknown)).toEqual([0, 0, 0, 0]);
    expect(unknown.unverifiableReads).toBe(1);
  });

  it('accepts the values of an unknown insert and of the seed', () => {
    const r = check(
      [
        { w: 'insert', id: 2, from: 0, to: 10, n: 7, out: 'unknown' },
        { r: 2, from: 20, to: 25, n: 7, v: 1 },
        { r: 1, from: 20, to: 25, n: 3, v: 1 },
      ],
      [{ id: 1, n: 3 }],
    );
    expect(counts(r)).toEqual([0, 0, 0, 0]);
  });

  it('counts a key that comes back after being seen present, then gone, but not a re-insert', () => {
    const base: Step[] = [
      { w: 'insert', id: 1, from: 0, to: 10, n: 5, v: 1 },
      { r: 1, from: 12, to: 15, n: 5, v: 1 },
      { w: 'delete', id: 1, from: 20, to: 30, v: 1 },
      { r: 1, from: 40, to: 45 },
    ];
    const back = check([...base, { r: 1, from: 50, to: 55, n: 5, v: 1 }]);
    expect(counts(back)).toEqual([0, 1, 0, 0]);
    expect(back.samples.resurrections).toEqual([{ id: 1, read: 9 }]);
    const reinserted = check([...base, { w: 'insert', id: 1, from: 46, to: 48, n: 8, v: 1 }, { r: 1, from: 50, to: 55, n: 8, v: 1 }]);
    expect(counts(reinserted)).toEqual([0, 0, 0, 0]);
    expect(reinserted.unjudgedKeys).toBe(1);
    expect(reinserted.unjudgedReads).toBe(3);
  });

  it('does not count a correct index that lags: insert and delete acked, then applied in order', () => {
    // The index applies the insert at 47 and the delete at 60: the read at 40 saw the key before the
    // insert arrived, the read at 50 after it, before the delete. Nothing here is a defect.
    const lagging = check([
      { w: 'insert', id: 1, from: 0, to: 10, n: 5, v: 1 },
      { w: 'delete', id: 1, from: 20, to: 30, v: 1 },
      { r: 1, from: 40, to: 45 },
      { r: 1, from: 50, to: 55, n: 5, v: 1 },
      { r: 1, from: 70, to: 75 },
    ]);
    expect(counts(lagging)).toEqual([0, 0, 0, 1]); // the read at 50 is stale: the delete was acked
    // The same with a seeded key whose update and delete lag.
    const seeded = check(
      [
        { w: 'update', id: 1, from: 0, to: 10, n: 6, v: 2 },
        { w: 'delete', id: 1, from: 20, to: 30, v: 2 },
        { r: 1, from: 40, to: 45, n: 3, v: 1 },
        { r: 1, from: 50, to: 55, n: 6, v: 2 },
        { r: 1, from: 60, to: 65 },
      ],
      [{ id: 1, n: 3 }],
    );
    expect(counts(seeded)).toEqual([0, 0, 0, 2]);
  });

  it('counts a key seen present, then absent with no delete begun, as a regression', () => {
    const lost = check([
      { w: 'insert', id: 1, from: 0, to: 10, n: 5, v: 1 },
      { r: 1, from: 12, to: 15, n: 5, v: 1 },
      { r: 1, from: 20, to: 25 },
      { w: 'delete', id: 1, from: 26, to: 30, v: 1 },
    ]);
    expect(counts(lost)).toEqual([0, 0, 1, 0]);
    // A delete that began before the read completed may explain the absence, even of unknown outcome;
    // one that removed nothing (an ok delete with no row) cannot.
    for (const [out, v, regressions] of [['ok', 1, 0], ['unknown', null, 0], ['fail', null, 1]] as const) {
      const r = check([
        { w: 'insert', id: 1, from: 0, to: 10, n: 5, v: 1 },
        { r: 1, from: 12, to: 15, n: 5, v: 1 },
        { w: 'delete', id: 1, from: 18, to: 30, v, out },
        { r: 1, from: 20, to: 25 },
      ]);
      expect(r.versionRegressions, out).toBe(regressions);
    }
  });

  it('says how many reads each kind judged, and counts failed reads', () => {
    const r = check([
      { w: 'insert', id: 1, from: 0, to: 10, n: 5, v: 1 },
      { r: 1, from: 12, to: 15, n: 5, v: 1 },
      { r: 1, from: 16, to: 17, out: 'fail' },
      { r: 1, from: 16, to: 18, out: 'unknown' },
      { r: 2, from: 16, to: 18 },
      { w: 'insert', id: 3, from: 0, to: 10, n: 1, v: 1 },
      { w: 'update', id: 3, from: 20, to: 30, n: 99, out: 'unknown' },
      { r: 3, from: 40, to: 45, n: 99, v: 2 },
    ]);
    expect(r.reads).toBe(3);
    expect(r.failedReads).toBe(2);
    expect(r.unverifiableReads).toBe(1);
    expect(r.judged).toEqual({ dirtyReads: 1, resurrections: 1, versionRegressions: 2, staleReads: 2 });
    const none = check([{ w: 'insert', id: 1, from: 0, to: 10 }]);
    expect(none.judged).toEqual({ dirtyReads: 0, resurrections: 0, versionRegressions: 0, staleReads: 0 });
    expect(none.finalKeysJudged).toBe(0);
    expect(check([{ w: 'insert', id: 1, from: 0, to: 10 }, { w: 'delete', id: 1, from: 20, to: 30, v: 1 }]).finalKeysJudged).toBe(1);
  });

  it('counts a deleted key still in the final index as resurrected', () => {
    const steps: Step[] = [
      { w: 'insert', id: 1, from: 0, to: 10, v: 1 },
      { w: 'delete', id: 1, from: 20, to: 30, v: 1 },
    ];
    expect(check(steps, [], [1]).samples.resurrections).toEqual([{ id: 1, read: null }]);
    expect(check(steps, [], []).resurrections).toBe(0);
    // a delete that removed nothing proves nothing
    expect(check([{ w: 'delete', id: 1, from: 20, to: 30, v: null }], [], [1]).resurrections).toBe(0);
  });

  it('counts a read that sees a lower version than a read completed before it', () => {
    const r = check([
      { w: 'insert', id: 1, from: 0, to: 10, n: 1, v: 1 },
      { w: 'update', id: 1, from: 20, to: 100, n: 2, v: 2 },
      { r: 1, from: 30, to: 35, n: 2, v: 2 },
      { r: 1, from: 40, to: 45, n: 1, v: 1 },
      { r: 1, from: 34, to: 50, n: 1, v: 1 }, // overlaps the first read: not a regression
    ]);
    expect(counts(r)).toEqual([0, 0, 1, 0]);
  });

  it('measures stale reads in versions and ms behind the acknowledged state', () => {
    const r = check([
      { w: 'insert', id: 1, from: 0, to: 10, n: 1, v: 1 },
      { w: 'update', id: 1, from: 20, to: 30, n: 2, v: 2 },
      { w: 'update', id: 1, from: 40, to: 50, n: 3, v: 3 },
      { r: 1, from: 60, to: 65, n: 1, v: 1 },
      { r: 2, from: 60, to: 65 }, // never written: absence is not stale
      { w: 'insert', id: 3, from: 0, to: 10, n: 1, v: 1 },
      { r: 3, from: 70, to: 75 }, // inserted and acked, index empty: stale
      { w: 'delete', id: 1, from: 80, to: 90, v: 3 },
      { r: 1, from: 95, to: 99, n: 3, v: 3 }, // the delete was acked: stale by one state
    ]);
    expect(counts(r)).toEqual([0, 0, 0, 3]);
    expect(r.staleness.versions).toMatchObject({ state: 'measured', samples: 3, max: 2 });
    expect(r.staleness.ms).toMatchObject({ state: 'measured', max: 60 });
  });

  it('rejects a completion without its invocation', () => {
    const [invoke, done] = history([{ w: 'insert', id: 1, from: 0, to: 10 }]);
    const checker = new AnomalyChecker(entity, []);
    expect(() => checker.add(done as HistoryEntry)).toThrow(MalformedHistoryError);
    checker.add(invoke as HistoryEntry);
    expect(() => checker.add(invoke as HistoryEntry)).toThrow(MalformedHistoryError);
  });
});
