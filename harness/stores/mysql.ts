// The MySQL store: a mysql2 promise pool on an endpoint, and the connection options alone for code
// that needs a single connection. Works for MariaDB and MySQL alike.
import mysql from 'mysql2/promise';
import type { MysqlEndpoint } from '../env/endpoints.ts';

export type MysqlPool = mysql.Pool;

export function mysqlConnectionOptions(endpoint: MysqlEndpoint): mysql.ConnectionOptions {
  const { host, port, user, password, database } = endpoint;
  return { host, port, user, password, database, connectTimeout: 10_000, supportBigNumbers: true, dateStrings: true };
}

export interface PoolOptions {
  /** Connections in the pool (default 10). */
  connectionLimit?: number;
  /**
   * Let one query carry several statements (default false), for a write's whole transaction in one
   * round trip (applyMysqlWrite). Values still travel as client-side escaped placeholders.
   */
  multipleStatements?: boolean;
}

export function createMysqlPool(endpoint: MysqlEndpoint, options: PoolOptions = {}): MysqlPool {
  return mysql.createPool({
    ...mysqlConnectionOptions(endpoint),
    connectionLimit: options.connectionLimit ?? 10,
    waitForConnections: true,
    multipleStatements: options.multipleStatements ?? false,
  });
}

export function createMysqlConnection(endpoint: MysqlEndpoint): Promise<mysql.Connection> {
  return mysql.createConnection(mysqlConnectionOptions(endpoint));
}
