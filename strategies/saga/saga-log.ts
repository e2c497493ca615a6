// The saga log: the durable record of every saga of this run (schema in saga-log-sql.ts). Step 1
// inserts a saga's row in the business transaction; every later transition stores the machine's
// persisted snapshot; the end releases the pending marker; recover() reads the unfinished ones.
import type mysql from 'mysql2/promise';
import type { Queryable } from '../../harness/entity/mysql-writes.ts';
import type { Op } from '../../harness/workload/op.ts';
import type { CompensationResult, StepOneResult } from './saga-machine.ts';
import {
  createSagaLogSql,
  dropSagaLogSql,
  finishStatement,
  insertStartedStatement,
  laterSagaStatement,
  markRecoveredStatement,
  pendingSagaStatement,
  persistSnapshotStatement,
  recordCompensationStatement,
  selectSagaStatement,
  statusCountsStatement,
  unfinishedStatement,
  type StartedRow,
} from './saga-log-sql.ts';

/** Statuses of a logged saga. `active` until it reaches a final state. */
export type SagaStatus = 'active' | 'done' | 'compensated' | 'moot' | 'failed';

export interface LoggedSaga {
  seq: number;
  sagaId: string;
  rowId: number;
  op: Op;
  stepOne: StepOneResult;
  state: string;
  status: SagaStatus;
  snapshot: unknown;
  compensation: CompensationResult | null;
  recovered: number;
}

const json = (text: unknown): unknown => (typeof text === 'string' ? JSON.parse(text) : null);

function toLogged(row: mysql.RowDataPacket): LoggedSaga {
  const seq = Number(row.seq);
  // The seq is the AUTO_INCREMENT assigned when the row was inserted: complete the step-1 record with it.
  const stepOne = { ...(json(row.step_one) as StepOneResult), seq };
  return {
    seq,
    sagaId: String(row.saga_id),
    rowId: Number(row.row_id),
    op: json(row.op) as Op,
    stepOne,
    state: String(row.state),
    status: row.status as SagaStatus,
    snapshot: json(row.snapshot),
    compensation: json(row.compensation) as CompensationResult | null,
    recovered: Number(row.recovered),
  };
}

export class SagaLog {
  constructor(
    private readonly pool: mysql.Pool,
    readonly table: string,
  ) {}

  async recreate(): Promise<void> {
    await this.pool.query(dropSagaLogSql(this.table));
    await this.pool.query(createSagaLogSql(this.table));
  }

  async drop(): Promise<void> {
    await this.pool.query(dropSagaLogSql(this.table));
  }

  /** Inside step 1's transaction: the saga's row; returns its seq. Throws the driver's ER_DUP_ENTRY when `pendingKey` is taken. */
  async insertStarted(connection: Queryable, row: StartedRow): Promise<number> {
    const statement = insertStartedStatement(this.table, row);
    const [result] = await connection.query<mysql.ResultSetHeader>(statement.sql, statement.params);
    return Number(result.insertId);
  }

  async find(connection: Queryable, sagaId: string, forUpdate = false): Promise<LoggedSaga | null> {
    const statement = selectSagaStatement(this.table, sagaId, forUpdate);
    const [rows] = await connection.query<mysql.RowDataPacket[]>(statement.sql, statement.params);
    return rows[0] ? toLogged(rows[0]) : null;
  }

  /** The saga holding the key's pending marker, if any. */
  async pendingOn(connection: Queryable, rowId: number): Promise<string | null> {
    const statement = pendingSagaStatement(this.table, rowId);
    const [rows] = await connection.query<mysql.RowDataPacket[]>(statement.sql, statement.params);
    return rows[0] ? String(rows[0].saga_id) : null;
  }

  async laterSaga(connection: Queryable, rowId: number, seq: number): Promise<number | null> {
    const statement = laterSagaStatement(this.table, rowId, seq);
    const [rows] = await connection.query<mysql.RowDataPacket[]>(statement.sql, statement.params);
    return rows[0] ? Number(rows[0].seq) : null;
  }

  async recordCompensation(connection: Queryable, sagaId: string, compensation: CompensationResult): Promise<void> {
    const statement = recordCompensationStatement(this.table, sagaId, compensation);
    await connection.query(statement.sql, statement.params);
  }

  async persist(sagaId: string, state: string, snapshot: unknown): Promise<void> {
    const statement = persistSnapshotStatement(this.table, sagaId, state, snapshot);
    await this.pool.query(statement.sql, statement.params);
  }

  async finish(sagaId: string, state: string, status: Exclude<SagaStatus, 'active'>, error: string | null): Promise<void> {
    const statement = finishStatement(this.table, sagaId, state, status, error);
    await this.pool.query(statement.sql, statement.params);
  }

  async unfinished(): Promise<LoggedSaga[]> {
    const statement = unfinishedStatement(this.table);
    const [rows] = await this.pool.query<mysql.RowDataPacket[]>(statement.sql, statement.params);
    return rows.map(toLogged);
  }

  async markRecovered(sagaId: string): Promise<void> {
    const statement = markRecoveredStatement(this.table, sagaId);
    await this.pool.query(statement.sql, statement.params);
  }

  /** Sagas per status, and how many were resumed by recover(); an empty result when the table is gone. */
  async counts(): Promise<{ byStatus: Partial<Record<SagaStatus, number>>; recovered: number }> {
    const statement = statusCountsStatement(this.table);
    const [rows] = await this.pool.query<mysql.RowDataPacket[]>(statement.sql, statement.params);
    const byStatus: Partial<Record<SagaStatus, number>> = {};
    let recovered = 0;
    for (const row of rows) {
      byStatus[row.status as SagaStatus] = Number(row.sagas);
      recovered += Number(row.recovered ?? 0);
    }
    return { byStatus, recovered };
  }
}
