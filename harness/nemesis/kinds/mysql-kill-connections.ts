// mysql-kill-connections: KILL every connection the worker's own MySQL user has open (found in the
// process list by user name), and no other: the harness's and the capture's connections live on.
// Instantaneous; nothing to heal: the strategy must reconnect by itself.
import mysql from 'mysql2/promise';
import { mysqlConnectionOptions } from '../../stores/mysql.ts';
import type { FaultKind } from '../fault-kind.ts';

/** MySQL's ER_NO_SUCH_THREAD: the connection ended between the listing and the KILL. */
const NO_SUCH_THREAD = 1094;

/** KILL every connection of `user`; returns how many were killed. */
export async function killUserConnections(admin: mysql.Connection, user: string): Promise<number> {
  const [rows] = await admin.query<mysql.RowDataPacket[]>('SELECT ID FROM information_schema.PROCESSLIST WHERE USER = ? AND ID <> CONNECTION_ID()', [user]);
  let killed = 0;
  for (const row of rows) {
    try {
      await admin.query(`KILL CONNECTION ${Number(row.ID)}`);
      killed++;
    } catch (error) {
      if ((error as { errno?: number }).errno !== NO_SUCH_THREAD) throw error;
    }
  }
  return killed;
}

export const mysqlKillConnections: FaultKind<'mysql-kill-connections'> = {
  kind: 'mysql-kill-connections',
  unsupported: (context) =>
    context.workerMysqlUser === undefined
      ? "the run gives its worker no MySQL user of its own, and killing the shared user's connections would kill the harness's too"
      : null,
  async inject(context) {
    const user = context.workerMysqlUser!;
    const admin = await mysql.createConnection(mysqlConnectionOptions(context.endpoints.mysql));
    let killed: number;
    try {
      killed = await killUserConnections(admin, user);
    } finally {
      await admin.end().catch(() => {});
    }
    return {
      detail: killed === 0 ? `no connection of ${user} was open: nothing was killed` : `killed ${killed} connection${killed === 1 ? '' : 's'} of ${user}`,
      heal: () => Promise.resolve({ waitedFor: 'nothing: a KILL is instantaneous and the strategy reconnects by itself', healMs: 0, errors: [] }),
    };
  },
};
