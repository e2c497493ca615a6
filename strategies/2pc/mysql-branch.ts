// MySQL (MariaDB) as the first 2PC participant: one XA branch per transaction, gtrid = the xid,
// format 1, empty bqual. What the flavour requires, checked on MariaDB 10.11:
// - a branch that is ACTIVE or IDLE (before XA PREPARE) is rolled back when its connection goes,
//   so any failure before PREPARE leaves nothing behind;
// - a PREPARED branch survives its connection's end and the server's restart (MariaDB ≥ 10.5,
//   MDEV-742), keeps its row locks, and is listed by XA RECOVER and ended by XA COMMIT / XA
//   ROLLBACK from any connection; an xid the server does not know is ER_XAER_NOTA (1397);
// - after XA PREPARE the connection takes no other statement (ER_XAER_RMFAIL) until the branch
//   ends: the decision log needs a connection of its own;
// - a lock wait timeout inside the branch rolls back the statement only: the branch must still be
//   ended and rolled back.
import type mysql from 'mysql2/promise';
import { classifyMysqlError } from '../../harness/entity/mysql-writes.ts';
import { runBranches, type RecoveredBranch } from './xid.ts';

const isUnknownXid = (error: unknown) => (error as { code?: string }).code === 'ER_XAER_NOTA';

/** One transaction's XA branch on the connection that runs its statements. */
export class XaBranch {
  /** The branch ended (committed or rolled back) on its own connection, which is clean again. */
  ended = false;

  constructor(
    readonly connection: mysql.PoolConnection,
    readonly xid: string,
  ) {}

  async start(): Promise<void> {
    await this.connection.query('XA START ?', [this.xid]);
  }

  async end(): Promise<void> {
    await this.connection.query('XA END ?', [this.xid]);
  }

  /** The vote. A failure that may have come after the server prepared it is an unknown outcome. */
  async prepare(): Promise<void> {
    try {
      await this.connection.query('XA PREPARE ?', [this.xid]);
    } catch (error) {
      throw classifyMysqlError(error, true);
    }
  }

  async commit(): Promise<void> {
    await this.connection.query('XA COMMIT ?', [this.xid]);
    this.ended = true;
  }

  /**
   * Closes the connection: an open branch is rolled back by the server, a prepared one detached,
   * to be ended by xid from another connection (which the server refuses while a session holds it).
   */
  detach(): void {
    this.connection.destroy();
  }

  /** Ends the branch if it is still open, and rolls it back; one the server no longer knows is already gone. */
  async rollback(): Promise<void> {
    await this.connection.query('XA END ?', [this.xid]).catch(() => {});
    await this.connection.query('XA ROLLBACK ?', [this.xid]).catch((error: unknown) => {
      if (!isUnknownXid(error)) throw error;
    });
    this.ended = true;
  }
}

/** XA COMMIT or ROLLBACK of a prepared branch from any connection; false when the server does not know the xid (ended already). */
async function endPrepared(pool: mysql.Pool, xid: string, how: 'COMMIT' | 'ROLLBACK'): Promise<boolean> {
  try {
    await pool.query(`XA ${how} ?`, [xid]);
    return true;
  } catch (error) {
    if (isUnknownXid(error)) return false;
    // Whether it took effect is not known, and it may be repeated.
    throw classifyMysqlError(error, true);
  }
}

export const commitPrepared = (pool: mysql.Pool, xid: string) => endPrepared(pool, xid, 'COMMIT');
export const rollbackPrepared = (pool: mysql.Pool, xid: string) => endPrepared(pool, xid, 'ROLLBACK');

/** The prepared branches of this run (XA RECOVER filtered by the run's xid prefix). */
export async function preparedBranches(pool: mysql.Pool, prefix: string): Promise<string[]> {
  const [rows] = await pool.query<(mysql.RowDataPacket & RecoveredBranch)[]>('XA RECOVER');
  return runBranches(rows, prefix);
}
