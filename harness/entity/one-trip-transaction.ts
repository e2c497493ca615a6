// One write's whole transaction as a single multi-statement query, so it costs one round trip:
// `START TRANSACTION; <write>; <read the row>; COMMIT` (a delete reads the row under its lock
// first, then deletes it; the DELETE of an absent row changes nothing). The server stops at the
// first statement that fails, so a failed write never reaches the COMMIT. The results come back one
// per statement; this file says which of them hold the write's count and the row.
import type mysql from 'mysql2/promise';
import { ConfigError } from '../errors.ts';
import type { Op } from '../workload/op.ts';
import type { RowValue, WriteOutcome } from '../../strategies/contract.ts';
import { deleteStatement, incrementStatement, insertStatement, selectRowStatement, updateStatement, type Statement } from './table-sql.ts';

export interface OneTripTransaction extends Statement {
  /** Index in the results of the write whose affected-row count decides whether a row is there, if any. */
  countedWrite: number | null;
  /** Index in the results of the SELECT that returns the row. */
  rowRead: number;
}

const START: Statement = { sql: 'START TRANSACTION', params: [] };
const COMMIT: Statement = { sql: 'COMMIT', params: [] };

function joined(statements: Statement[]): Statement {
  return { sql: statements.map((statement) => statement.sql).join('; '), params: statements.flatMap((statement) => statement.params) };
}

/** The transaction of `op` on `table`, its statements joined with their parameters in order. */
export function oneTripTransaction(table: string, op: Op): OneTripTransaction {
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
  const rows = results[transaction.rowRead] as mysql.RowDataPacket[];
  const row = counted && counted.affectedRows === 0 ? undefined : rows[0];
  const value = row ? rowValue(row) : null;
  return { value, version: value?.version ?? null };
}
