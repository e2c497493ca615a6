// converge: the convergence merge-join — exact counts and ids, spelling-tolerant comparison,
// streaming from async sources, and a refusal to compare unsorted input.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario/load.ts';
import type { Doc } from '../scenario/projection.ts';
import { compareStores, projectRows, UnsortedInputError } from './convergence.ts';

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
    const report = await compareStores(entity, projectRows(entity, slowly(rows)), slowly(index));
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
    const report = await compareStores(entity, projectRows(entity, mysql), index, { onIndexDoc: (d) => seen.push(d.id) });
    expect(report).toMatchObject({
      converged: false,
      missing: 2,
      extra: 2,
      mismatched: 2,
      sampleIds: { missing: [1, 8], extra: [4, 9], mismatched: [3, 5] },
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
    const report = await compareStores(entity, projectRows(entity, mysql), index, { sampleLimit: 3, ignoreFields: ['_seq'] });
    expect(report.mismatched).toBe(50);
    expect(report.sampleIds.mismatched).toEqual([1, 2, 3]);
    expect(report.mismatchedFields).toEqual([1, 2, 3].map((id) => ({ id, fields: ['title'] })));
  });

  it('refuses input that is not in ascending id order', async () => {
    await expect(compareStores(entity, projectRows(entity, [row(2), row(1)]), [])).rejects.toThrow(UnsortedInputError);
    await expect(compareStores(entity, [], [{ id: 1 }, { id: 1 }])).rejects.toThrow(UnsortedInputError);
  });
});
