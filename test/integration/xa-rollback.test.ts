// xaRollback ops on the real MariaDB: a branch's write is visible to no other session and never
// commits, yet MariaDB writes its rows to the binlog at XA PREPARE (the XA ROLLBACK follows as a
// group of its own) — what binlog capture reads; the history records it as a `fail` with the row
// the branch held; a branch left prepared by a killed harness is rolled back by the pair's cleanup;
// and through the whole harness the checker reports what the index showed of the rolled-back rows.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTableSql, dropTableSql, insertStatement } from '../../harness/entity/table-sql.ts';
import { CONVERGE_XA_FORMAT, XaBranchError, XaBranches, preparedBranchesOf, rollBackBranchesOf, runRolledBackBranch, xidSql, type Xid } from '../../harness/entity/xa-branch.ts';
import { REPO_ROOT } from '../../harness/env/state.ts';
import { readHistory } from '../../harness/history/reader.ts';
import type { HistoryEntry } from '../../harness/history/entry.ts';
import { dropPairData } from '../../harness/run/pair-cleanup.ts';
import { runStrategy } from '../../harness/run/run-strategy.ts';
import { loadScenario, parseScenario } from '../../harness/scenario/load.ts';
import { createMysqlConnection, createMysqlPool, type MysqlPool } from '../../harness/stores/mysql.ts';
import { connectSearch } from '../../harness/stores/search/connect-search.ts';
import type { SearchPort } from '../../harness/stores/search/search-port.ts';
import type { Op } from '../../harness/workload/op.ts';

const endpoints = inject('endpoints');
const tag = randomBytes(3).toString('hex');
const { entity } = parseScenario(
  `
name: xa
description: xa
entity: { table: xa, columns: { title: { type: varchar, length: 32 }, n: { type: int } } }
phases: [{ name: p, ops: 1, mix: { xaRollback: 1 } }]
`,
  {},
  'xa.yaml',
);

let pool: MysqlPool;
let search: SearchPort;
const tables: string[] = [];

beforeAll(async () => {
  pool = createMysqlPool(endpoints.mysql, { connectionLimit: 3 });
  search = await connectSearch(endpoints.search.url);
});

afterAll(async () => {
  for (const table of tables) await pool.query(dropTableSql(table));
  await pool.end();
  await search.close();
});

/** A fresh table holding row 1 = { title: 'committed', n: 1 } at version 1. */
async function table(name: string): Promise<string> {
  const t = `it_xa_${name}_${tag}`;
  tables.push(t);
  await pool.query(createTableSql(entity, t));
  const statement = insertStatement(t, 1, { title: 'committed', n: 1 });
  await pool.query(statement.sql, statement.params);
  return t;
}

const op = (branch: 'insert' | 'update', id: number, values: Record<string, unknown>, holdMs = 0): Op => ({ index: 0, phase: 'p', kind: 'xaRollback', id, branch, holdMs, values: values as Op['values'] });
const hex = (text: string) => Buffer.from(text, 'utf8').toString('hex').toUpperCase();

async function rowOf(t: string, id: number): Promise<Record<string, unknown> | undefined> {
  const [rows] = await pool.query<mysql.RowDataPacket[]>(`SELECT * FROM \`${t}\` WHERE id = ?`, [id]);
  return rows[0] ? { ...rows[0], id: Number(rows[0].id), version: Number(rows[0].version) } : undefined;
}

/** Binlog events from `start` on (following rotations), as SHOW BINLOG EVENTS lists them. */
async function binlogSince(start: { file: string; position: number }): Promise<{ type: string; info: string }[]> {
  const [logs] = await pool.query<mysql.RowDataPacket[]>('SHOW BINARY LOGS');
  const files = logs.map((l) => String(l.Log_name)).filter((name) => name >= start.file);
  const events: { type: string; info: string }[] = [];
  for (const file of files) {
    const [rows] = await pool.query<mysql.RowDataPacket[]>(`SHOW BINLOG EVENTS IN ? ${file === start.file ? `FROM ${start.position}` : ''}`, [file]);
    events.push(...rows.map((r) => ({ type: String(r.Event_type), info: String(r.Info) })));
  }
  return events;
}

async function binlogEnd(): Promise<{ file: string; position: number }> {
  const [rows] = await pool.query<mysql.RowDataPacket[]>('SHOW MASTER STATUS');
  return { file: String(rows[0]!.File), position: Number(rows[0]!.Position) };
}

describe('an XA branch the harness rolls back', () => {
  it('is seen by no other session, never commits, and is in the binlog from its XA PREPARE on', async () => {
    const t = await table('binlog');
    const start = await binlogEnd();
    const xid: Xid = { gtrid: `it-${tag}-1`, bqual: t, formatId: CONVERGE_XA_FORMAT };
    const connection = await createMysqlConnection(endpoints.mysql);
    try {
      const running = runRolledBackBranch(connection, t, op('update', 1, { title: 'rolled-back', n: 77 }, 1500), xid);
      // While it is prepared: XA RECOVER lists it, and a reader sees the committed row.
      let listed: Xid[] = [];
      for (let i = 0; i < 50 && listed.length === 0; i++) {
        listed = await preparedBranchesOf(pool, t);
        if (listed.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(listed).toEqual([xid]);
      expect(await rowOf(t, 1)).toMatchObject({ title: 'committed', n: 1, version: 1 });
      const result = await running;
      expect(result.row).toMatchObject({ id: 1, title: 'rolled-back', n: 77, version: 2 });
      expect(result.preparedMs).toBeGreaterThanOrEqual(1400);
    } finally {
      await connection.end();
    }
    expect(await rowOf(t, 1)).toMatchObject({ title: 'committed', n: 1, version: 1 });
    expect(await preparedBranchesOf(pool, t)).toEqual([]);

    // The binlog: the branch's group (XA START … row events … XA PREPARE), then XA ROLLBACK apart.
    const events = await binlogSince(start);
    const x = `X'${hex(xid.gtrid)}',X'${hex(xid.bqual)}',${CONVERGE_XA_FORMAT}`;
    const begin = events.findIndex((e) => e.info.toUpperCase().includes(`XA START ${x}`));
    expect(begin, JSON.stringify(events.slice(0, 40))).toBeGreaterThanOrEqual(0);
    const prepare = events.findIndex((e, i) => i > begin && e.info.toUpperCase().includes(`XA PREPARE ${x}`));
    expect(prepare).toBeGreaterThan(begin);
    const group = events.slice(begin, prepare + 1);
    expect(group.some((e) => e.type === 'Table_map' && e.info.includes(`.${t})`))).toBe(true);
    expect(group.filter((e) => /^Update_rows/.test(e.type))).toHaveLength(1);
    expect(events.slice(prepare + 1).some((e) => e.type === 'Query' && e.info.toUpperCase().includes(`XA ROLLBACK ${x}`))).toBe(true);
    expect(xidSql(xid).toUpperCase()).toBe(x);
  });

  it('runs on its own connection through XaBranches: an insert of a fresh id is gone after the rollback', async () => {
    const t = await table('runner');
    const branches = new XaBranches(endpoints.mysql, t);
    const inserted = await branches.run(op('insert', 900, { title: 'phantom', n: 5 }));
    expect(inserted.row).toMatchObject({ id: 900, version: 1, title: 'phantom', n: 5 });
    expect(await rowOf(t, 900)).toBeUndefined();
    const missing = await branches.run(op('update', 901, { title: 'nobody', n: 6 }));
    expect(missing.row).toBeNull();
    expect(await preparedBranchesOf(pool, t)).toEqual([]);
  });

  it('whose connection dies while it is prepared fails at its rollback with the row it held, and stays prepared until rolled back elsewhere', async () => {
    const t = await table('killed');
    const xid: Xid = { gtrid: `it-${tag}-killed`, bqual: t, formatId: CONVERGE_XA_FORMAT };
    const connection = await createMysqlConnection(endpoints.mysql);
    const [[self]] = (await connection.query('SELECT CONNECTION_ID() AS id')) as unknown as [{ id: number }[]];
    const running = runRolledBackBranch(connection, t, op('update', 1, { title: 'orphan', n: 5 }, 800), xid);
    await new Promise((resolve) => setTimeout(resolve, 400));
    await pool.query(`KILL ${Number(self!.id)}`);
    const failure = await running.then(
      () => null,
      (error: unknown) => error,
    );
    connection.destroy();
    expect(failure).toBeInstanceOf(XaBranchError);
    expect(failure).toMatchObject({ step: 'rollback', definite: true, row: { id: 1, title: 'orphan', n: 5, version: 2 } });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await preparedBranchesOf(pool, t)).toEqual([xid]);
    expect(await rollBackBranchesOf(pool, t)).toBe(1);
    expect(await rowOf(t, 1)).toMatchObject({ title: 'committed', n: 1, version: 1 });
  });

  it('left prepared by a killed harness, is rolled back by the pair cleanup, which then drops the table', async () => {
    const t = await table('leftover');
    const xid: Xid = { gtrid: `it-${tag}-left`, bqual: t, formatId: CONVERGE_XA_FORMAT };
    const connection = await createMysqlConnection(endpoints.mysql);
    await connection.query(`XA START ${xidSql(xid)}`);
    await connection.query(`UPDATE \`${t}\` SET n = 99 WHERE id = 1`);
    await connection.query(`XA END ${xidSql(xid)}`);
    await connection.query(`XA PREPARE ${xidSql(xid)}`);
    connection.destroy(); // the harness dies: the prepared branch stays (MariaDB 10.5+)
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await preparedBranchesOf(pool, t)).toEqual([xid]);
    const removed = await dropPairData(pool, search, { table: t, index: `it-xa-none-${tag}` });
    expect(removed).toEqual([`1 prepared XA branch on ${t}`, `table ${t}`]);
    expect(await preparedBranchesOf(pool, t)).toEqual([]);
  });
});

describe('xa-rollback-under-cdc through the harness', () => {
  const run = async (strategy: string) => {
    const scenario = await loadScenario(path.join(REPO_ROOT, 'scenarios', 'xa-rollback-under-cdc.yaml'), { ops: '240', keys: '60' });
    const runDir = mkdtempSync(path.join(os.tmpdir(), `converge-xa-${strategy}-`));
    const { result } = await runStrategy({ strategy, scenario, seed: 5, endpoints, runId: `it-xa-${strategy}`, runDir, signal: new AbortController().signal, log: () => {}, skipPerOpCost: true });
    const history: HistoryEntry[] = [];
    for await (const entry of readHistory(path.join(runDir, result.history))) history.push(entry);
    return { result, history };
  };

  /** The rows the history says the branches held, by id, as `{ title, views, version }` strings. */
  const heldRows = (history: HistoryEntry[]) =>
    history.filter((e) => e.op.kind === 'xaRollback' && e.type !== 'invoke' && e.value !== null).map((e) => e.value as Record<string, unknown>);

  it('records every branch as a fail with the row it held; naive never shows one', async () => {
    const { result, history } = await run('naive');
    const completions = history.filter((e) => e.op.kind === 'xaRollback' && e.type !== 'invoke');
    expect(completions.length).toBeGreaterThan(10);
    expect(completions.every((e) => e.type === 'fail')).toBe(true);
    expect(heldRows(history).length).toBeGreaterThan(5);
    expect(result.anomalies).toMatchObject({ state: 'checked', phantoms: { branches: completions.length, reads: 0, finalDocs: 0, finalIndexRead: true } });
    expect(result.lines.find((l) => l.check === 'anomalies.phantoms')).toMatchObject({ outcome: 'pass' });
  });

  // What Debezium's MariaDB connector does today (strategies/cdc/README.md): it publishes a branch's
  // row events read at XA PREPARE and skips the XA ROLLBACK, so the index shows rolled-back rows.
  it('cdc: the index shows rolled-back rows, each one a row a branch held, until a committed write replaces it', async () => {
    const { result, history } = await run('cdc');
    const held = heldRows(history);
    expect(result.anomalies.state).toBe('checked');
    const phantoms = result.anomalies.state === 'checked' ? result.anomalies.phantoms : undefined;
    expect(phantoms?.finalDocs, JSON.stringify(phantoms)).toBeGreaterThan(0);
    for (const sample of phantoms?.samples ?? []) {
      const doc = sample.doc as Record<string, unknown>;
      expect(held.some((row) => row.id === sample.id && row.title === doc.title && Number(row.views) === Number(doc.views) && Number(row.version) === Number(doc.version))).toBe(true);
    }
    expect(result.convergence).toMatchObject({ state: 'checked', converged: false });
    expect(result.lines.find((l) => l.check === 'anomalies.phantoms')).toMatchObject({ outcome: 'fail' });
    expect(result.expectation.verdict).toBe('may-fail');
  });
});
