// applyMysqlWrite without a step inside its transaction, on the real MariaDB: the whole transaction
// goes in one query, returns the row as committed exactly as the statement-by-statement transaction
// does, and fails like it: a duplicate key or a lock wait timeout is definite and leaves no
// transaction open on the connection, a connection lost mid-query leaves the outcome unknown.
import { randomUUID } from 'node:crypto';
import type mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ConvergeError, ConfigError } from '../../harness/errors.ts';
import { applyMysqlWrite, MysqlRejectedError, type WriteConnection } from '../../harness/entity/mysql-writes.ts';
import { supportsReturning } from '../../harness/entity/one-trip-transaction.ts';
import { createTableSql, dropTableSql } from '../../harness/entity/table-sql.ts';
import type { Entity } from '../../harness/scenario/schema.ts';
import { createMysqlPool, type MysqlPool } from '../../harness/stores/mysql.ts';
import type { Op } from '../../harness/workload/op.ts';

const endpoints = inject('endpoints');
const tag = randomUUID().slice(0, 8);
const entity: Entity = {
  table: 'onetrip',
  columns: { name: { type: 'varchar', length: 32, nullable: false }, counter: { type: 'int', nullable: false } },
  projection: { rename: {}, drop: [], computed: {} },
};
/** Every column type, for the comparison of the two paths' rows. */
const allTypes: Entity = {
  table: 'onetrip_types',
  columns: {
    name: { type: 'varchar', length: 32, nullable: false },
    counter: { type: 'int', nullable: false },
    big: { type: 'bigint', nullable: false },
    note: { type: 'text', nullable: true },
    balance: { type: 'double', nullable: false },
    active: { type: 'boolean', nullable: false },
    opened: { type: 'datetime', nullable: true },
  },
  projection: { rename: {}, drop: [], computed: {} },
};
const op = (kind: Op['kind'], id: number, extra: Partial<Op> = {}): Op => ({ index: 0, phase: 'p', kind, id, ...extra });
const insert = (id: number, name = `n${id}`) => op('insert', id, { values: { name, counter: 0 } });

let pool: MysqlPool;
const tables: string[] = [];

async function freshTable(name: string, columns = entity): Promise<string> {
  const table = `it_onetrip_${name}_${tag}`;
  tables.push(table);
  await pool.query(dropTableSql(table));
  await pool.query(createTableSql(columns, table));
  return table;
}

/** The connection with its queries counted: the real connection underneath, nothing stands in for MySQL. */
function counted(connection: mysql.PoolConnection): { connection: WriteConnection; queries: () => number } {
  let queries = 0;
  const query = ((...args: Parameters<mysql.PoolConnection['query']>) => {
    queries++;
    return connection.query(...args);
  }) as mysql.PoolConnection['query'];
  return {
    connection: {
      query,
      beginTransaction: () => connection.beginTransaction(),
      commit: () => connection.commit(),
      rollback: () => connection.rollback(),
      config: connection.config,
    },
    queries: () => queries,
  };
}

/** Whether the connection has an InnoDB transaction open (seen from another connection). */
async function openTransaction(connection: mysql.PoolConnection): Promise<boolean> {
  const [rows] = await pool.query<mysql.RowDataPacket[]>('SELECT COUNT(*) AS n FROM information_schema.innodb_trx WHERE trx_mysql_thread_id = ?', [connection.threadId]);
  return Number(rows[0]!.n) > 0;
}

async function tableRows(table: string): Promise<mysql.RowDataPacket[]> {
  const [rows] = await pool.query<mysql.RowDataPacket[]>(`SELECT * FROM \`${table}\` ORDER BY id`);
  return rows;
}

async function withConnection<T>(use: (connection: mysql.PoolConnection) => Promise<T>): Promise<T> {
  const connection = await pool.getConnection();
  try {
    return await use(connection);
  } finally {
    connection.release();
  }
}

beforeAll(() => {
  pool = createMysqlPool(endpoints.mysql, { connectionLimit: 4, multipleStatements: true });
});

afterAll(async () => {
  for (const table of tables) await pool.query(dropTableSql(table));
  await pool.end();
});

describe('applyMysqlWrite in one round trip', () => {
  it('returns the committed row and version of every write kind, as the statement-by-statement transaction does', async () => {
    const [oneTrip, stepwise, viaReturning] = [await freshTable('a', allTypes), await freshTable('b', allTypes), await freshTable('c', allTypes)];
    const returning = supportsReturning(endpoints.mysql);
    const values = (id: number, name: string) => ({ name, counter: 0, big: 2 ** 53 + id, note: null, balance: 0.1 + id, active: true, opened: '2026-01-02 03:04:05' });
    const ops: Op[] = [
      op('insert', 1, { values: values(1, 'n1') }),
      op('insert', 2, { values: values(2, 'n2') }),
      op('update', 1, { values: { name: 'renamed', note: 'a note', active: false, opened: null } }),
      op('increment', 2, { column: 'counter', delta: 5 }),
      op('increment', 2, { column: 'counter', delta: -2 }),
      op('update', 9, { values: { name: 'absent' } }),
      op('increment', 9, { column: 'counter', delta: 1 }),
      op('delete', 1),
      op('delete', 1),
      op('delete', 9),
      op('insert', 1, { values: values(1, 'again') }),
    ];
    await withConnection(async (connection) => {
      for (const write of ops) {
        const measured = counted(connection);
        const fast = await applyMysqlWrite(measured.connection, oneTrip, write);
        const slow = await applyMysqlWrite(connection, stepwise, write, { beforeCommit: () => Promise.resolve() });
        expect(fast, `${write.kind} ${write.id}`).toEqual(slow);
        expect(measured.queries(), `${write.kind} ${write.id}: one query`).toBe(1);
        // Where the server takes RETURNING, an insert or a delete is one statement with the same outcome.
        const viaReturningConnection = counted(connection);
        if (returning) expect(await applyMysqlWrite(viaReturningConnection.connection, viaReturning, write, { returning: true }), `${write.kind} ${write.id} with RETURNING`).toEqual(slow);
        if (returning) expect(viaReturningConnection.queries()).toBe(1);
      }
    });
    expect(await tableRows(oneTrip)).toEqual(await tableRows(stepwise));
    if (returning) expect(await tableRows(viaReturning)).toEqual(await tableRows(stepwise));
    expect(await tableRows(oneTrip)).toEqual([
      { id: 1, version: 1, ...values(1, 'again'), big: String(2 ** 53 + 1), active: 1 },
      { id: 2, version: 3, ...values(2, 'n2'), big: String(2 ** 53 + 2), active: 1, counter: 3 },
    ]);
  });

  it('returns the committed row for each kind, and null for a row that is not there', async () => {
    const table = await freshTable('kinds');
    await withConnection(async (connection) => {
      expect(await applyMysqlWrite(connection, table, insert(5))).toEqual({ value: { id: 5, version: 1, name: 'n5', counter: 0 }, version: 1 });
      expect(await applyMysqlWrite(connection, table, op('update', 5, { values: { name: 'x' } }))).toEqual({
        value: { id: 5, version: 2, name: 'x', counter: 0 },
        version: 2,
      });
      expect(await applyMysqlWrite(connection, table, op('increment', 5, { column: 'counter', delta: 7 }))).toEqual({
        value: { id: 5, version: 3, name: 'x', counter: 7 },
        version: 3,
      });
      expect(await applyMysqlWrite(connection, table, op('update', 6, { values: { name: 'y' } }))).toEqual({ value: null, version: null });
      expect(await applyMysqlWrite(connection, table, op('increment', 6, { column: 'counter', delta: 1 }))).toEqual({ value: null, version: null });
      // A delete returns the row it removed, as it stood under the delete's lock.
      expect(await applyMysqlWrite(connection, table, op('delete', 5))).toEqual({ value: { id: 5, version: 3, name: 'x', counter: 7 }, version: 3 });
      expect(await applyMysqlWrite(connection, table, op('delete', 5))).toEqual({ value: null, version: null });
    });
    expect(await tableRows(table)).toEqual([]);
  });

  it('rejects a duplicate insert definitely, rolls back, and the connection writes on afterwards', async () => {
    const table = await freshTable('dup');
    await withConnection(async (connection) => {
      await applyMysqlWrite(connection, table, insert(1));
      const error = await applyMysqlWrite(connection, table, insert(1, 'dup')).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(MysqlRejectedError);
      expect(error).toMatchObject({ code: 'ER_DUP_ENTRY', definite: true, retriable: false });
      expect(await openTransaction(connection)).toBe(false);
      // The next write on the same connection commits: another connection sees it.
      expect(await applyMysqlWrite(connection, table, insert(2))).toMatchObject({ version: 1 });
      expect(await openTransaction(connection)).toBe(false);
    });
    expect(await tableRows(table)).toEqual([
      { id: 1, version: 1, name: 'n1', counter: 0 },
      { id: 2, version: 1, name: 'n2', counter: 0 },
    ]);
  });

  it('times out definitely on a row another transaction holds, leaving no transaction open', async () => {
    const table = await freshTable('lock');
    await withConnection((connection) => applyMysqlWrite(connection, table, insert(1)));
    const holder = await pool.getConnection();
    const writer = await pool.getConnection();
    try {
      await holder.beginTransaction();
      await holder.query(`SELECT * FROM \`${table}\` WHERE id = 1 FOR UPDATE`);
      await writer.query('SET SESSION innodb_lock_wait_timeout = 1');
      for (const write of [op('update', 1, { values: { name: 'blocked' } }), op('increment', 1, { column: 'counter', delta: 1 }), op('delete', 1)]) {
        const error = await applyMysqlWrite(writer, table, write).catch((caught: unknown) => caught);
        expect(error, write.kind).toBeInstanceOf(ConvergeError);
        expect(error, write.kind).toMatchObject({ definite: true, retriable: true, cause: { code: 'ER_LOCK_WAIT_TIMEOUT' } });
        expect(await openTransaction(writer), write.kind).toBe(false);
      }
      await holder.rollback();
      await writer.query('SET SESSION innodb_lock_wait_timeout = DEFAULT');
    } finally {
      holder.release();
      writer.release();
    }
    expect(await tableRows(table)).toEqual([{ id: 1, version: 1, name: 'n1', counter: 0 }]);
  });

  it('leaves the outcome unknown when the connection is lost during the round trip', async () => {
    const table = await freshTable('lost');
    await withConnection((connection) => applyMysqlWrite(connection, table, insert(1)));
    const holder = await pool.getConnection();
    const writer = await pool.getConnection();
    try {
      await holder.beginTransaction();
      await holder.query(`SELECT * FROM \`${table}\` WHERE id = 1 FOR UPDATE`);
      const pending = applyMysqlWrite(writer, table, op('update', 1, { values: { name: 'lost' } })).catch((caught: unknown) => caught);
      // Kill the writer's connection while its query waits for the row.
      for (let waited = 0; waited < 100; waited++) {
        const [rows] = await holder.query<mysql.RowDataPacket[]>(
          "SELECT COUNT(*) AS n FROM information_schema.innodb_trx WHERE trx_mysql_thread_id = ? AND trx_state = 'LOCK WAIT'",
          [writer.threadId],
        );
        if (Number(rows[0]!.n) > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await pool.query(`KILL CONNECTION ${writer.threadId}`);
      const error = await pending;
      expect(error).toBeInstanceOf(ConvergeError);
      expect(error).toMatchObject({ definite: false, retriable: true });
      await holder.rollback();
    } finally {
      holder.release();
      writer.destroy();
    }
    expect(await tableRows(table)).toEqual([{ id: 1, version: 1, name: 'n1', counter: 0 }]);
  });

  it('refuses a connection that cannot carry several statements, before sending anything', async () => {
    const table = await freshTable('single');
    const single = createMysqlPool(endpoints.mysql, { connectionLimit: 1 });
    try {
      const connection = await single.getConnection();
      try {
        await expect(applyMysqlWrite(connection, table, insert(1))).rejects.toBeInstanceOf(ConfigError);
      } finally {
        connection.release();
      }
    } finally {
      await single.end();
    }
    expect(await tableRows(table)).toEqual([]);
  });
});
