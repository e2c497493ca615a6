// The saga's steps against the real stores, provided to the machine with `machine.provide()`.
// Each is idempotent, because restoring a persisted snapshot re-runs the step that was in flight:
// - writeRow (step 1): one MySQL transaction writing the business row (applyMysqlWrite) and, before
//   it commits, the saga's log row with the before- and after-image and, under semantic-lock, the
//   key's pending marker (a unique column: a second saga's insert collides, its transaction rolls
//   back, and it waits). Re-run (recovery of a saga whose log row has no snapshot yet): the log
//   row exists, so its recorded result is returned and nothing is written again; and were it
//   written again, the log row's unique saga id would make that transaction fail as a whole.
// - indexRow: the projected row indexed (or the document deleted) with an external version from
//   the saga's seq (external-version.ts). Re-run or late: the engine answers 409, which means this
//   write or a later one is there — done.
// - compensateRow: one transaction that locks the business row, then the saga's log row; if the
//   log already records a compensation it is returned (re-run); otherwise the plan
//   (compensation-plan.ts) is applied or found moot, and recorded in the log row in the same
//   transaction. Under `ack: end` it restores the before-image's own version (see the plan).
// - awaitLock: waits for the key's pending marker to go (lock-waiters.ts), up to the deadline.
// - backoff: sleeps the retry helper's backoff delay for the attempt.
import type mysql from 'mysql2/promise';
import { fromPromise } from 'xstate';
import { applyMysqlWrite, classifyMysqlError, selectRow } from '../../harness/entity/mysql-writes.ts';
import { backoffDelay } from '../../harness/retry.ts';
import { projectRow } from '../../harness/scenario/projection.ts';
import type { Entity } from '../../harness/scenario/schema.ts';
import { VersionConflictError } from '../../harness/stores/search/search-errors.ts';
import type { SearchPort, WriteOptions } from '../../harness/stores/search/search-port.ts';
import { planCompensation } from './compensation-plan.ts';
import { SemanticLockHeldError } from './errors.ts';
import type { LockWaiters } from './lock-waiters.ts';
import type { SagaOptions } from './options.ts';
import type { SagaLog } from './saga-log.ts';
import {
  sagaMachine,
  type AwaitLockInput,
  type BackoffInput,
  type CompensateInput,
  type CompensationResult,
  type IndexInput,
  type StepOneResult,
  type WriteRowInput,
} from './saga-machine.ts';
import type { SagaStats } from './saga-stats.ts';

export interface StepDeps {
  pool: mysql.Pool;
  search: SearchPort;
  entity: Entity;
  table: string;
  index: string;
  log: SagaLog;
  options: Pick<SagaOptions, 'ack' | 'isolation' | 'indexRefresh'>;
  waiters: LockWaiters;
  stats: SagaStats;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// Every statement of a step goes through the step's one connection: a step that held one and
// waited for a second could exhaust the pool with its peers.
export async function writeRow(deps: StepDeps, { sagaId, op, resumed }: WriteRowInput): Promise<StepOneResult> {
  const connection = await deps.pool.getConnection();
  try {
    const recorded = resumed ? await deps.log.find(connection, sagaId) : null;
    if (recorded) return recorded.stepOne;
    const pendingKey = deps.options.isolation === 'semantic-lock' ? op.id : null;
    if (pendingKey !== null && (await deps.log.pendingOn(connection, op.id)) !== null) throw new SemanticLockHeldError(op.id);
    let started: StepOneResult | null = null;
    const outcome = await applyMysqlWrite(connection, deps.table, op, { beforeCommit: async (outcome, before) => {
      if (outcome.value === null) return; // nothing changed: no saga
      const stepOne: StepOneResult = { seq: null, outcome, before, after: op.kind === 'delete' ? null : outcome.value };
      try {
        const seq = await deps.log.insertStarted(connection, { sagaId, rowId: op.id, op, stepOne, state: 'indexing', pendingKey });
        started = { ...stepOne, seq };
      } catch (error) {
        // The log's only unique key a new saga can collide on is the pending marker.
        if (pendingKey !== null && (error as { code?: string }).code === 'ER_DUP_ENTRY') throw new SemanticLockHeldError(op.id);
        throw error;
      }
    } });
    return started ?? { seq: null, outcome, before: null, after: null };
  } finally {
    connection.release();
  }
}

export async function indexRow(deps: StepDeps, { rowId, version, row }: IndexInput): Promise<void> {
  const options: WriteOptions = { version, versionType: 'external', ...(deps.options.indexRefresh === 'wait_for' ? { refresh: 'wait_for' as const } : {}) };
  try {
    if (row === null) await deps.search.delete(deps.index, String(rowId), options);
    else await deps.search.index(deps.index, String(rowId), projectRow(deps.entity, row), options);
  } catch (error) {
    if (!(error instanceof VersionConflictError)) throw error;
    deps.stats.indexWritesSuperseded++;
  }
}

export async function compensateRow(deps: StepDeps, { sagaId, op, step }: CompensateInput): Promise<CompensationResult> {
  const connection = await deps.pool.getConnection();
  let committing = false;
  try {
    await connection.beginTransaction();
    const current = await selectRow(connection, deps.table, op.id, true);
    const logged = await deps.log.find(connection, sagaId, true);
    if (logged?.compensation) {
      await connection.commit();
      return logged.compensation;
    }
    const laterSeq = await deps.log.laterSaga(connection, op.id, step.seq!);
    const plan = planCompensation({ entity: deps.entity, table: deps.table, kind: op.kind as Exclude<typeof op.kind, 'read'>, step, current, laterSeq, exact: deps.options.ack === 'end' });
    let result: CompensationResult;
    if (plan.action === 'moot') {
      result = { outcome: 'moot', reason: plan.reason };
    } else {
      const [applied] = await connection.query<mysql.ResultSetHeader>(plan.statement.sql, plan.statement.params);
      if (applied.affectedRows === 0) result = { outcome: 'moot', reason: `row ${op.id} changed under the compensation` };
      else result = { outcome: 'applied', row: plan.rowAfter ? await selectRow(connection, deps.table, op.id, false) : null };
    }
    await deps.log.recordCompensation(connection, sagaId, result);
    committing = true;
    await connection.commit();
    return result;
  } catch (error) {
    if (!committing) await connection.rollback().catch(() => {});
    throw classifyMysqlError(error, committing);
  } finally {
    connection.release();
  }
}

/** The machine with the real steps. */
export function sagaMachineFor(deps: StepDeps) {
  return sagaMachine.provide({
    actors: {
      writeRow: fromPromise<StepOneResult, WriteRowInput>(({ input }) => writeRow(deps, input)),
      awaitLock: fromPromise<void, AwaitLockInput>(({ input }) => deps.waiters.wait(input.rowId, input.deadline, input.timeoutMs)),
      indexRow: fromPromise<void, IndexInput>(({ input }) => indexRow(deps, input)),
      compensateRow: fromPromise<CompensationResult, CompensateInput>(({ input }) => compensateRow(deps, input)),
      backoff: fromPromise<void, BackoffInput>(({ input }) => sleep(backoffDelay(input.attempt, input.initialMs, input.maxMs))),
    },
  });
}
