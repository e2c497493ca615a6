// Live probes of an environment's endpoints: each service is asked something only a working one can
// answer (MariaDB its binlog settings, Kafka its brokers, Connect its plugins, the search engine its
// root endpoint). `env status` prints them; tests assert on them.
import mysql from 'mysql2/promise';
import { Kafka, logLevel } from 'kafkajs';
import type { Endpoints, MysqlEndpoint, SearchEndpoint } from './endpoints.ts';

export interface ProbeReport {
  mysql: { ok: boolean; version?: string; logBin?: boolean; binlogFormat?: string; binlogRowImage?: string; serverId?: number; error?: string };
  kafka: { ok: boolean; brokers?: number; controller?: number; error?: string };
  connect: { ok: boolean; version?: string; connectorClasses?: string[]; error?: string };
  search: { ok: boolean; engine?: string; version?: string; clusterName?: string; error?: string };
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

export async function probeMysql(endpoint: MysqlEndpoint): Promise<ProbeReport['mysql']> {
  try {
    const { host, port, user, password, database } = endpoint;
    const connection = await mysql.createConnection({ host, port, user, password, database, connectTimeout: 3000 });
    try {
      const [rows] = await connection.query<mysql.RowDataPacket[]>(
        'SELECT VERSION() AS version, @@log_bin AS logBin, @@binlog_format AS binlogFormat, @@binlog_row_image AS rowImage, @@server_id AS serverId',
      );
      const row = rows[0]!;
      return {
        ok: true,
        version: String(row.version),
        logBin: Number(row.logBin) === 1,
        binlogFormat: String(row.binlogFormat),
        binlogRowImage: String(row.rowImage),
        serverId: Number(row.serverId),
      };
    } finally {
      await connection.end();
    }
  } catch (error) {
    return { ok: false, error: errorText(error) };
  }
}

export async function probeKafka(brokers: string[]): Promise<ProbeReport['kafka']> {
  const admin = new Kafka({ clientId: 'converge-probe', brokers, logLevel: logLevel.NOTHING, retry: { retries: 1 } }).admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return { ok: true, brokers: cluster.brokers.length, controller: cluster.controller ?? -1 };
  } catch (error) {
    return { ok: false, error: errorText(error) };
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

export async function probeConnect(url: string): Promise<ProbeReport['connect']> {
  try {
    const root = (await (await fetch(url, { signal: AbortSignal.timeout(5000) })).json()) as { version?: string };
    const plugins = (await (await fetch(`${url}/connector-plugins`, { signal: AbortSignal.timeout(5000) })).json()) as { class: string }[];
    return { ok: true, version: root.version ?? '', connectorClasses: plugins.map((plugin) => plugin.class) };
  } catch (error) {
    return { ok: false, error: errorText(error) };
  }
}

export async function probeSearch(endpoint: Pick<SearchEndpoint, 'url'>): Promise<ProbeReport['search']> {
  try {
    const response = await fetch(endpoint.url, { signal: AbortSignal.timeout(5000) });
    const body = (await response.json()) as { cluster_name?: string; version?: { number?: string; distribution?: string } };
    return {
      ok: response.ok,
      engine: body.version?.distribution === 'opensearch' ? 'opensearch' : 'elasticsearch',
      version: body.version?.number ?? '',
      clusterName: body.cluster_name ?? '',
    };
  } catch (error) {
    return { ok: false, error: errorText(error) };
  }
}

export async function probeEndpoints(endpoints: Endpoints): Promise<ProbeReport> {
  const [mysqlReport, kafka, connect, search] = await Promise.all([
    probeMysql(endpoints.mysql),
    probeKafka(endpoints.kafka.brokers),
    probeConnect(endpoints.connect.url),
    probeSearch(endpoints.search),
  ]);
  return { mysql: mysqlReport, kafka, connect, search };
}
