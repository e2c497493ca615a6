// Creating a strategy's table and index afresh for a run (dropping what a previous run left under
// the same names), so every strategy starts from the same empty pair.
import type mysql from 'mysql2/promise';
import type { Entity } from '../scenario/schema.ts';
import type { SearchPort } from '../stores/search/search-port.ts';
import { INDEX_SETTINGS, indexMappings } from './index-mapping.ts';
import { createTableSql, dropTableSql } from './table-sql.ts';

export async function recreateTable(pool: mysql.Pool, entity: Entity, table: string): Promise<void> {
  await pool.query(dropTableSql(table));
  await pool.query(createTableSql(entity, table));
}

export async function recreateIndex(search: SearchPort, entity: Entity, index: string): Promise<void> {
  await search.deleteIndex(index);
  await search.createIndex(index, { settings: INDEX_SETTINGS, mappings: indexMappings(entity) });
}
