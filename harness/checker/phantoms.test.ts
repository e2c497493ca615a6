// converge: phantoms — reads and final index documents that show the row of an XA branch the
// harness rolled back — on hand-built histories: found where they are (also while the branch is
// still open in the history), with the documents as the index showed them; not found where the
// index only ever showed committed rows; and judged by `expect.anomalies.phantoms`.
import { describe, expect, it } from 'vitest';
import type { HistoryEntry } from '../history/entry.ts';
import { anomaliesResultSchema } from '../results/schema.ts';
import { parseScenario } from '../scenario/load.ts';
import type { Op } from '../workload/op.ts';
import { AnomalyChecker, type AnomalyReport } from './anomalies.ts';
import { anomalyLines } from './verdict.ts';

const scenario = parseScenario(
  `
name: a
description: a
entity: { table: a, columns: { n: { type: int } } }
phases: [{ name: p, ops: 1, mix: { read: 1, xaRollback: 1 } }]
expect: { anomalies: { dirtyReads: 0, phantoms: 0 } }
`,
  {},
  'a.yaml',
);
const { entity } = scenario;
const seed = [{ id: 1, n: 1 }];

type Step =
  /** An ok write: update of key `id` to `n` at version `v`. */
  | { w: 'update'; id: number; from: number; to: number; n: number; v: number }
  /** An XA branch: its write (`held`: the row it held, null if none; absent: never completed). */
  | { xa: 'update' | 'insert'; id: number; from: number; to?: number; n: number; held?: { n: number; version: number } | null }
  /** A read of the index: `n`/`v` seen, or absent. */
  | { r: number; from: number; to: number; n?: number; v?: number };

function history(steps: readonly Step[]): HistoryEntry[] {
  const events: { time: number; entry: Omit<HistoryEntry, 'index'> }[] = [];
  steps.forEach((s, process) => {
    if ('xa' in s) {
      const op: Op = { index: process, phase: 'p', kind: 'xaRollback', id: s.id, branch: s.xa, holdMs: 5, values: { n: s.n } };
      events.push({ time: s.from, entry: { process, type: 'invoke', op, time: s.from } });
      const value = s.held ? { id: s.id, n: s.held.n, version: s.held.version } : null;
      if (s.to !== undefined) events.push({ time: s.to, entry: { process, type: 'fail', op, time: s.to, value, error: 'rolled back' } });
    } else if ('w' in s) {
      const op: Op = { index: process, phase: 'p', kind: s.w, id: s.id, values: { n: s.n } };
      events.push({ time: s.from, entry: { process, type: 'invoke', op, time: s.from } });
      events.push({ time: s.to, entry: { process, type: 'ok', op, time: s.to, value: { id: s.id, n: s.n, version: s.v }, version: s.v } });
    } else {
      const op: Op = { index: process, phase: 'p', kind: 'read', id: s.r };
      const found = s.v !== undefined;
      const value = { found, doc: found ? { id: s.r, n: s.n ?? 0, version: s.v } : null, version: s.v ?? null };
      events.push({ time: s.from, entry: { process, type: 'invoke', op, time: s.from } });
      events.push({ time: s.to, entry: { process, type: 'ok', op, time: s.to, store: 'index', value, version: s.v ?? null } });
    }
  });
  return events.sort((a, b) => a.time - b.time).map((e, index) => ({ index, ...e.entry }));
}

/** Runs the checker over `steps`, then a final index holding `final` documents. */
function check(steps: readonly Step[], final: { id: number; n: number; version: number }[] = []): AnomalyReport {
  const checker = new AnomalyChecker(entity, seed);
  for (const entry of history(steps)) checker.add(entry);
  for (const doc of final) checker.observeFinal({ id: String(doc.id), source: doc });
  checker.endFinal();
  return checker.report();
}

const line = (report: AnomalyReport) => anomalyLines(scenario, { state: 'done', value: report }).find((l) => l.check === 'anomalies.phantoms');

describe('phantoms', () => {
  it('finds a rolled-back row in a read made while the branch was open, and in the final index, with the documents', () => {
    const r = check(
      [
        { xa: 'update', id: 1, from: 10, to: 30, n: 77, held: { n: 77, version: 2 } },
        { r: 1, from: 15, to: 20, n: 77, v: 2 }, // completes before the branch's own completion
        { r: 1, from: 40, to: 45, n: 1, v: 1 },
      ],
      [{ id: 1, n: 77, version: 2 }],
    );
    expect(r.phantoms).toEqual({
      branches: 1,
      rolledBackRows: 1,
      reads: 1,
      finalDocs: 1,
      finalIndexRead: true,
      samples: [
        { id: 1, read: null, doc: { id: 1, n: 77, version: 2 } },
        { id: 1, read: 2, doc: { id: 1, n: 77, version: 2 } },
      ],
    });
    expect(r.dirtyReads).toBe(1); // a phantom read is a dirty read too
    expect(line(r)).toMatchObject({ outcome: 'fail' });
    expect(line(r)?.reason).toMatch(/^2 seen \(1 read and 1 document of the final index\) over 1 rolled-back row of 1 XA branch, at most 0 allowed; id 1 in the final index: \{"id":1,"n":77,"version":2\}/);
    expect(anomaliesResultSchema.safeParse({ state: 'checked', ...stripReport(r) }).success).toBe(true);
  });

  it('finds a rolled-back insert of a fresh id left in the final index, and one whose branch never completed', () => {
    const r = check(
      [
        { xa: 'insert', id: 500, from: 10, to: 20, n: 5, held: { n: 5, version: 1 } },
        { xa: 'insert', id: 501, from: 10, n: 6 }, // the run was cut short: its insert's row is known
      ],
      [
        { id: 1, n: 1, version: 1 },
        { id: 500, n: 5, version: 1 },
        { id: 501, n: 6, version: 1 },
      ],
    );
    expect(r.phantoms).toMatchObject({ branches: 2, rolledBackRows: 2, reads: 0, finalDocs: 2 });
    expect(r.phantoms?.samples.map((s) => s.id)).toEqual([500, 501]);
  });

  it('counts nothing when the index only showed committed rows, also one that looks like the rolled-back version', () => {
    const r = check(
      [
        { xa: 'update', id: 1, from: 10, to: 30, n: 77, held: { n: 77, version: 2 } },
        { w: 'update', id: 1, from: 31, to: 40, n: 8, v: 2 }, // the same version, committed, other values
        { r: 1, from: 15, to: 20, n: 1, v: 1 },
        { r: 1, from: 45, to: 50, n: 8, v: 2 },
        { xa: 'insert', id: 500, from: 10, to: 20, n: 5, held: { n: 5, version: 1 } },
        { r: 500, from: 21, to: 22 },
      ],
      [{ id: 1, n: 8, version: 2 }],
    );
    expect(r.phantoms).toMatchObject({ branches: 2, rolledBackRows: 2, reads: 0, finalDocs: 0, samples: [] });
    expect(r.dirtyReads).toBe(0);
    expect(line(r)).toMatchObject({ outcome: 'pass' });
  });

  it('does not call a committed row a phantom when a branch held the very same row', () => {
    const r = check(
      [
        { xa: 'update', id: 1, from: 10, to: 30, n: 8, held: { n: 8, version: 2 } },
        { w: 'update', id: 1, from: 31, to: 40, n: 8, v: 2 },
        { r: 1, from: 45, to: 50, n: 8, v: 2 },
      ],
      [{ id: 1, n: 8, version: 2 }],
    );
    expect(r.phantoms).toMatchObject({ reads: 0, finalDocs: 0 });
  });

  it('judges nothing without xaRollback ops, or when no branch wrote a row', () => {
    const none = check([{ r: 1, from: 0, to: 1, n: 1, v: 1 }]);
    expect(none.phantoms).toBeNull();
    expect(line(none)).toMatchObject({ outcome: 'not-judged' });
    const empty = check([{ xa: 'update', id: 9, from: 0, to: 5, n: 3, held: null }]);
    expect(empty.phantoms).toMatchObject({ branches: 1, rolledBackRows: 0 });
    expect(line(empty)).toMatchObject({ outcome: 'not-judged' });
  });

  it('says so when the final index was not read (re-judged from the history alone)', () => {
    const checker = new AnomalyChecker(entity, seed);
    for (const entry of history([
      { xa: 'update', id: 1, from: 10, to: 30, n: 77, held: { n: 77, version: 2 } },
      { r: 1, from: 15, to: 20, n: 77, v: 2 },
    ]))
      checker.add(entry);
    const r = checker.report();
    expect(r.phantoms).toMatchObject({ reads: 1, finalDocs: 0, finalIndexRead: false });
    expect(line(r)?.reason).toContain('1 read (the final index was not read)');
  });
});

// The report's figures as results.json holds them (run-strategy's anomaliesResult, without its imports).
function stripReport(r: AnomalyReport): Record<string, unknown> {
  const { samples: _, ...rest } = r;
  return JSON.parse(JSON.stringify(rest)) as Record<string, unknown>;
}
