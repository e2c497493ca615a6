// The coordinator's decision log (one table per strategy run, beside the business table) and the
// statements on it. It lives outside every XA branch: a decision is its own autocommit INSERT on
// another connection, durable (InnoDB's redo log) before phase 2 begins.
//   xid          VARCHAR(64) PK   the transaction; the primary key makes the first decision final:
//                                 a second INSERT for the xid fails (recovery's abort fence)
//   decision     VARCHAR(8)       commit | abort
//   row_id       BIGINT NULL      the business key (NULL on an abort recovery decided, which
//                                 knows only the prepared branch)
//   action       VARCHAR(8) NULL  what commit does to the index: index | delete
//   version      BIGINT NULL      the external version phase 2 writes with (the row's version)
//   reason       TEXT NULL        why an abort was decided
//   recovered    TINYINT          1 when recovery (not the transaction's own coordinator) ended it
//   in_doubt_ms  BIGINT NULL      for those: from the transaction's start to its resolution
//   decided_at   DATETIME(6)      UTC
// Presumed abort: only COMMIT must be logged before phase 2; no row means abort. Abort rows are
// written for the figures (and, by recovery, as the fence), never needed to undo anything.
import { quote, type Statement } from '../../harness/entity/table-sql.ts';
import { sideTableName } from '../side-table-name.ts';

export type Decision = 'commit' | 'abort';
/** What phase 2 does to the index: index the staged document, or delete the key's document. */
export type IndexAction = 'index' | 'delete';

export function decisionLogTable(table: string): string {
  return sideTableName('twopc_log', table);
}

export function createDecisionLogSql(log: string): string {
  return [
    `CREATE TABLE ${quote(log)} (`,
    [
      '  `xid` VARCHAR(64) CHARACTER SET ascii NOT NULL',
      '  `decision` VARCHAR(8) NOT NULL',
      '  `row_id` BIGINT NULL',
      '  `action` VARCHAR(8) NULL',
      '  `version` BIGINT NULL',
      '  `reason` TEXT NULL',
      '  `recovered` TINYINT NOT NULL DEFAULT 0',
      '  `in_doubt_ms` BIGINT NULL',
      '  `decided_at` DATETIME(6) NOT NULL',
      '  PRIMARY KEY (`xid`)',
    ].join(',\n'),
    ') ENGINE=InnoDB DEFAULT CHARSET=utf8mb4',
  ].join('\n');
}

export function dropDecisionLogSql(log: string): string {
  return `DROP TABLE IF EXISTS ${quote(log)}`;
}

export interface DecisionRow {
  xid: string;
  decision: Decision;
  rowId: number | null;
  action: IndexAction | null;
  version: number | null;
  reason: string | null;
  /** Set by recovery: the transaction's in-doubt time, and that recovery decided or finished it. */
  recoveredInDoubtMs?: number;
}

export function insertDecisionStatement(log: string, row: DecisionRow): Statement {
  const recovered = row.recoveredInDoubtMs !== undefined;
  return {
    sql: `INSERT INTO ${quote(log)} (\`xid\`, \`decision\`, \`row_id\`, \`action\`, \`version\`, \`reason\`, \`recovered\`, \`in_doubt_ms\`, \`decided_at\`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(6))`,
    params: [row.xid, row.decision, row.rowId, row.action, row.version, row.reason, recovered ? 1 : 0, recovered ? Math.round(row.recoveredInDoubtMs!) : null],
  };
}

export function selectDecisionsStatement(log: string, xids: readonly string[]): Statement {
  return { sql: `SELECT * FROM ${quote(log)} WHERE \`xid\` IN (${xids.map(() => '?').join(', ')})`, params: [...xids] };
}

/** Recovery finished a transaction whose decision its coordinator had logged. */
export function markRecoveredStatement(log: string, xid: string, inDoubtMs: number): Statement {
  return { sql: `UPDATE ${quote(log)} SET \`recovered\` = 1, \`in_doubt_ms\` = ? WHERE \`xid\` = ?`, params: [Math.round(inDoubtMs), xid] };
}

export function decisionCountsStatement(log: string): Statement {
  return { sql: `SELECT \`decision\`, COUNT(*) AS \`transactions\`, SUM(\`recovered\`) AS \`recovered\` FROM ${quote(log)} GROUP BY \`decision\``, params: [] };
}

export function recoveredInDoubtStatement(log: string): Statement {
  return { sql: `SELECT \`in_doubt_ms\` FROM ${quote(log)} WHERE \`recovered\` = 1 AND \`in_doubt_ms\` IS NOT NULL`, params: [] };
}
