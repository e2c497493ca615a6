// The capture's own MySQL user, and what the server counted for it: created with the privileges
// Debezium's binlog connectors need (SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE/CLIENT,
// LOCK TABLES), so every statement the capture sends is counted under its name — MariaDB's
// USER_STATISTICS (with `userstat=ON`), MySQL's performance_schema statement summaries.
import { randomBytes } from 'node:crypto';
import type mysql from 'mysql2/promise';
import type { MysqlFlavor } from '../../harness/env/endpoints.ts';

export interface CaptureCounters {
  /** Statements the server counted for the capture's user (selects, updates, others). */
  statements: number;
  selects: number;
  rowsRead: number | null;
  bytesSent: number | null;
  source: string;
}

/** Create the user (or reset its password) and return the password. Also turns per-user counters on. */
export async function ensureCaptureUser(pool: mysql.Pool, flavor: MysqlFlavor, user: string): Promise<string> {
  const password = randomBytes(12).toString('hex');
  await pool.query(`CREATE USER IF NOT EXISTS ?@'%' IDENTIFIED BY ?`, [user, password]);
  await pool.query(`ALTER USER ?@'%' IDENTIFIED BY ?`, [user, password]);
  await pool.query(`GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT, LOCK TABLES ON *.* TO ?@'%'`, [user]);
  if (flavor === 'mariadb') await pool.query('SET GLOBAL userstat = ON');
  return password;
}

export async function captureUserExists(pool: mysql.Pool, user: string): Promise<boolean> {
  const [rows] = await pool.query<mysql.RowDataPacket[]>(`SELECT 1 FROM mysql.user WHERE User = ? AND Host = '%'`, [user]);
  return rows.length > 0;
}

export async function dropCaptureUser(pool: mysql.Pool, user: string): Promise<void> {
  await pool.query(`DROP USER IF EXISTS ?@'%'`, [user]);
}

/** What the server has counted for `user` so far, or null when it keeps no such counters. */
export async function captureCounters(pool: mysql.Pool, flavor: MysqlFlavor, user: string): Promise<CaptureCounters | null> {
  if (flavor === 'mariadb') {
    const [rows] = await pool.query<mysql.RowDataPacket[]>(
      'SELECT SELECT_COMMANDS, UPDATE_COMMANDS, OTHER_COMMANDS, ROWS_READ, BYTES_SENT FROM information_schema.USER_STATISTICS WHERE USER = ?',
      [user],
    );
    const row = rows[0];
    if (!row) return { statements: 0, selects: 0, rowsRead: 0, bytesSent: 0, source: 'information_schema.USER_STATISTICS' };
    const n = (v: unknown) => Number(v ?? 0);
    return {
      statements: n(row.SELECT_COMMANDS) + n(row.UPDATE_COMMANDS) + n(row.OTHER_COMMANDS),
      selects: n(row.SELECT_COMMANDS),
      rowsRead: n(row.ROWS_READ),
      bytesSent: n(row.BYTES_SENT),
      source: 'information_schema.USER_STATISTICS',
    };
  }
  const [rows] = await pool.query<mysql.RowDataPacket[]>(
    `SELECT SUM(COUNT_STAR) AS total, SUM(IF(EVENT_NAME = 'statement/sql/select', COUNT_STAR, 0)) AS selects, SUM(SUM_ROWS_EXAMINED) AS rowsRead
       FROM performance_schema.events_statements_summary_by_user_by_event_name WHERE USER = ?`,
    [user],
  );
  const row = rows[0];
  if (!row) return null;
  return { statements: Number(row.total ?? 0), selects: Number(row.selects ?? 0), rowsRead: Number(row.rowsRead ?? 0), bytesSent: null, source: 'performance_schema.events_statements_summary_by_user_by_event_name' };
}
