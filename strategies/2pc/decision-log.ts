// The decision log (schema in decision-log-sql.ts): the coordinator's durable record of what each
// transaction became. `decide` is the commit point of a COMMIT; whoever inserts an xid's row first
// decides it, so recovery's abort and a live coordinator's commit can never both win.
import type mysql from 'mysql2/promise';
import type { PercentileRecorder } from '../../harness/checker/percentiles.ts';
import {
  createDecisionLogSql,
  decisionCountsStatement,
  dropDecisionLogSql,
  insertDecisionStatement,
  markRecoveredStatement,
  recoveredInDoubtStatement,
  selectDecisionsStatement,
  type Decision,
  type DecisionRow,
  type IndexAction,
} from './decision-log-sql.ts';

/** The xid already has a decision (recovery's abort fence, or a decision made before). */
export class AlreadyDecidedError extends Error {
  constructor(readonly xid: string) {
    super(`transaction ${xid} was already decided`);
  }
}

export interface DecisionCounts {
  committed: number;
  aborted: number;
  recoveredCommitted: number;
  recoveredAborted: number;
}

/** Longest IN list per query. */
const CHUNK = 500;

export class DecisionLog {
  constructor(
    private readonly pool: mysql.Pool,
    readonly table: string,
  ) {}

  async recreate(): Promise<void> {
    await this.pool.query(dropDecisionLogSql(this.table));
    await this.pool.query(createDecisionLogSql(this.table));
  }

  async drop(): Promise<void> {
    await this.pool.query(dropDecisionLogSql(this.table));
  }

  /** Log the decision (autocommit: durable when this resolves); AlreadyDecidedError when the xid has one. */
  async decide(row: DecisionRow): Promise<void> {
    const statement = insertDecisionStatement(this.table, row);
    try {
      await this.pool.query(statement.sql, statement.params);
    } catch (error) {
      if ((error as { code?: string }).code === 'ER_DUP_ENTRY') throw new AlreadyDecidedError(row.xid);
      throw error;
    }
  }

  /** The logged decisions of `xids`, by xid. */
  async find(xids: readonly string[]): Promise<Map<string, DecisionRow>> {
    const found = new Map<string, DecisionRow>();
    for (let i = 0; i < xids.length; i += CHUNK) {
      const statement = selectDecisionsStatement(this.table, xids.slice(i, i + CHUNK));
      const [rows] = await this.pool.query<mysql.RowDataPacket[]>(statement.sql, statement.params);
      for (const row of rows) {
        found.set(String(row.xid), {
          xid: String(row.xid),
          decision: row.decision as Decision,
          rowId: row.row_id === null ? null : Number(row.row_id),
          action: row.action as IndexAction | null,
          version: row.version === null ? null : Number(row.version),
          reason: row.reason === null ? null : String(row.reason),
        });
      }
    }
    return found;
  }

  async markRecovered(xid: string, inDoubtMs: number): Promise<void> {
    const statement = markRecoveredStatement(this.table, xid, inDoubtMs);
    await this.pool.query(statement.sql, statement.params);
  }

  async counts(): Promise<DecisionCounts> {
    const statement = decisionCountsStatement(this.table);
    const [rows] = await this.pool.query<mysql.RowDataPacket[]>(statement.sql, statement.params);
    const counts: DecisionCounts = { committed: 0, aborted: 0, recoveredCommitted: 0, recoveredAborted: 0 };
    for (const row of rows) {
      if (row.decision === 'commit') [counts.committed, counts.recoveredCommitted] = [Number(row.transactions), Number(row.recovered ?? 0)];
      if (row.decision === 'abort') [counts.aborted, counts.recoveredAborted] = [Number(row.transactions), Number(row.recovered ?? 0)];
    }
    return counts;
  }

  /** Adds the in-doubt times of every transaction recovery ended (they outlive the worker that crashed). */
  async recordRecoveredInDoubt(recorder: PercentileRecorder): Promise<void> {
    const statement = recoveredInDoubtStatement(this.table);
    const [rows] = await this.pool.query<mysql.RowDataPacket[]>(statement.sql, statement.params);
    for (const row of rows) recorder.record(Number(row.in_doubt_ms));
  }
}
