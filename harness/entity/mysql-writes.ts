// One write of the workload applied to MySQL in its own transaction, returning the row as it was
// committed (the write, then a read of the row under the write's lock). Every strategy whose
// application writes MySQL uses this (2pc runs the same statements inside an XA branch), so all of
// them write MySQL identically. Without a step inside the transaction, the whole transaction goes in
// one round trip (one-trip-transaction.ts). A duplicate key or another definite SQL error is a
// definite failure; a lost connection leaves the outcome unknown.
import type mysql from 'mysql2/promise';
import { ConvergeError, ConfigError } from '../errors.ts';
import type { Op } from '../workload/op.ts';
import type { RowValue, WriteOutcome } from '../../strategies/contract.ts';
import { oneTripOutcome, oneTripTransaction, rowValue } from './one-trip-transaction.ts';
import { deleteStatement, incrementStatement, insertStatement, selectRowStatement, updateStatement } from './table-sql.ts';

/** MySQL said no: the statement did not apply (duplicate key, constraint, bad value). */
export class MysqlRejectedError extends ConvergeError {
  constructor(
    readonly code: string,
    message: string,
    cause?: unknown,
  ) {
    super(`MySQL rejected the write: ${code}: ${message}`, { definite: true, retriable: false, cause });
  }
}

/** Connection-level failures after which a statement may or may not have committed. */
const UNKNOWN_OUTCOME_CODES = new Set(['PROTOCOL_CONNECTION_LOST', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'PROTOCOL_SEQUENCE_TIMEOUT', 'ER_CONNECTION_KILLED']);
/** Failures before anything was sent: the write certainly did not happen, and a retry may pass. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ER_CON_COUNT_ERROR', 'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR']);
/** Errors from which MySQL rolled the transaction back, worth a retry. */
const ROLLED_BACK_CODES = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT']);

export function classifyMysqlError(error: unknown, committing: boolean): ConvergeError {
  if (error instanceof ConvergeError) return error;
  const code = (error as { code?: string }).code ?? 'UNKNOWN';
  const message = error instanceof Error ? error.message : String(error);
  if (NOT_SENT_CODES.has(code)) return new ConvergeError(`MySQL unreachable: ${code}: ${message}`, { definite: true, retriable: true, cause: error });
  if (ROLLED_BACK_CODES.has(code)) return new ConvergeError(`MySQL rolled back: ${code}: ${message}`, { definite: true, retriable: true, cause: error });
  if (UNKNOWN_OUTCOME_CODES.has(code) || (committing && !(error as { sqlState?: string }).sqlState)) {
    return new ConvergeError(`MySQL connection failed mid-write: ${code}: ${message}`, { definite: false, retriable: true, cause: error });
  }
  return new MysqlRejectedError(code, message, error);
}

export type Queryable = Pick<mysql.PoolConnection, 'query' | 'beginTransaction' | 'commit' | 'rollback'>;
/** A connection applyMysqlWrite can use: its config says whether one query may carry several statements. */
export type WriteConnection = Queryable & Pick<mysql.PoolConnection, 'config'>;

/** The row `id` as committed (or under this transaction), `FOR UPDATE` when asked; null when absent. */
export async function selectRow(connection: Pick<Queryable, 'query'>, table: string, id: number, forUpdate: boolean): Promise<RowValue | null> {
  const statement = selectRowStatement(table, id, forUpdate);
  const [rows] = await connection.query<mysql.RowDataPacket[]>(statement.sql, statement.params);
  const row = rows[0];
  return row ? rowValue(row) : null;
}

/** What a write's statements did: the outcome, and the before-image when it was asked for. */
export interface WriteStatementsResult {
  outcome: WriteOutcome;
  /** The row before the write, read under its lock (null for an insert, or when no row was there or it was not asked for). */
  before: RowValue | null;
}

/**
 * The statements of `op` inside a transaction the caller opened (a local one, or an XA branch):
 * the write, then a read of the row under the write's lock. The first statement is the one that
 * takes the row's lock (the INSERT, the UPDATE, or the delete's SELECT … FOR UPDATE), unless
 * `readBefore` asks for the before-image of an update or increment first (that read then locks).
 */
export async function writeRowStatements(connection: Pick<Queryable, 'query'>, table: string, op: Op, readBefore: boolean): Promise<WriteStatementsResult> {
  let before: RowValue | null = null;
  switch (op.kind) {
    case 'insert': {
      const statement = insertStatement(table, op.id, op.values ?? {});
      await connection.query(statement.sql, statement.params);
      const row = await selectRow(connection, table, op.id, false);
      return { outcome: { value: row, version: row?.version ?? null }, before };
    }
    case 'update':
    case 'increment': {
      if (readBefore) before = await selectRow(connection, table, op.id, true);
      const statement =
        op.kind === 'update' ? updateStatement(table, op.id, op.values ?? {}) : incrementStatement(table, op.id, op.column ?? '', op.delta ?? 0);
      const [result] = await connection.query<mysql.ResultSetHeader>(statement.sql, statement.params);
      const row = result.affectedRows > 0 ? await selectRow(connection, table, op.id, false) : null;
      return { outcome: { value: row, version: row?.version ?? null }, before };
    }
    case 'delete': {
      const row = await selectRow(connection, table, op.id, true);
      if (row) {
        const statement = deleteStatement(table, op.id);
        await connection.query(statement.sql, statement.params);
      }
      return { outcome: { value: row, version: row?.version ?? null }, before: row };
    }
    case 'read':
      throw new ConfigError('a read is not a write: the harness reads the index itself');
    case 'xaRollback':
      throw new ConfigError('an xaRollback is not a strategy write: the harness runs its XA branch itself');
  }
}

/**
 * Apply `op` in one transaction. `beforeCommit`, when given, runs inside the transaction after the
 * write (a saga writes its log row there) with the row's before-image, read under the write's lock
 * (null for an insert, or when no row was there); the row returned is the committed row. Without
 * it the transaction is one multi-statement query: the connection must allow multiple statements
 * (createMysqlPool's `multipleStatements`).
 */
export interface ApplyOptions {
  /** Runs inside the transaction after the write, with the row's before-image (a saga writes its log row there). */
  beforeCommit?: (outcome: WriteOutcome, before: RowValue | null) => Promise<void>;
  /** The server takes RETURNING (supportsReturning): an insert or a delete is then one statement. */
  returning?: boolean;
}

export async function applyMysqlWrite(connection: WriteConnection, table: string, op: Op, options: ApplyOptions = {}): Promise<WriteOutcome> {
  const { beforeCommit } = options;
  if (!beforeCommit) return applyInOneTrip(connection, table, op, options.returning ?? false);
  let committing = false;
  try {
    await connection.beginTransaction();
    const { outcome, before } = await writeRowStatements(connection, table, op, true);
    await beforeCommit(outcome, before);
    committing = true;
    await connection.commit();
    return outcome;
  } catch (error) {
    if (!committing) await connection.rollback().catch(() => {});
    throw classifyMysqlError(error, committing);
  }
}

/**
 * The transaction of `op` in one round trip. An error the server sent for one of its statements
 * is definite, as it is statement by statement: the server stops at the failing statement, and
 * the transaction it may have left open is rolled back here (a deadlock or lock wait timeout stays
 * retriable). A connection lost during the round trip leaves the outcome unknown: the COMMIT may
 * have run.
 */
async function applyInOneTrip(connection: WriteConnection, table: string, op: Op, returning: boolean): Promise<WriteOutcome> {
  if (!connection.config.multipleStatements) {
    throw new ConfigError('applyMysqlWrite without beforeCommit sends one multi-statement query: open the pool with multipleStatements');
  }
  const transaction = oneTripTransaction(table, op, returning);
  try {
    const [results] = await connection.query(transaction.sql, transaction.params);
    return oneTripOutcome(transaction, results);
  } catch (error) {
    if (!(error as { fatal?: boolean }).fatal) await connection.rollback().catch(() => {});
    throw classifyMysqlError(error, true);
  }
}
