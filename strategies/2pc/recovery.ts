// Recovery of in-doubt transactions (recover() after a crash, and every quiesce). Presumed abort:
// - a prepared branch of this run (XA RECOVER, filtered by the run's xid prefix) with a logged
//   COMMIT is committed on both participants: its staged document applied to the index (external
//   version: a repeat is harmless), XA COMMIT, the staged document dropped;
// - a prepared branch without one is rolled back: ABORT is logged first (the fence: a coordinator
//   still trying to log COMMIT for it now fails), then XA ROLLBACK and the staged document dropped;
// - a staged document whose branch is no longer prepared is dropped: its branch either committed
//   (and the coordinator applied the document before XA COMMIT, see coordinator.ts) or never
//   prepared or rolled back (the document never reached the index).
// Transactions still running in this process are left alone. Each resolved branch's in-doubt time,
// from the transaction's start (in its xid) to its resolution, goes in its log row.
import type mysql from 'mysql2/promise';
import { AlreadyDecidedError, type DecisionLog } from './decision-log.ts';
import type { DecisionRow } from './decision-log-sql.ts';
import { commitPrepared, preparedBranches, rollbackPrepared } from './mysql-branch.ts';
import type { SearchParticipant } from './search-participant.ts';
import type { TwoPcStats } from './twopc-stats.ts';
import { xidStartedAt } from './xid.ts';

export interface RecoveryPlan {
  /** Prepared, COMMIT logged: finish phase 2. */
  commit: string[];
  /** Prepared, no COMMIT logged: roll back. */
  rollBack: string[];
  /** Staged, no prepared branch: drop the document. */
  dropStaged: string[];
}

export function planRecovery(input: {
  prepared: readonly string[];
  decisions: ReadonlyMap<string, Pick<DecisionRow, 'decision'>>;
  staged: readonly string[];
  inFlight: ReadonlySet<string>;
}): RecoveryPlan {
  const plan: RecoveryPlan = { commit: [], rollBack: [], dropStaged: [] };
  const prepared = new Set(input.prepared);
  for (const xid of prepared) {
    if (input.inFlight.has(xid)) continue;
    if (input.decisions.get(xid)?.decision === 'commit') plan.commit.push(xid);
    else plan.rollBack.push(xid);
  }
  for (const xid of input.staged) if (!prepared.has(xid) && !input.inFlight.has(xid)) plan.dropStaged.push(xid);
  return plan;
}

export interface RecoveryDeps {
  pool: mysql.Pool;
  log: DecisionLog;
  participant: SearchParticipant;
  prefix: string;
  inFlight: ReadonlySet<string>;
  stats: TwoPcStats;
}

export interface RecoveryResult extends RecoveryPlan {
  /** From the oldest resolved branch's start to the last resolution (ms); 0 when none was prepared. */
  windowMs: number;
}

/** Branches resolved at once. */
const PARALLELISM = 8;

async function inBatches(items: readonly string[], each: (xid: string) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += PARALLELISM) await Promise.all(items.slice(i, i + PARALLELISM).map(each));
}

/** Reads XA RECOVER, the decision log and the staging index, and ends every in-doubt transaction of this run. */
export async function recoverInDoubt(deps: RecoveryDeps): Promise<RecoveryResult> {
  const { pool, log, participant, stats } = deps;
  const prepared = await preparedBranches(pool, deps.prefix);
  const staged = await participant.stagedXids();
  const decisions = await log.find(prepared);
  const plan = planRecovery({ prepared, decisions, staged, inFlight: deps.inFlight });
  let oldest = Number.POSITIVE_INFINITY;
  const resolved = (xid: string): number => {
    const started = xidStartedAt(xid) ?? Date.now();
    oldest = Math.min(oldest, started);
    return Date.now() - started;
  };

  const commit = async (xid: string, decision: DecisionRow) => {
    if (decision.action === 'index') {
      const doc = await participant.staged(xid);
      // Staging precedes the decision and is dropped only after XA COMMIT: a prepared, committed-by-decision branch has its document.
      if (!doc) throw new Error(`2pc recovery: ${xid} has COMMIT logged and a prepared branch, but no staged document`);
      if ((await participant.apply({ rowId: decision.rowId!, action: 'index', version: decision.version!, doc })) === 'superseded') stats.appliesSuperseded++;
    } else if (decision.action === 'delete') {
      if ((await participant.apply({ rowId: decision.rowId!, action: 'delete', version: decision.version! })) === 'superseded') stats.appliesSuperseded++;
    }
    await commitPrepared(pool, xid);
    await participant.dropStaged(xid);
    await log.markRecovered(xid, resolved(xid));
  };

  await inBatches(plan.commit, (xid) => commit(xid, decisions.get(xid)!));
  await inBatches(plan.rollBack, async (xid) => {
    try {
      await log.decide({ xid, decision: 'abort', rowId: null, action: null, version: null, reason: 'presumed abort: prepared, no decision logged', recoveredInDoubtMs: 0 });
    } catch (error) {
      if (!(error instanceof AlreadyDecidedError)) throw error;
      const decision = (await log.find([xid])).get(xid)!;
      // A coordinator logged its decision meanwhile: a COMMIT is carried out; an abort it could not finish is ours to finish.
      if (decision.decision === 'commit') return commit(xid, decision);
    }
    await rollbackPrepared(pool, xid);
    await participant.dropStaged(xid);
    await log.markRecovered(xid, resolved(xid));
  });
  await inBatches(plan.dropStaged, async (xid) => {
    await participant.dropStaged(xid);
    stats.stagedOrphansDropped++;
  });
  const windowMs = plan.commit.length + plan.rollBack.length > 0 ? Date.now() - oldest : 0;
  return { ...plan, windowMs };
}
