// Removing what one pair created, each part said by name: the strategy's own machinery through its
// `teardown` (in a worker process of its own, as in a run), then the pair's table and index. Used
// when a run's pair crashed before its teardown, and by the leftover cleanup at a bench's start.
// Every step is idempotent: what is already gone, or was never created, is skipped.
import type mysql from 'mysql2/promise';
import { dropTableSql } from '../entity/table-sql.ts';
import { rollBackBranchesOf } from '../entity/xa-branch.ts';
import type { SearchPort } from '../stores/search/search-port.ts';
import { StrategyWorker } from '../worker/strategy-worker.ts';
import type { StrategyContext } from '../../strategies/contract.ts';

/** What a strategy's teardown said it removed (a list of short phrases), or nothing. */
export function removedList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** Runs the strategy's teardown in a fresh worker (open, teardown, close) and returns what it removed. */
export async function tearDownInFreshWorker(strategy: string, context: StrategyContext): Promise<string[]> {
  const worker = new StrategyWorker(strategy, context);
  try {
    await worker.start();
    return removedList(await worker.call('teardown'));
  } finally {
    await worker.stop();
  }
}

/**
 * Drops the pair's table and deletes its index; returns those that existed. An XA branch the
 * harness left prepared on the table (its process killed between XA PREPARE and XA ROLLBACK) is
 * rolled back first: it holds the table's metadata lock, on which DROP TABLE would wait.
 */
export async function dropPairData(pool: mysql.Pool, search: SearchPort, names: { table: string; index: string }): Promise<string[]> {
  const removed: string[] = [];
  const branches = await rollBackBranchesOf(pool, names.table);
  if (branches > 0) removed.push(`${branches} prepared XA branch${branches === 1 ? '' : 'es'} on ${names.table}`);
  const [rows] = await pool.query<mysql.RowDataPacket[]>('SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?', [names.table]);
  await pool.query(dropTableSql(names.table));
  if (rows.length > 0) removed.push(`table ${names.table}`);
  if (await search.indexExists(names.index)) {
    await search.deleteIndex(names.index);
    removed.push(`index ${names.index}`);
  }
  return removed;
}
