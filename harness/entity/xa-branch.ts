// converge: an XA branch that writes and is rolled back, run by the harness itself on its own MySQL
// connection: it stands for another application writing the same table inside a distributed
// transaction that aborts. Steps: XA START → the write (an update of a key, or an insert) → a read
// of the row as the branch holds it → XA END → XA PREPARE → `holdMs` → XA ROLLBACK. XA COMMIT is
// never issued, so nothing of it ever commits: its outcome is always a definite `fail`.
//
// MariaDB 10.5+ (MDEV-742) and MySQL 5.7.7+ write a prepared branch's row events to the binlog at
// XA PREPARE, and the XA ROLLBACK later as a separate group holding only that statement; a prepared
// branch survives the loss of its connection (it is then detached, and any session may roll it
// back). So a branch whose step after PREPARE failed is rolled back from a fresh connection, and a
// branch left prepared by a killed harness is rolled back by the pair's cleanup before the table is
// dropped (a prepared branch holds its row locks and the table's metadata lock).
//
// xids: formatID CONVERGE_XA_FORMAT, gtrid unique per branch, bqual = the pair's table, all ASCII
// and sent as hex literals; `XA RECOVER` finds a pair's branches by formatID and bqual.
import { randomBytes } from 'node:crypto';
import type mysql from 'mysql2/promise';
import { ConvergeError } from '../errors.ts';
import type { MysqlEndpoint } from '../env/endpoints.ts';
import { createMysqlConnection } from '../stores/mysql.ts';
import type { Op } from '../workload/op.ts';
import type { RowValue } from '../../strategies/contract.ts';
import { insertStatement, selectRowStatement, updateStatement } from './table-sql.ts';

/** The formatID of every xid converge creates: 'CVGX'. */
export const CONVERGE_XA_FORMAT = 0x43564758;

export interface Xid {
  readonly gtrid: string;
  readonly bqual: string;
  readonly formatId: number;
}

/** The xid as SQL: `X'…',X'…',formatID`. */
export function xidSql(xid: Xid): string {
  const hex = (part: string) => `X'${Buffer.from(part, 'utf8').toString('hex')}'`;
  return `${hex(xid.gtrid)},${hex(xid.bqual)},${xid.formatId}`;
}

/** The steps of a branch, in order; `done` once XA ROLLBACK returned. */
export type XaStep = 'start' | 'write' | 'end' | 'prepare' | 'hold' | 'rollback' | 'done';

/**
 * A branch stopped before its XA ROLLBACK returned. Always definite: the harness never commits.
 * `row` is the row the branch held (null when it wrote none, or failed before its write); when
 * `step` is `hold` or `rollback`, the branch was prepared and its rows are in the binlog.
 */
export class XaBranchError extends ConvergeError {
  constructor(
    readonly step: XaStep,
    readonly row: RowValue | null,
    message: string,
    cause?: unknown,
  ) {
    super(`XA branch failed at ${step}: ${message}`, { definite: true, retriable: false, cause });
  }
}

export interface XaBranchResult {
  /** The row as the branch held it before the rollback; null when its update matched no row. */
  readonly row: RowValue | null;
  /** How long the branch stayed prepared (XA PREPARE returned → XA ROLLBACK returned), in ms. */
  readonly preparedMs: number;
}

type Session = Pick<mysql.Connection, 'query'>;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

async function readRow(session: Session, table: string, id: number): Promise<RowValue | null> {
  const statement = selectRowStatement(table, id);
  const [rows] = await session.query<mysql.RowDataPacket[]>(statement.sql, statement.params);
  const row = rows[0];
  return row ? { ...row, id: Number(row.id), version: Number(row.version) } : null;
}

/** Runs one xaRollback op's branch on `session` (a connection with no transaction open). */
export async function runRolledBackBranch(session: Session, table: string, op: Op, xid: Xid): Promise<XaBranchResult> {
  if (op.kind !== 'xaRollback' || op.branch === undefined) throw new TypeError(`not an xaRollback op: ${JSON.stringify(op)}`);
  const x = xidSql(xid);
  let step: XaStep = 'start';
  let row: RowValue | null = null;
  let preparedAt = 0;
  try {
    await session.query(`XA START ${x}`);
    step = 'write';
    const statement = op.branch === 'insert' ? insertStatement(table, op.id, op.values ?? {}) : updateStatement(table, op.id, op.values ?? {});
    const [result] = await session.query<mysql.ResultSetHeader>(statement.sql, statement.params);
    if (result.affectedRows > 0) row = await readRow(session, table, op.id);
    step = 'end';
    await session.query(`XA END ${x}`);
    step = 'prepare';
    await session.query(`XA PREPARE ${x}`);
    preparedAt = performance.now();
    step = 'hold';
    if ((op.holdMs ?? 0) > 0) await sleep(op.holdMs ?? 0);
    step = 'rollback';
    await session.query(`XA ROLLBACK ${x}`);
    return { row, preparedMs: performance.now() - preparedAt };
  } catch (error) {
    // Undo what this session still holds (a branch not yet prepared would also go with the connection).
    if (step === 'write' || step === 'end') await session.query(`XA END ${x}`).catch(() => {});
    if (step !== 'start') await session.query(`XA ROLLBACK ${x}`).catch(() => {});
    throw new XaBranchError(step, row, message(error), error);
  }
}

function asBytes(value: unknown): Buffer {
  return Buffer.isBuffer(value) ? value : Buffer.from(String(value), 'utf8');
}

/** The prepared branches converge created for `table` (formatID CONVERGE_XA_FORMAT, bqual = table). */
export async function preparedBranchesOf(session: Session, table: string): Promise<Xid[]> {
  const [rows] = await session.query<mysql.RowDataPacket[]>('XA RECOVER');
  const out: Xid[] = [];
  for (const row of rows) {
    if (Number(row.formatID) !== CONVERGE_XA_FORMAT) continue;
    const data = asBytes(row.data);
    const gtridLength = Number(row.gtrid_length);
    const bqual = data.subarray(gtridLength, gtridLength + Number(row.bqual_length)).toString('utf8');
    if (bqual === table) out.push({ gtrid: data.subarray(0, gtridLength).toString('utf8'), bqual, formatId: CONVERGE_XA_FORMAT });
  }
  return out;
}

/** Rolls back every prepared branch converge left for `table` (those `only` names, when given); returns how many. */
export async function rollBackBranchesOf(session: Session, table: string, only?: (branch: Xid) => boolean): Promise<number> {
  let rolledBack = 0;
  for (const branch of await preparedBranchesOf(session, table)) {
    if (only && !only(branch)) continue;
    await session.query(`XA ROLLBACK ${xidSql(branch)}`);
    rolledBack++;
  }
  return rolledBack;
}

/** What the op executor needs: run one xaRollback op's branch. */
export interface XaBranchRunner {
  run(op: Op): Promise<XaBranchResult>;
}

/** Runs each branch on a fresh connection to `endpoint`, with xids unique to this runner and `table`. */
export class XaBranches implements XaBranchRunner {
  readonly #endpoint: MysqlEndpoint;
  readonly #table: string;
  readonly #prefix = `cvgxa-${randomBytes(4).toString('hex')}`;
  #next = 0;

  constructor(endpoint: MysqlEndpoint, table: string) {
    this.#endpoint = endpoint;
    this.#table = table;
  }

  async run(op: Op): Promise<XaBranchResult> {
    const xid: Xid = { gtrid: `${this.#prefix}-${this.#next++}`, bqual: this.#table, formatId: CONVERGE_XA_FORMAT };
    let connection: mysql.Connection;
    try {
      connection = await createMysqlConnection(this.#endpoint);
    } catch (error) {
      throw new XaBranchError('start', null, `no connection: ${message(error)}`, error);
    }
    try {
      const result = await runRolledBackBranch(connection, this.#table, op, xid);
      await connection.end().catch(() => connection.destroy());
      return result;
    } catch (error) {
      connection.destroy();
      if (error instanceof XaBranchError && (error.step === 'hold' || error.step === 'rollback')) await this.#rollBackDetached(xid);
      throw error;
    }
  }

  // A prepared branch whose rollback failed stays prepared once its connection is gone (detached):
  // roll it back from a fresh connection, retrying while the server has not yet detached it.
  async #rollBackDetached(xid: Xid): Promise<void> {
    const connection = await createMysqlConnection(this.#endpoint).catch(() => null);
    if (connection === null) return; // the pair's cleanup rolls it back before dropping the table
    try {
      for (let attempt = 0; attempt < 10; attempt++) {
        const done = await rollBackBranchesOf(connection, this.#table, (branch) => branch.gtrid === xid.gtrid).then(
          () => true,
          () => false,
        );
        if (done) return;
        await sleep(100);
      }
    } finally {
      await connection.end().catch(() => connection.destroy());
    }
  }
}
