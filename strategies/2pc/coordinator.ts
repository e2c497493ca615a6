// The two-phase-commit coordinator's write path: one transaction per write, moved along the
// transition table of transaction-state.ts.
//   1. active: XA START, the write's statements (writeRowStatements, as every strategy writes
//      MySQL; the row-locking one timed as the write's lock wait), XA END. A failure here aborts:
//      a branch not yet prepared dies with its connection, so nothing is left behind. A write that
//      changed no row is rolled back and ends `unchanged`.
//   2. preparing: both participants vote at once: XA PREPARE, and the projected document staged
//      in the staging index (whose mapping is the real index's, so the engine refuses there what
//      it would refuse in the real index). Any no vote (or a vote not heard) aborts.
//   3. prepared → committing: the COMMIT decision is inserted in the decision log (autocommit,
//      its own connection): the commit point. If that insert fails, an ABORT insert for the xid
//      settles it (the log admits one decision per xid; see decideCommit).
//   4. committing → committed (phase 2): apply the staged document to the real index (external
//      version = the row's version), then XA COMMIT, then drop the staged document. The index is
//      applied while the prepared branch still holds the row lock, so per key the index receives
//      changes in MySQL's commit order, and a document whose branch MySQL has committed is always
//      in the index already (recovery never has to re-apply one, which after a later delete could
//      bring a document back once the engine forgot the delete).
// Aborting: the branch rolled back (on its connection, or by xid from another), the staged
// document dropped, the abort logged (for the figures: presumed abort needs no abort record).
// A step that cannot finish here leaves the transaction in doubt: the client hears `unknown`
// (TransactionInDoubtError), and quiesce or recover ends it as the log says (recovery.ts).
import type mysql from 'mysql2/promise';
import { classifyMysqlError, writeRowStatements } from '../../harness/entity/mysql-writes.ts';
import { ConvergeError } from '../../harness/errors.ts';
import { retry } from '../../harness/retry.ts';
import { projectRow } from '../../harness/scenario/projection.ts';
import type { Entity } from '../../harness/scenario/schema.ts';
import type { Op } from '../../harness/workload/op.ts';
import type { RowValue, WriteOutcome } from '../contract.ts';
import { AlreadyDecidedError, type DecisionLog } from './decision-log.ts';
import type { Decision } from './decision-log-sql.ts';
import { TransactionAbortedError, TransactionInDoubtError } from './errors.ts';
import { timingFirstQuery } from './lock-wait.ts';
import { commitPrepared, rollbackPrepared, XaBranch } from './mysql-branch.ts';
import type { HoldPoint, TwoPcOptions } from './options.ts';
import type { ApplyTarget, SearchParticipant } from './search-participant.ts';
import { TransactionRecord } from './transaction-state.ts';
import type { TwoPcStats } from './twopc-stats.ts';
import type { XidSource } from './xid.ts';

export interface CoordinatorDeps {
  /** Connections for the XA branches (and XA COMMIT / ROLLBACK by xid). */
  pool: mysql.Pool;
  log: DecisionLog;
  participant: SearchParticipant;
  entity: Entity;
  table: string;
  options: TwoPcOptions;
  stats: TwoPcStats;
  xids: XidSource;
  /** Xids of the transactions running in this process (recovery leaves them alone). */
  inFlight: Set<string>;
}

/** What phase 2 applies for a write whose statements produced `row`. */
export function applyTarget(entity: Entity, op: Op, row: RowValue): ApplyTarget {
  if (op.kind === 'delete') return { rowId: op.id, action: 'delete', version: row.version };
  return { rowId: op.id, action: 'index', version: row.version, doc: projectRow(entity, row) };
}

/** What an abort undoes and logs: the key, what the index would have got, whether a document was staged, whether the abort is logged already. */
interface AbortSubject {
  rowId: number;
  action: ApplyTarget['action'] | null;
  staged: boolean;
  logged: boolean;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export class Coordinator {
  constructor(private readonly deps: CoordinatorDeps) {}

  private retrying<T>(attempts: number, count: () => void, step: () => Promise<T>, description: string): Promise<T> {
    const { retryInitialMs, retryMaxMs } = this.deps.options;
    return retry(
      (attempt) => {
        if (attempt > 1) count();
        return step();
      },
      { maxAttempts: attempts, initialDelayMs: retryInitialMs, maxDelayMs: retryMaxMs, timeoutMs: Number.POSITIVE_INFINITY, description },
    );
  }

  private phaseTwo<T>(step: () => Promise<T>, description: string): Promise<T> {
    return this.retrying(this.deps.options.phaseTwoAttempts, () => this.deps.stats.phaseTwoRetries++, step, description);
  }

  async write(op: Op): Promise<WriteOutcome> {
    const { pool, xids, inFlight } = this.deps;
    const tx = new TransactionRecord(xids.next());
    inFlight.add(tx.xid);
    let connection: mysql.PoolConnection | undefined;
    let branch: XaBranch | undefined;
    try {
      connection = await pool.getConnection().catch((error: unknown) => {
        throw classifyMysqlError(error, false); // no branch was started
      });
      branch = new XaBranch(connection, tx.xid);
      const outcome = await this.runStatements(tx, branch, op);
      if (!outcome.value) {
        // Nothing changed; a branch that cannot be rolled back here dies with its connection.
        await branch.rollback().catch(() => {});
        tx.to('unchanged');
        this.deps.stats.writesUnchanged++;
        return outcome;
      }
      const target = applyTarget(this.deps.entity, op, outcome.value);
      await this.prepare(tx, branch, target);
      await this.hold(op, 'after-prepare');
      await this.decideCommit(tx, branch, target);
      await this.hold(op, 'after-decision');
      await this.commit(tx, branch, target);
      return outcome;
    } finally {
      inFlight.delete(tx.xid);
      // A connection whose branch did not end on it may still be inside it: it never goes back to
      // the pool (closing it detaches a prepared branch, and rolls back any other).
      if (branch?.ended) connection?.release();
      else connection?.destroy();
    }
  }

  private async runStatements(tx: TransactionRecord, branch: XaBranch, op: Op): Promise<WriteOutcome> {
    const { stats, table } = this.deps;
    try {
      await branch.start();
      const { outcome } = await writeRowStatements(
        timingFirstQuery(branch.connection, (ms) => stats.lockWaitMs.record(ms)),
        table,
        op,
        false,
      );
      if (outcome.value) await branch.end();
      return outcome;
    } catch (error) {
      const cause = classifyMysqlError(error, false);
      if ((error as { code?: string }).code === 'ER_LOCK_WAIT_TIMEOUT') stats.lockWaitTimeouts++;
      tx.to('aborting');
      await this.abort(tx, branch, { rowId: op.id, action: null, staged: false, logged: false }, `MySQL: ${cause.message}`);
      throw new TransactionAbortedError(tx.xid, `MySQL: ${cause.message}`, { retriable: cause.retriable, cause });
    }
  }

  /** Phase 1: both participants vote at once; any no (or an unheard vote) aborts. */
  private async prepare(tx: TransactionRecord, branch: XaBranch, target: ApplyTarget): Promise<void> {
    const { participant, stats, options } = this.deps;
    tx.to('preparing');
    const staging =
      target.action === 'index'
        ? this.retrying(options.prepareAttempts, () => stats.prepareRetries++, () => participant.prepare(tx.xid, target.doc!), `staging ${tx.xid}`)
        : Promise.resolve(); // a versioned delete cannot be refused: nothing to stage
    const [mysqlVote, searchVote] = await Promise.allSettled([branch.prepare(), staging]);
    if (mysqlVote.status === 'fulfilled' && searchVote.status === 'fulfilled') {
      tx.to('prepared');
      return;
    }
    const refusal: unknown = searchVote.status === 'rejected' ? searchVote.reason : (mysqlVote as PromiseRejectedResult).reason;
    const who = searchVote.status === 'rejected' ? 'the search engine' : 'MySQL';
    const refusedForGood = refusal instanceof ConvergeError && refusal.definite && !refusal.retriable;
    if (searchVote.status === 'rejected' && refusedForGood) stats.rejectedAtPrepare++;
    tx.to('aborting');
    const reason = `${who} voted no at prepare: ${message(refusal)}`;
    await this.abort(tx, branch, { rowId: target.rowId, action: target.action, staged: target.action === 'index', logged: false }, reason);
    throw new TransactionAbortedError(tx.xid, reason, { retriable: !refusedForGood, cause: refusal });
  }

  /**
   * The commit point: COMMIT in the decision log. When that insert fails, its fate is settled by
   * inserting ABORT for the xid (the key admits one decision): if that lands, the transaction
   * aborts (a COMMIT still under way server-side can no longer land); if the xid already has a
   * decision, it is read back (ours, or recovery's fence); if the log cannot be reached, in doubt.
   */
  private async decideCommit(tx: TransactionRecord, branch: XaBranch, target: ApplyTarget): Promise<void> {
    const { log } = this.deps;
    const row = { xid: tx.xid, rowId: target.rowId, action: target.action };
    let decided: Decision | 'unknown' = 'commit';
    let reason = '';
    try {
      await log.decide({ ...row, decision: 'commit', version: target.version, reason: null });
    } catch (error) {
      reason = `the COMMIT decision could not be logged (${message(error)})`;
      decided = await this.phaseTwo(async () => {
        try {
          await log.decide({ ...row, decision: 'abort', version: null, reason });
          return 'abort' as const;
        } catch (fenced) {
          if (!(fenced instanceof AlreadyDecidedError)) throw fenced;
          const logged = (await log.find([tx.xid])).get(tx.xid)?.decision;
          if (!logged) throw fenced;
          if (logged === 'abort') reason = 'recovery decided abort first';
          return logged;
        }
      }, `settling the decision of ${tx.xid}`).catch(() => 'unknown' as const);
    }
    if (decided === 'commit') {
      tx.to('committing');
      return;
    }
    if (decided === 'unknown') {
      tx.to('inDoubt');
      this.deps.stats.leftInDoubt++;
      throw new TransactionInDoubtError(tx.xid, 'the decision log cannot be reached to learn whether COMMIT was logged');
    }
    tx.to('aborting');
    await this.abort(tx, branch, { ...row, staged: target.action === 'index', logged: true }, reason);
    throw new TransactionAbortedError(tx.xid, reason, { retriable: true });
  }

  /** Phase 2 of a COMMIT: index, then MySQL, then the staged document. Only forward from here. */
  private async commit(tx: TransactionRecord, branch: XaBranch, target: ApplyTarget): Promise<void> {
    const { participant, pool, stats } = this.deps;
    try {
      const applied = await this.phaseTwo(() => participant.apply(target), `applying ${tx.xid} to the index`);
      if (applied === 'superseded') stats.appliesSuperseded++;
      let onOwnConnection = true;
      await this.phaseTwo(async () => {
        if (!onOwnConnection) return void (await commitPrepared(pool, tx.xid));
        onOwnConnection = false;
        await branch.commit().catch((error: unknown) => {
          branch.detach(); // the server ends a prepared branch by xid only once no session holds it
          throw error;
        });
      }, `XA COMMIT ${tx.xid}`);
    } catch (error) {
      tx.to('inDoubt');
      stats.leftInDoubt++;
      throw new TransactionInDoubtError(tx.xid, `COMMIT is logged and phase 2 did not finish here: ${message(error)}`, error);
    }
    tx.to('committed');
    stats.inDoubtMs.record(tx.inDoubtMs()!);
    if (target.action === 'index') await this.dropStaged(tx.xid);
  }

  /** Drops a staged document; one that cannot be dropped now is dropped by the next quiesce or recover. */
  private async dropStaged(xid: string): Promise<boolean> {
    return this.phaseTwo(() => this.deps.participant.dropStaged(xid), `dropping the staged ${xid}`).then(
      () => true,
      () => false,
    );
  }

  /**
   * Abort: the branch rolls back (on its connection, else by xid) and the staged document goes,
   * then the abort is logged for the figures (unless the decision step logged it already). What
   * cannot be undone now stays for quiesce or recover, which roll back every branch without a
   * logged COMMIT (presumed abort): the write took effect nowhere either way.
   */
  private async abort(tx: TransactionRecord, branch: XaBranch, what: AbortSubject, reason: string): Promise<void> {
    const { log, pool } = this.deps;
    const rolledBack = await branch
      .rollback()
      .then(() => true)
      .catch(() => {
        branch.detach();
        return this.phaseTwo(() => rollbackPrepared(pool, tx.xid), `XA ROLLBACK ${tx.xid}`).then(() => true, () => false);
      });
    const dropped = what.staged ? await this.dropStaged(tx.xid) : true;
    if (!what.logged) await log.decide({ xid: tx.xid, decision: 'abort', rowId: what.rowId, action: what.action, version: null, reason }).catch(() => {});
    if (rolledBack && dropped) {
      tx.to('aborted');
      const inDoubt = tx.inDoubtMs();
      if (inDoubt !== null) this.deps.stats.inDoubtMs.record(inDoubt);
    } else {
      tx.to('inDoubt');
      this.deps.stats.leftInDoubt++;
    }
  }

  /** Test-only: a write to one of `holdAt.ids` stops at `point` for good (the process is killed from outside). */
  private async hold(op: Op, point: HoldPoint): Promise<void> {
    const holdAt = this.deps.options.holdAt;
    if (!holdAt || holdAt.point !== point || !holdAt.ids.includes(op.id)) return;
    this.deps.stats.writesHeld++;
    await new Promise<never>(() => {});
  }
}
