// The raw bulk-index rate the sink is read against: the same documents the sink writes (the table's
// rows through the entity's projection), bulk-indexed straight into a fresh index with the same
// settings and mapping, `batchSize` documents per request, one request at a time — what a plain
// client reaches on this engine. Only the bulk requests are timed (the documents are read first).
import type mysql from 'mysql2/promise';
import { INDEX_SETTINGS, indexMappings } from '../entity/index-mapping.ts';
import { mysqlRows } from '../run/final-read.ts';
import { projectRow } from '../scenario/projection.ts';
import type { Entity } from '../scenario/schema.ts';
import type { BulkOperation, SearchPort } from '../stores/search/search-port.ts';
import { perSecond } from './measurement.ts';

export interface RawBulk {
  docs: number;
  batchSize: number;
  docsPerSec: number;
}

export async function measureRawBulk(pool: mysql.Pool, search: SearchPort, entity: Entity, table: string, index: string, batchSize: number): Promise<RawBulk> {
  const operations: BulkOperation[] = [];
  for await (const row of mysqlRows(pool, table, 5000)) {
    const doc = projectRow(entity, row);
    operations.push({ action: 'index', index, id: String(doc.id), doc });
  }
  await search.deleteIndex(index);
  await search.createIndex(index, { settings: INDEX_SETTINGS, mappings: indexMappings(entity) });
  try {
    const started = performance.now();
    for (let from = 0; from < operations.length; from += batchSize) {
      const results = await search.bulk(operations.slice(from, from + batchSize));
      const failed = results.find((result) => result.status >= 300);
      if (failed) throw new Error(`raw bulk indexing: ${failed.status} ${failed.error?.type ?? ''}: ${failed.error?.reason ?? ''}`);
    }
    const ms = performance.now() - started;
    return { docs: operations.length, batchSize, docsPerSec: perSecond(operations.length, ms) };
  } finally {
    await search.deleteIndex(index);
  }
}
