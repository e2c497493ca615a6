// mysql-restart and mysql-kill-connections on the real MariaDB of the live env: rows and an XA
// branch left PREPARED survive a SIGKILL of mariadbd and a start on the same datadir; the kill of
// a worker user's connections ends exactly those and leaves root's alone.
import { randomUUID } from 'node:crypto';
import mysql from 'mysql2/promise';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { runningEnv } from '../../harness/env/env-control.ts';
import { isAlive } from '../../harness/env/local/process-service.ts';
import { serviceControlFor } from '../../harness/env/select-service-control.ts';
import { readState } from '../../harness/env/state.ts';
import type { FaultContext, InjectedFault } from '../../harness/nemesis/fault-kind.ts';
import { faultSpecSchema, type FaultSpecOf } from '../../harness/nemesis/fault-spec.ts';
import { mysqlKillConnections } from '../../harness/nemesis/kinds/mysql-kill-connections.ts';
import { mysqlRestart } from '../../harness/nemesis/kinds/mysql-restart.ts';
import { createWorkerUser, dropWorkerUser, workerUserName } from '../../harness/nemesis/worker-user.ts';
import { createMysqlConnection } from '../../harness/stores/mysql.ts';
import { ensureServicesRunning } from './nemesis-guard.ts';

const endpoints = inject('endpoints');
const envDir = inject('envDir');
const suffix = randomUUID().slice(0, 8);
const table = `nemesis_${suffix}`;
const xid = `'nemesis-it-${suffix}'`;
const user = workerUserName(`it-${suffix}`, 'naive');

afterAll(async () => {
  await ensureServicesRunning(envDir);
  const root = await createMysqlConnection(endpoints.mysql);
  try {
    const [branches] = await root.query<mysql.RowDataPacket[]>('XA RECOVER');
    if (branches.some((branch) => String(branch.data) === xid.slice(1, -1))) await root.query(`XA ROLLBACK ${xid}`);
    await root.query(`DROP TABLE IF EXISTS \`${table}\``);
    await dropWorkerUser(root, user);
  } finally {
    await root.end();
  }
});

describe('MySQL faults on the real MariaDB', () => {
  it('mysql-restart: committed rows and a PREPARED XA branch survive the SIGKILL; the branch is then rolled back', async () => {
    const setup = await createMysqlConnection(endpoints.mysql);
    await setup.query(`CREATE TABLE \`${table}\` (id BIGINT PRIMARY KEY, v INT NOT NULL) ENGINE=InnoDB`);
    await setup.query(`INSERT INTO \`${table}\` VALUES (1, 10), (2, 20)`);
    await setup.query(`XA START ${xid}`);
    await setup.query(`INSERT INTO \`${table}\` VALUES (3, 30)`);
    await setup.query(`XA END ${xid}`);
    await setup.query(`XA PREPARE ${xid}`);
    const context: FaultContext = { endpoints, services: serviceControlFor(envDir), proxies: {} };
    const recordBefore = readState(envDir)!.services.find((service) => service.name === 'mariadb')!;
    let injected: InjectedFault | undefined = await mysqlRestart.inject(context, faultSpecSchema.parse({ kind: 'mysql-restart', at: { afterMs: 0 } }) as FaultSpecOf<'mysql-restart'>);
    try {
      // The connection that prepared the branch died with the server.
      await expect(setup.query('SELECT 1')).rejects.toThrow();
      const heal = await injected.heal();
      injected = undefined;
      expect(heal.errors).toEqual([]);
      process.stderr.write(`[nemesis] mysql-restart heal: ${heal.waitedFor} in ${heal.healMs} ms\n`);
    } finally {
      await injected?.heal();
      setup.destroy();
    }
    // env.json names the new process, so `npm run env -- down` and `status` still find it.
    const recordAfter = readState(envDir)!.services.find((service) => service.name === 'mariadb')!;
    expect(recordAfter.pid).not.toBe(recordBefore.pid);
    expect(isAlive(recordAfter.pid!)).toBe(true);
    expect(recordAfter.restarts).toBe((recordBefore.restarts ?? 0) + 1);
    expect(recordAfter.ports).toEqual(recordBefore.ports);
    expect(runningEnv(envDir)?.endpoints.mysql.port).toBe(endpoints.mysql.port);
    const after = await createMysqlConnection(endpoints.mysql);
    try {
      const [rows] = await after.query<mysql.RowDataPacket[]>(`SELECT id, v FROM \`${table}\` ORDER BY id`);
      expect(rows.map((row) => [Number(row.id), Number(row.v)])).toEqual([
        [1, 10],
        [2, 20],
      ]);
      const [branches] = await after.query<mysql.RowDataPacket[]>('XA RECOVER');
      expect(branches.map((branch) => String(branch.data))).toContain(xid.slice(1, -1));
      await after.query(`XA ROLLBACK ${xid}`);
      const [left] = await after.query<mysql.RowDataPacket[]>('XA RECOVER');
      expect(left.map((branch) => String(branch.data))).not.toContain(xid.slice(1, -1));
      const [count] = await after.query<mysql.RowDataPacket[]>(`SELECT COUNT(*) AS n FROM \`${table}\``);
      expect(Number(count[0]!.n)).toBe(2);
    } finally {
      await after.end();
    }
  });

  it("mysql-kill-connections: every connection of the worker's user dies, root's live on", async () => {
    const root = await createMysqlConnection(endpoints.mysql);
    const workerEndpoint = await createWorkerUser(root, endpoints.mysql, user);
    const workers = await Promise.all([1, 2, 3].map(() => createMysqlConnection(workerEndpoint)));
    const bystander = await createMysqlConnection(endpoints.mysql);
    try {
      // The worker's user can do what a strategy does on the run's database.
      await workers[0]!.query(`CREATE TABLE IF NOT EXISTS \`${table}\` (id BIGINT PRIMARY KEY, v INT NOT NULL)`);
      await workers[0]!.query(`INSERT INTO \`${table}\` VALUES (100, 1)`);
      const context: FaultContext = { endpoints, services: serviceControlFor(envDir), proxies: {}, workerMysqlUser: user };
      const injected = await mysqlKillConnections.inject(
        context,
        faultSpecSchema.parse({ kind: 'mysql-kill-connections', at: { afterMs: 0 } }) as FaultSpecOf<'mysql-kill-connections'>,
      );
      expect(injected.detail).toBe(`killed 3 connections of ${user}`);
      for (const worker of workers) await expect(worker.query('SELECT 1')).rejects.toThrow();
      await expect(bystander.query('SELECT 1')).resolves.toBeDefined();
      await expect(root.query('SELECT 1')).resolves.toBeDefined();
      const heal = await injected.heal();
      expect(heal).toMatchObject({ healMs: 0, errors: [] });
      // A fresh connection of the user works: the fault killed connections, not the user.
      const again = await createMysqlConnection(workerEndpoint);
      await again.query('SELECT 1');
      await again.end();
    } finally {
      for (const worker of workers) worker.destroy();
      await bystander.end();
      await root.end();
    }
  });

  it('mysql-kill-connections is unsupported when the run gives its worker no user of its own', () => {
    const context: FaultContext = { endpoints, services: serviceControlFor(envDir), proxies: {} };
    expect(mysqlKillConnections.unsupported(context, faultSpecSchema.parse({ kind: 'mysql-kill-connections', at: { afterMs: 0 } }) as FaultSpecOf<'mysql-kill-connections'>)).toMatch(
      /no MySQL user of its own/,
    );
  });
});
