// The final comparison on the real stores: the index is keyed by `_id`, so right bodies under
// wrong `_id`s are reported (mismatched, missing, extra, stray non-numeric ids), exactly, also when
// many documents share one `id` value across the scan's page boundaries on a sharded index.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTableSql, dropTableSql, insertStatement } from '../../harness/entity/table-sql.ts';
import { indexMappings } from '../../harness/entity/index-mapping.ts';
import { compareSnapshot, type SnapshotSources } from '../../harness/run/final-read.ts';
import { parseScenario } from '../../harness/scenario/load.ts';
import { projectRow } from '../../harness/scenario/projection.ts';
import { createMysqlPool, type MysqlPool } from '../../harness/stores/mysql.ts';
import { connectSearch } from '../../harness/stores/search/connect-search.ts';
import type { BulkOperation, SearchPort } from '../../harness/stores/search/search-port.ts';

const endpoints = inject('endpoints');
const tag = randomUUID().slice(0, 8);
const { entity } = parseScenario(
  `
name: identity
description: identity
entity: { table: identity, columns: { name: { type: varchar, length: 16 }, n: { type: int } } }
phases: [{ name: p, ops: 1, mix: { read: 1 } }]
`,
  {},
  'identity.yaml',
);
const ROWS = 30;
const row = (id: number) => ({ id, version: 1, name: `name-${id}`, n: id * 7 });
const body = (id: number) => projectRow(entity, row(id));

let pool: MysqlPool;
let search: SearchPort;
const made: { table: string; index: string }[] = [];

beforeAll(async () => {
  pool = createMysqlPool(endpoints.mysql, { connectionLimit: 2 });
  search = await connectSearch(endpoints.search.url);
});

afterAll(async () => {
  for (const { table, index } of made) {
    await pool.query(dropTableSql(table));
    await search.deleteIndex(index);
  }
  await pool.end();
  await search.close();
});

/** A table of ROWS rows and a 3-shard index holding `docs` (`_id` → body), refreshed. */
async function stores(name: string, docs: [string, Record<string, unknown>][]): Promise<SnapshotSources> {
  const names = { table: `it_identity_${name}_${tag}`, index: `it-identity-${name}-${tag}` };
  made.push(names);
  await pool.query(createTableSql(entity, names.table));
  for (let id = 1; id <= ROWS; id++) {
    const { id: _id, version: _version, ...values } = row(id);
    const statement = insertStatement(names.table, id, values);
    await pool.query(statement.sql, statement.params);
  }
  await search.createIndex(names.index, { settings: { number_of_shards: 3, number_of_replicas: 0 }, mappings: indexMappings(entity) });
  const operations: BulkOperation[] = docs.map(([id, doc]) => ({ action: 'index', index: names.index, id, doc }));
  const results = await search.bulk(operations, { refresh: true });
  expect(results.every((r) => r.status === 201)).toBe(true);
  return { pool, search, entity, ...names, pageSize: 5 };
}

const rightBodies = (skip: number[] = []): [string, Record<string, unknown>][] =>
  Array.from({ length: ROWS }, (_, i) => i + 1)
    .filter((id) => !skip.includes(id))
    .map((id) => [String(id), body(id)]);

describe('the final comparison keys the index by _id', () => {
  it('agrees when every row has its own document, across pages of 5 on 3 shards', async () => {
    const report = await compareSnapshot(await stores('same', rightBodies()));
    expect(report).toMatchObject({ converged: true, rows: ROWS, docs: ROWS, misplaced: 0 });
  });

  it('reports two rows whose bodies are swapped under each other\'s _id as mismatched on id', async () => {
    const report = await compareSnapshot(await stores('swap', [...rightBodies([5, 6]), ['5', body(6)], ['6', body(5)]]));
    expect(report).toMatchObject({ converged: false, missing: 0, extra: 0, mismatched: 2, sampleIds: { mismatched: [5, 6] } });
    expect(report.mismatchedFields.map((m) => m.fields)).toEqual([
      ['id', 'n', 'name'],
      ['id', 'n', 'name'],
    ]);
  });

  it('reports wrong _ids exactly when many documents share one id across page boundaries', async () => {
    const shared = Array.from({ length: 12 }, (_, i): [string, Record<string, unknown>] => [String(100 + i), body(3)]);
    const docs: [string, Record<string, unknown>][] = [
      ...rightBodies([5, 6, 7, 20]),
      ['5', body(6)],
      ['6', body(5)],
      ['70', body(7)], // row 7's body under an _id no row has; row 7 has no document
      ['20', body(9)], // row 9's body in place of row 20's: two documents with id 9
      ['stray-x', body(10)], // an _id that is no row id
      ...shared, // twelve copies of row 3's body under _ids no row has: thirteen documents with id 3
    ];
    const report = await compareSnapshot(await stores('wrong', docs));
    expect(report).toMatchObject({
      converged: false,
      rows: ROWS,
      docs: docs.length,
      missing: 1,
      extra: 14,
      mismatched: 3,
      sampleIds: { missing: [7], extra: [70, ...shared.map(([id]) => Number(id))].slice(0, 20), mismatched: [5, 6, 20], extraNonNumeric: ['stray-x'] },
    });
  });
});
