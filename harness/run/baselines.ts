// Raw rates of the services themselves, measured in the same run as the strategies so their
// figures can be read as ratios: single-row INSERTs through mysql2 at a given concurrency (the
// harness's overhead is the driver's rate over this), and bulk indexing straight into the engine
// (a CDC sink's ceiling).
import type mysql from 'mysql2/promise';
import { createMysqlPool } from '../stores/mysql.ts';
import { connectSearch } from '../stores/search/connect-search.ts';
import type { Endpoints } from '../env/endpoints.ts';

export interface Baselines {
  mysqlInsert: { concurrency: number; rows: number; opsPerSec: number };
  searchBulkIndex: { docs: number; batchSize: number; docsPerSec: number };
}

const TABLE = 'converge_baseline_insert';
const INDEX = 'converge-baseline-bulk';

export async function measureMysqlInsertRate(endpoints: Endpoints, concurrency: number, rows: number): Promise<Baselines['mysqlInsert']> {
  const pool: mysql.Pool = createMysqlPool(endpoints.mysql, { connectionLimit: concurrency });
  try {
    await pool.query(`DROP TABLE IF EXISTS ${TABLE}`);
    await pool.query(`CREATE TABLE ${TABLE} (id BIGINT PRIMARY KEY, version BIGINT NOT NULL, name VARCHAR(64) NOT NULL, amount INT NOT NULL)`);
    let next = 1;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let id = next++; id <= rows; id = next++) {
          await pool.query(`INSERT INTO ${TABLE} VALUES (?, 1, ?, ?)`, [id, `name-${id}`, id % 1000]);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    await pool.query(`DROP TABLE IF EXISTS ${TABLE}`);
    return { concurrency, rows, opsPerSec: rows / seconds };
  } finally {
    await pool.end();
  }
}

export async function measureBulkIndexRate(endpoints: Endpoints, docs: number, batchSize = 500): Promise<Baselines['searchBulkIndex']> {
  const search = await connectSearch(endpoints.search.url);
  try {
    await search.deleteIndex(INDEX);
    await search.createIndex(INDEX, { settings: { number_of_shards: 1, number_of_replicas: 0 } });
    const started = performance.now();
    for (let from = 1; from <= docs; from += batchSize) {
      const operations = [];
      for (let id = from; id < Math.min(from + batchSize, docs + 1); id++) {
        operations.push({ action: 'index' as const, index: INDEX, id: String(id), doc: { id, version: 1, name: `name-${id}`, amount: id % 1000 } });
      }
      const results = await search.bulk(operations);
      const failed = results.find((result) => result.error);
      if (failed) throw new Error(`bulk baseline: ${failed.error?.type}: ${failed.error?.reason}`);
    }
    const seconds = (performance.now() - started) / 1000;
    await search.deleteIndex(INDEX);
    return { docs, batchSize, docsPerSec: docs / seconds };
  } finally {
    await search.close();
  }
}
