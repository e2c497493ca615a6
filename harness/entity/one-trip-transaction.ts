// One write's whole transaction as a single multi-statement query, so it costs one round trip:
// `START TRANSACTION; <write>; <read the row>; COMMIT` (a delete reads the row under its lock
// first, then deletes it; the DELETE of an absent row changes nothing). The server stops at the
// first statement that fails, so a failed write never reaches the COMMIT. The results come back one
// per statement; this file says which of them hold the write's count and the row. Where the server
// takes RETURNING (MariaDB 10.5+), an insert or a delete is a single statement returning its row.
import type mysql from 'mysql2/promise';
import { ConfigError } from '../errors.ts';
import type { MysqlEndpoint } from '../env/endpoints.ts';
import type { Op } from '../workload/op.ts';
import type { RowValue, WriteOutcome } from '../../strategies/contract.ts';
import { deleteStatement, incrementStatement, insertStatement, selectRowStatement, updateStatement, type Statement } from './table-sql.ts';

export interface OneTripTransaction extends Statement {
  /** Index in the results of the write whose affected-row count decides whether a row is there, if any. */
  countedWrite: number | null;
  /** Index in the results of the SELECT that returns the row; null when the query is one statement whose result is the row (RETURNING). */
  rowRead: number | null;
}

/** Whether the server takes `INSERT … RETURNING` and `DELETE … RETURNING` (MariaDB 10.5 and later). */
export function supportsReturning(endpoint: Pick<MysqlEndpoint, 'flavor' | 'version'>): boolean {
  if (endpoint.flavor !== 'mariadb') return false;
  const [major = 0, minor = 0] = (/^(\d+)\.(\d+)/.exec(endpoint.version) ?? []).slice(1).map(Number);
  return major > 10 || (major === 10 && minor >= 5);
}

const START: Statement = { sql: 'START TRANSACTION', params: [] };
const COMMIT: Statement = { sql: 'COMMIT', params: [] };

function joined(statements: Statement[]): Statement {
  return { sql: statements.map((statement) => statement.sql).join('; '), params: statements.flatMap((statement) => statement.params) };
}

/**
 * The transaction of `op` on `table`, its statements joined with their parameters in order. With
 * `returning` (the server takes RETURNING), an insert or a delete is one autocommitted statement
 * that returns the row it wrote or deleted: the same row, one statement instead of four.
 */
export function oneTripTransaction(table: string, op: Op, returning = false): OneTripTransaction {
  if (returning && (op.kind === 'insert' || op.kind === 'delete')) {
    const statement = op.kind === 'insert' ? insertStatement(table, op.id, op.values ?? {}) : deleteStatement(table, op.id);
    return { sql: `${statement.sql} RETURNING *`, params: statement.params, countedWrite: null, rowRead: null };
  }
  switch (op.kind) {
    case 'insert':
      // An insert that fails stops the query; one that passes always wrote the row.
      return { ...joined([START, insertStatement(table, op.id, op.values ?? {}), selectRowStatement(table, op.id), COMMIT]), countedWrite: null, rowRead: 2 };
    case 'update':
    case 'increment': {
      const write = op.kind === 'update' ? updateStatement(table, op.id, op.values ?? {}) : incrementStatement(table, op.id, op.column ?? '', op.delta ?? 0);
      return { ...joined([START, write, selectRowStatement(table, op.id), COMMIT]), countedWrite: 1, rowRead: 2 };
    }
    case 'delete':
      return { ...joined([START, selectRowStatement(table, op.id, true), deleteStatement(table, op.id), COMMIT]), countedWrite: null, rowRead: 1 };
    case 'read':
      throw new ConfigError('a read is not a write: the harness reads the index itself');
    case 'xaRollback':
      throw new ConfigError('an xaRollback is not a strategy write: the harness runs its XA branch itself');
  }
}

/** A row as MySQL returned it, with `id` and `version` as numbers. */
export function rowValue(row: mysql.RowDataPacket): RowValue {
  return { ...row, id: Number(row.id), version: Number(row.version) };
}

/** The outcome from the query's results (one per statement): the row as committed, or null when none was there. */
export function oneTripOutcome(transaction: OneTripTransaction, results: unknown): WriteOutcome {
  if (!Array.isArray(results)) throw new ConfigError('a one-trip transaction needs a connection with multipleStatements: one result per statement');
  const counted = transaction.countedWrite === null ? null : (results[transaction.countedWrite] as mysql.ResultSetHeader);
  const rows = (transaction.rowRead === null ? results : results[transaction.rowRead]) as mysql.RowDataPacket[];
  const row = counted && counted.affectedRows === 0 ? undefined : rows[0];
  const value = row ? rowValue(row) : null;
  return { value, version: value?.version ?? null };
}
