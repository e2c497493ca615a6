// A cdc pipeline run in the bench process for the catch-up measurements, where the harness must
// hold parts back (the sink until the topic is full, the capture until the table is full): its own
// table, index, topics, connector and capture user, under a lease in the env like any pair, so a
// killed run is cleaned up by the next bench; `close()` removes all of it and says what.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { leaseDir, removeLease, writeLease } from '../run/lease.ts';
import { dropPairData } from '../run/pair-cleanup.ts';
import type { SnapshotSources } from '../run/final-read.ts';
import { createMysqlPool } from '../stores/mysql.ts';
import { connectSearch } from '../stores/search/connect-search.ts';
import { CdcStrategy, type CdcControl } from '../../strategies/cdc/index.ts';
import { cdcOptionsSchema } from '../../strategies/cdc/options.ts';
import type { StrategyContext } from '../../strategies/contract.ts';
import type { PipelineContext } from './context.ts';

export interface CdcPair {
  cdc: CdcStrategy;
  names: { table: string; index: string };
  sources: SnapshotSources;
  /** Tear the pipeline down, drop the table and index, release the lease; what was removed. */
  close(): Promise<string[]>;
}

/** Open (not set up) a cdc pair named after `label`. */
export async function openCdcPair(ctx: PipelineContext, label: string, options: Record<string, unknown>, control: CdcControl): Promise<CdcPair> {
  const tag = randomBytes(3).toString('hex');
  const names = { table: `pl_${label.replaceAll('-', '_')}_cdc_${tag}`, index: `converge-pipeline-${label}-cdc-${tag}` };
  const context: StrategyContext = {
    endpoints: ctx.endpoints,
    runId: ctx.runId,
    entity: ctx.entity,
    table: names.table,
    index: names.index,
    concurrency: ctx.params.concurrency + 2,
    options: cdcOptionsSchema.parse(options),
    logFile: path.join(ctx.runDir, `pipeline-${label}.log`),
  };
  const { endpoints: _, ...leased } = context;
  const lease = writeLease(leaseDir(ctx.envDir), tag, { pid: process.pid, strategy: 'cdc', scenario: `pipeline-${label}`, createdAt: new Date().toISOString(), keepData: false, context: leased });
  const pool = createMysqlPool(ctx.endpoints.mysql, { connectionLimit: 4 });
  const search = await connectSearch(ctx.endpoints.search.url);
  const cdc = new CdcStrategy(control);
  await cdc.open(context);
  let closed: string[] | undefined;
  return {
    cdc,
    names,
    sources: { pool, search, entity: ctx.entity, table: names.table, index: names.index },
    async close() {
      if (closed) return closed;
      const removed = [...((await cdc.teardown()) ?? [])];
      await cdc.close();
      removed.push(...(await dropPairData(pool, search, names)));
      removeLease(lease);
      await pool.end();
      await search.close();
      closed = removed;
      return removed;
    },
  };
}
