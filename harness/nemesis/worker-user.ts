// A strategy worker's own MySQL user, one per pair, so that `mysql-kill-connections` can KILL the
// worker's connections by user name and leave the harness's (root) and a capture's own alone.
// Two grant levels:
//   - `database`: every privilege on the run's database, plus XA_RECOVER_ADMIN where the server
//     has it (MySQL 8: XA RECOVER lists other sessions' branches only with it; MariaDB has no such
//     privilege and lists them to any user);
//   - `admin`: every privilege on everything, with GRANT OPTION — for a strategy that itself
//     creates users and sets globals (cdc creates its capture user with REPLICATION grants and
//     turns `userstat` on). Still a user of its own: only its identity matters to the fault.
import { createHash, randomBytes } from 'node:crypto';
import type mysql from 'mysql2/promise';
import type { MysqlEndpoint } from '../env/endpoints.ts';

export type WorkerGrants = 'database' | 'admin';

/** A user name from the run and the strategy: stable across the worker's restarts, ≤ 32 characters (MySQL's limit). */
export function workerUserName(runId: string, strategy: string): string {
  return `cvw_${createHash('sha1').update(`${runId}\0${strategy}`).digest('hex').slice(0, 12)}`;
}

/** Whether the server knows a privilege by that name (MySQL 8's dynamic privileges included). */
async function hasPrivilege(admin: mysql.Connection | mysql.Pool, privilege: string): Promise<boolean> {
  const [rows] = await admin.query<mysql.RowDataPacket[]>('SHOW PRIVILEGES');
  return rows.some((row) => String(row.Privilege).toUpperCase() === privilege);
}

/**
 * Create the user (or reset its password) with its grants, and return the endpoint the worker is
 * given: `endpoint` with this user and its password.
 */
export async function createWorkerUser(admin: mysql.Connection | mysql.Pool, endpoint: MysqlEndpoint, user: string, grants: WorkerGrants = 'database'): Promise<MysqlEndpoint> {
  const password = randomBytes(12).toString('hex');
  await admin.query(`CREATE USER IF NOT EXISTS ?@'%' IDENTIFIED BY ?`, [user, password]);
  await admin.query(`ALTER USER ?@'%' IDENTIFIED BY ?`, [user, password]);
  if (grants === 'admin') {
    await admin.query(`GRANT ALL PRIVILEGES ON *.* TO ?@'%' WITH GRANT OPTION`, [user]);
  } else {
    await admin.query(`GRANT ALL PRIVILEGES ON \`${endpoint.database.replace(/`/g, '``')}\`.* TO ?@'%'`, [user]);
    if (await hasPrivilege(admin, 'XA_RECOVER_ADMIN')) await admin.query(`GRANT XA_RECOVER_ADMIN ON *.* TO ?@'%'`, [user]);
  }
  return { ...endpoint, user, password };
}

/** Drop the user; its open connections stay until they end (kill them first if they must not). */
export async function dropWorkerUser(admin: mysql.Connection | mysql.Pool, user: string): Promise<void> {
  await admin.query(`DROP USER IF EXISTS ?@'%'`, [user]);
}
