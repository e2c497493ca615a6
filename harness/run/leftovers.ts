// Removing what earlier runs on this env left behind: every lease (lease.ts) whose process is gone
// belongs to a run that was killed (SIGKILL, a crash, a second Ctrl-C) before its pairs cleaned
// up. For each, the strategy's own teardown runs in a fresh worker with the leased context (for
// cdc: connector, topics, consumer group, capture user), then the pair's table and index are
// dropped (kept when the run asked to keep its data), and the lease is removed. What was removed
// is said, by name. A lease whose cleanup fails stays, for the next try.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type mysql from 'mysql2/promise';
import type { Endpoints } from '../env/endpoints.ts';
import { createMysqlPool } from '../stores/mysql.ts';
import { connectSearch } from '../stores/search/connect-search.ts';
import type { SearchPort } from '../stores/search/search-port.ts';
import { strategyNames } from '../../strategies/index.ts';
import { leaseDir, processAlive, readLeases, removeLease, type Lease } from './lease.ts';
import { dropPairData, tearDownInFreshWorker } from './pair-cleanup.ts';

export interface LeftoverOutcome {
  file: string;
  lease?: Lease;
  /** What was removed, one short phrase each. */
  removed: string[];
  /** Set when the cleanup failed (the lease is kept) or the lease could not be read. */
  error?: string;
}

export interface LeftoverOptions {
  envDir: string;
  endpoints: Endpoints;
  log: (line: string) => void;
  /** Whether a lease's process still runs (tests inject it). Default: probe the pid. */
  alive?: (pid: number) => boolean;
}

const pairOf = (lease: Lease) => `${lease.strategy} × ${lease.scenario} of run ${lease.context.runId} (pid ${lease.pid}, gone)`;

/** Cleans up after every lease of `envDir` whose process is gone; leases of live runs are left alone. */
export async function removeLeftovers(options: LeftoverOptions): Promise<LeftoverOutcome[]> {
  const alive = options.alive ?? processAlive;
  const found = readLeases(leaseDir(options.envDir));
  const outcomes: LeftoverOutcome[] = [];
  const stale: { file: string; lease: Lease }[] = [];
  for (const entry of found) {
    if ('error' in entry) {
      options.log(`leftovers: cannot read lease ${entry.file}: ${entry.error}; left in place`);
      outcomes.push({ file: entry.file, removed: [], error: entry.error });
    } else if (!alive(entry.lease.pid)) {
      stale.push(entry);
    }
  }
  if (stale.length === 0) return outcomes;
  let pool: mysql.Pool | undefined;
  let search: SearchPort | undefined;
  try {
    pool = createMysqlPool(options.endpoints.mysql, { connectionLimit: 2 });
    search = await connectSearch(options.endpoints.search.url);
    for (const { file, lease } of stale) {
      const removed: string[] = [];
      try {
        if (!strategyNames().includes(lease.strategy)) throw new Error(`strategy ${JSON.stringify(lease.strategy)} is no longer registered: its machinery cannot be torn down`);
        // The cleanup worker appends to the killed pair's log while its run folder exists, else to one beside the leases.
        const logFile = lease.context.logFile && existsSync(path.dirname(lease.context.logFile)) ? lease.context.logFile : path.join(leaseDir(options.envDir), 'cleanup.log');
        removed.push(...(await tearDownInFreshWorker(lease.strategy, { ...lease.context, logFile, endpoints: options.endpoints })));
        if (!lease.keepData) removed.push(...(await dropPairData(pool, search, lease.context)));
        removeLease(file);
        const kept = lease.keepData ? ' (its table and index kept: the run asked to keep its data)' : '';
        options.log(`leftovers: ${pairOf(lease)}: ${removed.length > 0 ? `removed ${removed.join(', ')}` : 'nothing was left'}${kept}`);
        outcomes.push({ file, lease, removed });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        options.log(`leftovers: ${pairOf(lease)}: cleanup failed after removing ${removed.length > 0 ? removed.join(', ') : 'nothing'}: ${message}; lease kept: ${file}`);
        outcomes.push({ file, lease, removed, error: message });
      }
    }
  } finally {
    await pool?.end();
    await search?.close();
  }
  return outcomes;
}
