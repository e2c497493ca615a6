// converge: the convergence merge-join — exact counts and ids, spelling-tolerant comparison,
// streaming from async sources, a refusal to compare unsorted MySQL input, and document identity:
// the index is keyed by `_id`, so right bodies under wrong ids are differences.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario/load.ts';
import type { Doc } from '../scenario/projection.ts';
import { compareStores, keyedById, MisplacedDocumentError, projectRows, UnsortedInputError, type IndexDoc } from './convergence.ts';

const { entity } = parseScenario(
  `
name: c
description: c
entity:
  table: c
  columns: { name: { type: varchar, length: 8 }, live: { type: boolean }, at: { type: datetime } }
  projection: { rename: { name: title } }
phases: [{ name: p, ops: 1, mix: { read: 1 } }]
`,
  {},
  'c.yaml',
);

const row = (id: number, name = `n${id}`) => ({ id, version: 1, name, live: true, at: '2024-05-06 07:08:09' });

async function* slowly<T>(items: readonly T[]): AsyncGenerator<T> {
  for (const item of items) {
    await Promise.resolve();
    yield item;
  }
}

describe('compareStores', () => {
  it('agrees when the index holds the projection, whatever the engine spelling', async () => {
    const rows = [row(1), row(2), row(10)];
    const index: Doc[] = rows.map((r) => ({ id: r.id, version: '1', title: r.name, live: 1, at: Date.UTC(2024, 4, 6, 7, 8, 9) }));
    const report = await compareStores(entity, projectRows(entity, slowly(rows)), slowly([...keyedById(index)]));
    expect(report).toMatchObject({ converged: true, rows: 3, docs: 3, missing: 0, extra: 0, mismatched: 0 });
  });

  it('counts missing, extra and mismatched with their ids and fields', async () => {
    const mysql = [row(1), row(2), row(3), row(5), row(8)];
    const index: Doc[] = [
      { id: 2, version: 1, title: 'n2', live: true, at: '2024-05-06T07:08:09Z' },
      { id: 3, version: 2, title: 'n3', live: true, at: '2024-05-06T07:08:09Z' },
      { id: 4, version: 1, title: 'n4', live: true, at: '2024-05-06T07:08:09Z' },
      { id: 5, version: 1, title: 'n5', live: false, at: '2024-05-06T07:08:09Z', name: 'leaked' },
      { id: 9, version: 1, title: 'n9', live: true, at: '2024-05-06T07:08:09Z' },
    ];
    const seen: number[] = [];
    const report = await compareStores(entity, projectRows(entity, mysql), keyedById(index), { onIndexDoc: (d) => seen.push(Number(d.id)) });
    expect(report).toMatchObject({
      converged: false,
      missing: 2,
      extra: 2,
      mismatched: 2,
      sampleIds: { missing: [1, 8], extra: [4, 9], mismatched: [3, 5], extraNonNumeric: [] },
      mismatchedFields: [
        { id: 3, fields: ['version'] },
        { id: 5, fields: ['live', 'name'] },
      ],
    });
    expect(seen).toEqual([2, 3, 4, 5, 9]);
  });

  it('keeps only sampleLimit ids but counts all, and can ignore strategy fields', async () => {
    const mysql = Array.from({ length: 50 }, (_, i) => row(i + 1));
    const index = mysql.map((r) => ({ id: r.id, version: 1, title: 'other', live: true, at: r.at, _seq: 4 }));
    const report = await compareStores(entity, projectRows(entity, mysql), keyedById(index), { sampleLimit: 3, ignoreFields: ['_seq'] });
    expect(report.mismatched).toBe(50);
    expect(report.sampleIds.mismatched).toEqual([1, 2, 3]);
    expect(report.mismatchedFields).toEqual([1, 2, 3].map((id) => ({ id, fields: ['title'] })));
  });

  it('refuses MySQL input that is not in ascending id order, and closes both sides', async () => {
    await expect(compareStores(entity, projectRows(entity, [row(2), row(1)]), [])).rejects.toThrow(UnsortedInputError);
    let closed = false;
    async function* index(): AsyncGenerator<IndexDoc> {
      try {
        for (let id = 1; id < 100; id++) {
          await Promise.resolve();
          yield { id: String(id), source: projectRow(id) };
        }
      } finally {
        closed = true;
      }
    }
    await expect(compareStores(entity, projectRows(entity, [row(1), row(3), row(2)]), index())).rejects.toThrow(UnsortedInputError);
    expect(closed).toBe(true);
  });
});

const projectRow = (id: number, name = `n${id}`): Doc => ({ id, version: 1, title: name, live: true, at: '2024-05-06T07:08:09Z' });

describe('compareStores keys the index by _id', () => {
  const mysql = [1, 2, 3, 4, 5, 6, 7, 8].map((id) => row(id));
  const lookup = (id: number): Doc | null => (mysql.some((r) => r.id === id) ? projectRow(id) : null);
  // As the engine returns them: ascending `_source.id`, documents that share it in any order.
  const scan = (docs: [string, Doc][]): IndexDoc[] => docs.map(([id, source]) => ({ id, source })).sort((a, b) => Number(a.source.id) - Number(b.source.id));

  it('reports right bodies under wrong _ids: missing, extra and mismatched on field id', async () => {
    const index = scan([
      ['1', projectRow(1)],
      ['2', projectRow(3)], // row 3's body under row 2's _id
      ['3', projectRow(2)], // and row 2's under 3's
      ['40', projectRow(4)], // row 4's body under an _id no row has
      ['5', projectRow(5)],
      ['6', projectRow(5)], // a duplicate of 5's body under row 6's _id
      ['7', projectRow(7)],
      ['8', projectRow(8)],
      ['abc', projectRow(8)], // an _id that is no row id
      ['08', projectRow(8)],
    ]);
    const report = await compareStores(entity, projectRows(entity, mysql), index, { lookupRow: lookup });
    expect(report).toMatchObject({
      converged: false,
      docs: 10,
      missing: 1,
      extra: 3,
      mismatched: 3,
      misplaced: 4,
      sampleIds: { missing: [4], extra: [40], mismatched: [2, 3, 6], extraNonNumeric: ['abc', '08'] },
    });
    expect(report.mismatchedFields.find((m) => m.id === 6)?.fields).toEqual(['id', 'title']);
  });

  it('judges every misplaced document exactly, whatever its position relative to its row', async () => {
    // Body of the last row under the first row's _id and the reverse: one arrives before the join
    // reaches its row (claimed), the other after the join counted its row missing (taken back).
    const index = scan([
      ['8', projectRow(1)],
      ...[2, 3, 4, 5, 6, 7].map((id): [string, Doc] => [String(id), projectRow(id)]),
      ['1', projectRow(8)],
      ['9', { ...projectRow(9), id: Number.NaN }], // an id field that is no number
    ]);
    const report = await compareStores(entity, projectRows(entity, mysql), index, { lookupRow: lookup });
    expect(report).toMatchObject({ missing: 0, extra: 1, mismatched: 2, misplaced: 3, sampleIds: { missing: [], extra: [9], mismatched: [1, 8] } });
    await expect(compareStores(entity, projectRows(entity, mysql), index)).rejects.toThrow(MisplacedDocumentError);
  });

  it('a document in id order but with a lower _id than one already merged is judged by lookup too', async () => {
    // An engine that sorted `id` as text would return 1, 10, 2: nothing is lost or counted twice.
    const rows = [1, 2, 10].map((id) => row(id));
    const index: IndexDoc[] = [1, 10, 2].map((id) => ({ id: String(id), source: projectRow(id) }));
    const report = await compareStores(entity, projectRows(entity, rows), index, { lookupRow: (id) => projectRow(id) });
    expect(report).toMatchObject({ converged: true, missing: 0, extra: 0, mismatched: 0, misplaced: 1 });
  });
});
