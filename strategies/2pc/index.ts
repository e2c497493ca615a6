// The 2pc strategy: every write is one two-phase-commit transaction over MySQL (an XA branch) and
// the search engine (a staged document), run by the coordinator (coordinator.ts) with a durable
// decision log in MySQL (decision-log.ts) and presumed abort. Lifecycle: setup creates the table,
// the index, the staging index and the decision log; write runs a transaction and answers once
// phase 2 is done (ok), aborted (a definite fail) or left in doubt (unknown); quiesce waits until no
// transaction runs here, then ends whatever this run left in doubt (recovery.ts) and is quiet when
// no prepared branch and no staged document of the run is left; recover does the same after a
// crash; teardown ends or rolls back the run's branches and drops the staging index and the log.
// Design decisions are in README.md.
import type mysql from 'mysql2/promise';
import { PercentileRecorder } from '../../harness/checker/percentiles.ts';
import { recreateIndex, recreateTable } from '../../harness/entity/stores-setup.ts';
import { createMysqlPool } from '../../harness/stores/mysql.ts';
import { connectSearch } from '../../harness/stores/search/connect-search.ts';
import type { SearchPort } from '../../harness/stores/search/search-port.ts';
import type { Op } from '../../harness/workload/op.ts';
import type { QuiesceResult, Strategy, StrategyContext, WriteOutcome } from '../contract.ts';
import { Coordinator } from './coordinator.ts';
import { DecisionLog } from './decision-log.ts';
import { decisionLogTable } from './decision-log-sql.ts';
import { preparedBranches, rollbackPrepared } from './mysql-branch.ts';
import { parseTwoPcOptions, type TwoPcOptions } from './options.ts';
import { recoverInDoubt, type RecoveryDeps } from './recovery.ts';
import { SearchParticipant } from './search-participant.ts';
import { flatPercentiles, TwoPcStats } from './twopc-stats.ts';
import { XidSource, xidPrefix } from './xid.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

class TwoPcStrategy implements Strategy {
  readonly name = '2pc';
  private context!: StrategyContext;
  private options!: TwoPcOptions;
  private pool: mysql.Pool | undefined;
  private logPool: mysql.Pool | undefined;
  private search: SearchPort | undefined;
  private log!: DecisionLog;
  private participant!: SearchParticipant;
  private coordinator!: Coordinator;
  private prefix!: string;
  private readonly figures = new TwoPcStats();
  private readonly inFlight = new Set<string>();

  async open(context: StrategyContext): Promise<void> {
    this.context = context;
    this.options = parseTwoPcOptions(context.options);
    this.prefix = xidPrefix(context.runId, context.table);
    // Each transaction holds one connection from XA START to its end; recovery takes short turns.
    this.pool = createMysqlPool(context.endpoints.mysql, { connectionLimit: Math.max(4, context.concurrency + 8) });
    const lockWait = this.options.lockWaitTimeoutS;
    this.pool.pool.on('connection', (connection) => {
      connection.query(`SET SESSION innodb_lock_wait_timeout = ${lockWait}`, (error: Error | null) => {
        if (error) process.stderr.write(`2pc: setting innodb_lock_wait_timeout failed: ${error.message}\n`);
      });
    });
    // The decision log writes on connections of its own: a prepared branch's connection takes no other statement.
    this.logPool = createMysqlPool(context.endpoints.mysql, { connectionLimit: Math.max(4, context.concurrency) });
    this.search = await connectSearch(context.endpoints.search.url);
    this.log = new DecisionLog(this.logPool, decisionLogTable(context.table));
    this.participant = new SearchParticipant(this.search, context.entity, context.index);
    this.coordinator = new Coordinator({
      pool: this.pool,
      log: this.log,
      participant: this.participant,
      entity: context.entity,
      table: context.table,
      options: this.options,
      stats: this.figures,
      xids: new XidSource(this.prefix),
      inFlight: this.inFlight,
    });
  }

  async setup(): Promise<void> {
    await recreateTable(this.pool!, this.context.entity, this.context.table);
    await recreateIndex(this.search!, this.context.entity, this.context.index);
    await this.participant.createStaging();
    await this.log.recreate();
  }

  write(op: Op): Promise<WriteOutcome> {
    return this.coordinator.write(op);
  }

  private recoveryDeps(): RecoveryDeps {
    return { pool: this.pool!, log: this.log, participant: this.participant, prefix: this.prefix, inFlight: this.inFlight, stats: this.figures };
  }

  /** Quiet when no transaction runs here and, after ending what this run left in doubt, no prepared branch or staged document of it is left. */
  async quiesce(timeoutMs: number): Promise<QuiesceResult> {
    const started = Date.now();
    for (;;) {
      let left: { prepared: number; staged: number } | null = null;
      let failure = '';
      if (this.inFlight.size === 0) {
        try {
          await recoverInDoubt(this.recoveryDeps());
          left = { prepared: (await preparedBranches(this.pool!, this.prefix)).length, staged: (await this.participant.stagedCount()) ?? 0 };
        } catch (error) {
          failure = `; ending in-doubt transactions failed: ${error instanceof Error ? error.message : String(error)}`;
        }
      }
      const detail = `${this.inFlight.size} transactions running here, ${left ? `${left.prepared} prepared branches and ${left.staged} staged documents left` : 'prepared branches and staging not counted'}${failure}`;
      if (left && left.prepared === 0 && left.staged === 0) return { quiet: true, waitedMs: Date.now() - started, detail };
      if (Date.now() - started >= timeoutMs) return { quiet: false, waitedMs: Date.now() - started, detail };
      await sleep(this.inFlight.size > 0 ? 20 : 200);
    }
  }

  /** After a crash: end every transaction of this run the predecessor left in doubt, and measure how long they were. */
  async recover(): Promise<void> {
    const started = Date.now();
    const result = await recoverInDoubt(this.recoveryDeps());
    this.figures.lastRecovery = { branches: result.commit.length + result.rollBack.length, windowMs: result.windowMs, ms: Date.now() - started };
  }

  async stats(): Promise<Record<string, unknown>> {
    const counts = await this.log.counts().catch(() => null);
    const preparedLeft = await preparedBranches(this.pool!, this.prefix).then(
      (xids) => xids.length,
      () => null,
    );
    const stagingLeft = await this.participant.stagedCount().catch(() => null);
    // In-doubt times: of the transactions this worker's coordinator ended, and of every one recovery
    // ended (from the log: they outlive the worker that crashed).
    const here = this.figures.inDoubtMs.summary();
    const recovered = new PercentileRecorder();
    await this.log.recordRecoveredInDoubt(recovered).catch(() => {});
    const recoveredSummary = recovered.summary();
    const last = this.figures.lastRecovery;
    return {
      transactionsCommitted: counts?.committed ?? null,
      transactionsAborted: counts?.aborted ?? null,
      recoveredCommitted: counts?.recoveredCommitted ?? null,
      recoveredRolledBack: counts?.recoveredAborted ?? null,
      preparedLeft,
      stagingLeft,
      transactionsRunningHere: this.inFlight.size,
      ...this.figures.counters(),
      ...flatPercentiles('lockWaitMs', this.figures.lockWaitMs.summary()),
      ...flatPercentiles('inDoubtMs', here),
      ...flatPercentiles('recoveredInDoubtMs', recoveredSummary),
      inDoubtMaxMs: Math.max(here.state === 'measured' ? here.max : 0, recoveredSummary.state === 'measured' ? recoveredSummary.max : 0),
      ...(last ? { lastRecoveryBranches: last.branches, lastRecoveryWindowMs: last.windowMs, lastRecoveryMs: last.ms } : {}),
    };
  }

  async configuration(): Promise<Record<string, unknown>> {
    // What "durable" means for the decision log and the prepared branches on this server.
    const [rows] = await this.pool!.query<mysql.RowDataPacket[]>('SELECT @@innodb_flush_log_at_trx_commit AS flush, @@sync_binlog AS syncBinlog');
    return {
      xidPrefix: this.prefix,
      decisionLog: this.log.table,
      stagingIndex: this.participant.staging,
      stagingTranslogDurability: 'request',
      lockWaitTimeoutS: this.options.lockWaitTimeoutS,
      innodbFlushLogAtTrxCommit: Number(rows[0]?.flush),
      syncBinlog: Number(rows[0]?.syncBinlog),
    };
  }

  /** Ends what the run left in doubt where it can, rolls back any branch of the run still prepared, drops the staging index and the log. */
  async teardown(): Promise<string[]> {
    const removed: string[] = [];
    await recoverInDoubt(this.recoveryDeps()).catch(() => undefined);
    const left = await preparedBranches(this.pool!, this.prefix);
    for (const xid of left) await rollbackPrepared(this.pool!, xid);
    if (left.length > 0) removed.push(`${left.length} prepared XA branches rolled back`);
    if (await this.participant.dropStaging()) removed.push(`index ${this.participant.staging}`);
    await this.log.drop();
    removed.push(`table ${this.log.table}`);
    return removed;
  }

  async close(): Promise<void> {
    await this.pool?.end();
    await this.logPool?.end();
    await this.search?.close();
  }
}

export const twoPcStrategy = (): Strategy => new TwoPcStrategy();
