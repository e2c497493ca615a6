// What a fault's heal step waits for, per service, each a bounded wait on the real service:
//   - search: the engine answers its root endpoint, and cluster health reaches yellow or green;
//   - kafka: the broker answers, and every topic that existed before the fault (and still does)
//     has a leader for every partition;
//   - connect: the REST API answers, and every connector that was RUNNING before the fault runs
//     again with all its tasks; a FAILED connector or task ends the wait and is reported;
//   - mysql: the server accepts a connection and answers a query.
// Snapshots of "what ran before" are taken before the fault strikes, so a connector or topic some
// other run left broken is not waited for, and one this fault broke is not missed.
import mysql from 'mysql2/promise';
import { ConvergeError, isProgrammingError } from '../errors.ts';
import type { MysqlEndpoint } from '../env/endpoints.ts';
import { retry } from '../retry.ts';
import { ConnectClient } from '../stores/connect-client.ts';
import { createKafka } from '../stores/kafka.ts';
import { mysqlConnectionOptions } from '../stores/mysql.ts';

const notYet = (message: string, cause?: unknown) => new ConvergeError(message, { retriable: true, definite: false, cause });

/**
 * An error from the service or the wire rather than from our code. fetch reports a refused
 * connection as a TypeError whose cause carries the system error, so that one counts too.
 */
function isServiceFailure(error: unknown): boolean {
  if (!isProgrammingError(error)) return true;
  const cause = (error as Error).cause;
  return error instanceof TypeError && cause instanceof Error && typeof (cause as NodeJS.ErrnoException).code === 'string';
}

function describe(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error instanceof Error ? error.message : String(error)}${cause}`;
}

/** Retry `attempt` until it resolves or `timeoutMs` passes; the TimeoutError names `description`. */
function waitUntil<T>(description: string, timeoutMs: number, attempt: () => Promise<T>): Promise<T> {
  return retry(
    async () => {
      try {
        return await attempt();
      } catch (error) {
        if (error instanceof ConvergeError || !isServiceFailure(error)) throw error;
        // Refused connections, reset sockets, client errors while the service starts: not ready yet.
        throw notYet(`${description}: ${describe(error)}`, error);
      }
    },
    { timeoutMs, initialDelayMs: 100, maxDelayMs: 500, description },
  );
}

/** The engine answers `GET /`. */
export function waitSearchAnswers(url: string, timeoutMs: number): Promise<void> {
  return waitUntil('the search engine to answer', timeoutMs, async () => {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    if (!response.ok) throw notYet(`GET / answered ${response.status}`);
  });
}

/** The engine answers and its cluster health is yellow or green; returns the status. */
export function waitSearchHealthy(url: string, timeoutMs: number): Promise<string> {
  return waitUntil('the search engine to answer with health yellow or green', timeoutMs, async () => {
    const response = await fetch(`${url}/_cluster/health?wait_for_status=yellow&timeout=2s`, { signal: AbortSignal.timeout(5000) });
    const body = (await response.json()) as { status?: string; timed_out?: boolean };
    if (!response.ok || body.timed_out || (body.status !== 'yellow' && body.status !== 'green')) throw notYet(`cluster health is ${body.status ?? response.status}`);
    return body.status;
  });
}

/** The topics the broker holds now (snapshot before a fault). */
export async function kafkaTopics(brokers: string[]): Promise<string[]> {
  const admin = createKafka({ brokers }, 'converge-nemesis').admin();
  await admin.connect();
  try {
    return await admin.listTopics();
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

/** The broker answers and each of `topics` that still exists has a leader on every partition; returns how many topics were checked. */
export function waitKafkaServes(brokers: string[], topics: readonly string[], timeoutMs: number): Promise<number> {
  return waitUntil('the broker to serve every topic with a leader on each partition', timeoutMs, async () => {
    const admin = createKafka({ brokers }, 'converge-nemesis').admin();
    try {
      await admin.connect();
      const present = new Set(await admin.listTopics());
      const wanted = topics.filter((topic) => present.has(topic));
      if (wanted.length === 0) return 0;
      const metadata = await admin.fetchTopicMetadata({ topics: wanted });
      const leaderless = metadata.topics.flatMap((topic) => topic.partitions.filter((partition) => partition.leader < 0).map((partition) => `${topic.name}[${partition.partitionId}]`));
      if (leaderless.length > 0) throw notYet(`no leader yet for ${leaderless.slice(0, 5).join(', ')}${leaderless.length > 5 ? ', …' : ''}`);
      return wanted.length;
    } finally {
      await admin.disconnect().catch(() => {});
    }
  });
}

/** The connectors whose connector and every task are RUNNING now (snapshot before a fault). */
export async function runningConnectors(url: string): Promise<string[]> {
  const client = new ConnectClient(url);
  const running: string[] = [];
  for (const name of await client.list()) {
    const status = await client.status(name);
    if (status && status.connector.state === 'RUNNING' && status.tasks.length > 0 && status.tasks.every((task) => task.state === 'RUNNING')) running.push(name);
  }
  return running;
}

export interface ConnectorsWait {
  /** Connectors running again. */
  running: string[];
  /** One line per connector or task that FAILED or was gone, or that did not run in time. */
  errors: string[];
}

/**
 * The REST API answers and each of `names` runs again with all its tasks. A FAILED connector or
 * task is final (its first trace line is reported); one still not RUNNING at the deadline too.
 */
export async function waitConnectorsRunning(url: string, names: readonly string[], timeoutMs: number): Promise<ConnectorsWait> {
  const client = new ConnectClient(url);
  const deadline = Date.now() + timeoutMs;
  await waitUntil('the Connect REST API to answer', timeoutMs, () => client.list());
  const failed = new Map<string, string>();
  const running = new Set<string>();
  const lastState = new Map<string, string>();
  for (;;) {
    for (const name of names) {
      if (running.has(name) || failed.has(name)) continue;
      const status = await client.status(name).catch((error: unknown) => {
        lastState.set(name, `status unreadable: ${error instanceof Error ? error.message : String(error)}`);
        return null;
      });
      if (status === null) continue;
      if (status === undefined) {
        failed.set(name, `connector ${name} is gone after the restart`);
        continue;
      }
      const broken = [{ what: `connector ${name}`, ...status.connector }, ...status.tasks.map((task) => ({ what: `connector ${name} task ${task.id}`, ...task }))].find(
        (part) => part.state === 'FAILED',
      );
      if (broken) failed.set(name, `${broken.what} FAILED: ${broken.trace?.split('\n')[0] ?? 'no trace'}`);
      else if (status.connector.state === 'RUNNING' && status.tasks.length > 0 && status.tasks.every((task) => task.state === 'RUNNING')) running.add(name);
      else lastState.set(name, `connector ${status.connector.state}, tasks ${status.tasks.map((task) => task.state).join('/') || 'none yet'}`);
    }
    if (running.size + failed.size === names.length || Date.now() >= deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const late = names
    .filter((name) => !running.has(name) && !failed.has(name))
    .map((name) => `connector ${name} not RUNNING after ${timeoutMs} ms (${lastState.get(name) ?? 'no status'})`);
  return { running: [...running], errors: [...failed.values(), ...late] };
}

/** The server accepts a connection and answers `SELECT 1`. */
export function waitMysqlAccepts(endpoint: MysqlEndpoint, timeoutMs: number): Promise<void> {
  return waitUntil('MySQL to accept connections', timeoutMs, async () => {
    const connection = await mysql.createConnection({ ...mysqlConnectionOptions(endpoint), connectTimeout: 2000 });
    try {
      await connection.query('SELECT 1');
    } finally {
      await connection.end().catch(() => {});
    }
  });
}
