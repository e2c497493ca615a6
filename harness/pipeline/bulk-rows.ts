// Filling a table fast for the pipeline's catch-up measurements: generated rows of the entity,
// inserted as multi-row INSERTs (each one transaction, so the binlog holds one row event per row
// and Debezium emits one change per row), from a few connections at once.
import type mysql from 'mysql2/promise';
import type { Entity } from '../scenario/schema.ts';
import { quote } from '../entity/table-sql.ts';
import { Rng } from '../workload/rng.ts';
import { generateValues } from '../workload/values.ts';

/** Rows per INSERT statement. */
export const ROWS_PER_STATEMENT = 1000;

/** Insert rows `firstId`..`firstId + count - 1` (version 1, generated values); resolves when all are committed. */
export async function insertGeneratedRows(pool: mysql.Pool, entity: Entity, table: string, firstId: number, count: number, seed = 1, connections = 2): Promise<void> {
  const columns = Object.keys(entity.columns);
  const rng = new Rng(seed, `pipeline-rows-${table}`);
  const head = `INSERT INTO ${quote(table)} (\`id\`, \`version\`${columns.map((name) => `, ${quote(name)}`).join('')}) VALUES `;
  const tuple = `(?, 1${', ?'.repeat(columns.length)})`;
  const statements: { sql: string; params: unknown[] }[] = [];
  for (let from = firstId; from < firstId + count; from += ROWS_PER_STATEMENT) {
    const to = Math.min(from + ROWS_PER_STATEMENT, firstId + count);
    const params: unknown[] = [];
    for (let id = from; id < to; id++) {
      const values = generateValues(entity.columns, columns, rng);
      params.push(id, ...columns.map((name) => values[name]));
    }
    statements.push({ sql: head + Array.from({ length: to - from }, () => tuple).join(', '), params });
  }
  let next = 0;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      for (let i = next++; i < statements.length; i = next++) await pool.query(statements[i]!.sql, statements[i]!.params);
    }),
  );
}
