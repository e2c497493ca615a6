// The saga log's table (one per strategy run, beside the business table) and the statements on
// it. One row per saga, inserted by step 1 in the business write's own transaction, so a saga
// exists exactly when its write committed:
//   seq            BIGINT AUTO_INCREMENT  order of step-1 commits (per key: commit order); the
//                                         index's external versions derive from it
//   saga_id        CHAR(36) UNIQUE        the orchestrator's id
//   row_id         BIGINT                 the business key (indexed with seq: later sagas of a key)
//   op             LONGTEXT (JSON)        the write, as the generator made it
//   step_one       LONGTEXT (JSON)        what step 1 committed: outcome, before- and after-image
//   state          VARCHAR(40)            the machine's state at the last persisted transition
//   status         VARCHAR(16)            active | done | compensated | moot | failed
//   pending_key    BIGINT NULL UNIQUE     the semantic lock: the row id while the saga is active
//                                         (isolation: semantic-lock), NULL otherwise
//   snapshot       LONGTEXT NULL (JSON)   getPersistedSnapshot() after the last transition; cleared
//                                         when the saga ends
//   compensation   LONGTEXT NULL (JSON)   what compensation did (applied + the row, or moot + why),
//                                         written in the compensation's own transaction
//   recovered      INT                    how many times recover() resumed it
//   error          TEXT NULL              why it failed
//   started_at, updated_at, finished_at   DATETIME(6), UTC
import { quote, type Statement } from '../../harness/entity/table-sql.ts';
import { sideTableName } from '../side-table-name.ts';

/** The saga log's table for a business table: `saga_log_<table>`, or a digest of it when too long. */
export function sagaLogTable(table: string): string {
  return sideTableName('saga_log', table);
}

export function createSagaLogSql(log: string): string {
  return [
    `CREATE TABLE ${quote(log)} (`,
    [
      '  `seq` BIGINT NOT NULL AUTO_INCREMENT',
      '  `saga_id` CHAR(36) NOT NULL',
      '  `row_id` BIGINT NOT NULL',
      '  `op` LONGTEXT NOT NULL',
      '  `step_one` LONGTEXT NOT NULL',
      '  `state` VARCHAR(40) NOT NULL',
      "  `status` VARCHAR(16) NOT NULL DEFAULT 'active'",
      '  `pending_key` BIGINT NULL',
      '  `snapshot` LONGTEXT NULL',
      '  `compensation` LONGTEXT NULL',
      '  `recovered` INT NOT NULL DEFAULT 0',
      '  `error` TEXT NULL',
      '  `started_at` DATETIME(6) NOT NULL',
      '  `updated_at` DATETIME(6) NOT NULL',
      '  `finished_at` DATETIME(6) NULL',
      '  PRIMARY KEY (`seq`)',
      '  UNIQUE KEY `saga_id` (`saga_id`)',
      '  UNIQUE KEY `pending_key` (`pending_key`)',
      '  KEY `row_seq` (`row_id`, `seq`)',
      '  KEY `status` (`status`)',
    ].join(',\n'),
    ') ENGINE=InnoDB DEFAULT CHARSET=utf8mb4',
  ].join('\n');
}

export function dropSagaLogSql(log: string): string {
  return `DROP TABLE IF EXISTS ${quote(log)}`;
}

export interface StartedRow {
  sagaId: string;
  rowId: number;
  op: unknown;
  stepOne: unknown;
  state: string;
  /** The row id under isolation semantic-lock, else null. */
  pendingKey: number | null;
}

export function insertStartedStatement(log: string, row: StartedRow): Statement {
  return {
    sql: `INSERT INTO ${quote(log)} (\`saga_id\`, \`row_id\`, \`op\`, \`step_one\`, \`state\`, \`pending_key\`, \`started_at\`, \`updated_at\`) VALUES (?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))`,
    params: [row.sagaId, row.rowId, JSON.stringify(row.op), JSON.stringify(row.stepOne), row.state, row.pendingKey],
  };
}

export function selectSagaStatement(log: string, sagaId: string, forUpdate = false): Statement {
  return { sql: `SELECT * FROM ${quote(log)} WHERE \`saga_id\` = ?${forUpdate ? ' FOR UPDATE' : ''}`, params: [sagaId] };
}

export function persistSnapshotStatement(log: string, sagaId: string, state: string, snapshot: unknown): Statement {
  return {
    sql: `UPDATE ${quote(log)} SET \`state\` = ?, \`snapshot\` = ?, \`updated_at\` = UTC_TIMESTAMP(6) WHERE \`saga_id\` = ? AND \`status\` = 'active'`,
    params: [state, JSON.stringify(snapshot), sagaId],
  };
}

/** The end of a saga: its final state and status, the pending marker released, the snapshot dropped. */
export function finishStatement(log: string, sagaId: string, state: string, status: string, error: string | null): Statement {
  return {
    sql: `UPDATE ${quote(log)} SET \`state\` = ?, \`status\` = ?, \`pending_key\` = NULL, \`snapshot\` = NULL, \`error\` = ?, \`updated_at\` = UTC_TIMESTAMP(6), \`finished_at\` = UTC_TIMESTAMP(6) WHERE \`saga_id\` = ?`,
    params: [state, status, error, sagaId],
  };
}

export function recordCompensationStatement(log: string, sagaId: string, compensation: unknown): Statement {
  return {
    sql: `UPDATE ${quote(log)} SET \`compensation\` = ?, \`updated_at\` = UTC_TIMESTAMP(6) WHERE \`saga_id\` = ?`,
    params: [JSON.stringify(compensation), sagaId],
  };
}

export function pendingSagaStatement(log: string, rowId: number): Statement {
  return { sql: `SELECT \`saga_id\` FROM ${quote(log)} WHERE \`pending_key\` = ?`, params: [rowId] };
}

/** Whether a saga of the same key committed its step 1 after saga `seq`. */
export function laterSagaStatement(log: string, rowId: number, seq: number): Statement {
  return { sql: `SELECT \`seq\` FROM ${quote(log)} WHERE \`row_id\` = ? AND \`seq\` > ? LIMIT 1`, params: [rowId, seq] };
}

export function unfinishedStatement(log: string): Statement {
  return { sql: `SELECT * FROM ${quote(log)} WHERE \`status\` = 'active' ORDER BY \`seq\``, params: [] };
}

export function markRecoveredStatement(log: string, sagaId: string): Statement {
  return { sql: `UPDATE ${quote(log)} SET \`recovered\` = \`recovered\` + 1 WHERE \`saga_id\` = ?`, params: [sagaId] };
}

export function statusCountsStatement(log: string): Statement {
  return { sql: `SELECT \`status\`, COUNT(*) AS \`sagas\`, SUM(\`recovered\` > 0) AS \`recovered\` FROM ${quote(log)} GROUP BY \`status\``, params: [] };
}
