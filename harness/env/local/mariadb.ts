// The private MariaDB server of the local env: Debian's `mariadbd` on its own datadir and port,
// bound to 127.0.0.1, with the row binlog that log-based capture needs (log_bin, binlog_format=ROW,
// binlog_row_image=FULL, server_id). The machine's own server on 3306 is never touched.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { ServiceStartError } from '../../errors.ts';
import type { MysqlEndpoint } from '../endpoints.ts';
import { startProcess, type RunningProcess } from './process-service.ts';
import type { Toolchain } from './prerequisites.ts';

export const MARIADB_DATABASE = 'converge';

export interface MariadbOptions {
  toolchain: Toolchain;
  dir: string;
  port: number;
  readyTimeoutMs: number;
}

export interface StartedMariadb {
  process: RunningProcess;
  endpoint: MysqlEndpoint;
}

/** "10.11.19-MariaDB-0+deb12u1-log" → { flavor: 'mariadb', version: '10.11.19' } */
export function parseServerVersion(raw: string): Pick<MysqlEndpoint, 'flavor' | 'version'> {
  const version = /^(\d+\.\d+\.\d+)/.exec(raw)?.[1] ?? raw;
  return { flavor: /mariadb/i.test(raw) ? 'mariadb' : 'mysql', version };
}

export async function startMariadb(options: MariadbOptions): Promise<StartedMariadb> {
  const { toolchain, dir, port } = options;
  const dataDir = path.join(dir, 'data');
  mkdirSync(dir, { recursive: true });
  if (!existsSync(path.join(dataDir, 'mysql'))) {
    const install = spawnSync(
      toolchain.mariadbInstallDb,
      ['--no-defaults', '--user=root', '--auth-root-authentication-method=normal', '--skip-test-db', `--datadir=${dataDir}`],
      { encoding: 'utf8' },
    );
    if (install.status !== 0) {
      throw new ServiceStartError('mariadb', `mariadb-install-db failed (exit ${install.status}):\n${install.stderr || install.stdout}`);
    }
  }
  const endpointBase = { host: '127.0.0.1', port, user: 'root', password: '', database: MARIADB_DATABASE };
  let serverVersion = '';
  const proc = await startProcess({
    name: 'mariadb',
    command: toolchain.mariadbd,
    args: [
      '--no-defaults',
      '--user=root',
      `--datadir=${dataDir}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      `--socket=${path.join(dir, 'mysqld.sock')}`,
      `--pid-file=${path.join(dir, 'mysqld.pid')}`,
      '--skip-name-resolve',
      '--log-bin=mysql-bin',
      '--binlog-format=ROW',
      '--binlog-row-image=FULL',
      '--server-id=1',
      '--character-set-server=utf8mb4',
      '--collation-server=utf8mb4_general_ci',
      '--max-connections=500',
      '--innodb-buffer-pool-size=256M',
      // A testbed, not a bank: commits reach the OS at once and the disk about once a second. A killed
      // mariadbd loses nothing; only a machine crash could. Without this, fsync dominates every write.
      '--innodb-flush-log-at-trx-commit=2',
      '--sync-binlog=0',
    ],
    cwd: dir,
    logFile: path.join(dir, 'mariadb.log'),
    pidFile: path.join(dir, 'service.pid'),
    ports: [port],
    readyTimeoutMs: options.readyTimeoutMs,
    probe: async () => {
      const connection = await mysql.createConnection({ ...endpointBase, database: undefined, connectTimeout: 2000 });
      try {
        const [rows] = await connection.query<mysql.RowDataPacket[]>('SELECT VERSION() AS v');
        serverVersion = String(rows[0]?.v ?? '');
        await connection.query(`CREATE DATABASE IF NOT EXISTS \`${MARIADB_DATABASE}\``);
      } finally {
        await connection.end();
      }
    },
  });
  return { process: proc, endpoint: { ...endpointBase, ...parseServerVersion(serverVersion) } };
}
