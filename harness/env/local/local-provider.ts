// The `local` provider: converge's own private MariaDB, Kafka (KRaft), Kafka Connect with Debezium
// and OpenSearch, each a child process bound to 127.0.0.1 with its data under one git-ignored
// folder. The start, in order:
//   1. check the prerequisites (java >= 17, mvn, mariadbd, mariadb-install-db);
//   2. resolve the JVM bundles with Maven unless cached;
//   3. pick free ports (or check the configured ones are free);
//   4. start MariaDB, Kafka and OpenSearch side by side, then Connect once Kafka answers (each from
//      one plan, local-services.ts, which a nemesis rebuilds from env.json to restart one service);
//   5. record each ready service in env.json as it comes up; on any failure stop every service
//      already started, remove the record, and rethrow.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../../errors.ts';
import type { Endpoints } from '../endpoints.ts';
import type { EnvProvider, ServiceStatus, StartedEnv, StopOptions } from '../provider.ts';
import { DEFAULT_ENV_DIR, DEFAULT_JVM_CACHE, readState, removeState, writeState, type EnvState } from '../state.ts';
import { ensureBundle, jvmBundles, type JvmBundle } from './jvm-artifacts.ts';
import { startLocalService, type LocalPlan, type LocalServiceName, type ResolvedPorts } from './local-services.ts';
import { choosePort, isListening } from './ports.ts';
import { checkPrerequisites } from './prerequisites.ts';
import { isAlive, stopPid, type RunningProcess } from './process-service.ts';

export interface LocalPorts {
  mysql?: number;
  kafka?: number;
  kafkaController?: number;
  connect?: number;
  search?: number;
  searchTransport?: number;
}

export interface LocalEnvOptions {
  /** Data, logs and env.json (default `<repo>/.converge/env`). */
  dir?: string;
  /** Cache of JVM artifacts (default `<repo>/.cache/jvm`). */
  cacheDir?: string;
  /** Fixed ports; any not given is picked free. */
  ports?: LocalPorts;
  /** Environment used to find the tools (PATH, JAVA_HOME); default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Readiness deadline per service in ms (default 180000). */
  readyTimeoutMs?: number;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

export class LocalProvider implements EnvProvider {
  readonly name = 'local' as const;
  readonly dir: string;

  constructor(private readonly options: LocalEnvOptions = {}) {
    this.dir = path.resolve(options.dir ?? DEFAULT_ENV_DIR);
  }

  async start(): Promise<StartedEnv> {
    const log = this.options.log ?? (() => {});
    const readyTimeoutMs = this.options.readyTimeoutMs ?? 180_000;
    const existing = readState(this.dir);
    if (existing && existing.services.some((service) => service.pid !== undefined && isAlive(service.pid))) {
      throw new ConfigError(`an environment is already running from ${this.dir}; stop it with: npm run env -- down`);
    }
    const t0 = Date.now();
    const toolchain = checkPrerequisites(this.options.env ?? process.env);
    const state: EnvState = { provider: 'local', dir: this.dir, startedAt: new Date().toISOString(), services: [], timings: {} };
    const cacheDir = path.resolve(this.options.cacheDir ?? DEFAULT_JVM_CACHE);
    state.jvmCache = cacheDir;
    const bundles = {} as Record<JvmBundle, string>;
    for (const bundle of jvmBundles) {
      const result = await ensureBundle(toolchain.mvn, cacheDir, bundle, log);
      bundles[bundle] = result.dir;
      if (result.resolved) state.timings[`resolve:${bundle}`] = result.ms;
    }
    const configured = this.options.ports ?? {};
    const taken = new Set<number>();
    const ports: ResolvedPorts = {
      mysql: await choosePort('mysql', configured.mysql, taken),
      kafka: await choosePort('kafka', configured.kafka, taken),
      kafkaController: await choosePort('kafkaController', configured.kafkaController, taken),
      connect: await choosePort('connect', configured.connect, taken),
      search: await choosePort('search', configured.search, taken),
      searchTransport: await choosePort('searchTransport', configured.searchTransport, taken),
    };
    const plan: LocalPlan = { dir: this.dir, toolchain, bundles, ports, readyTimeoutMs };
    const started: RunningProcess[] = [];
    const ready = (proc: RunningProcess, since: number) => {
      started.push(proc);
      state.timings[`start:${proc.name}`] = Date.now() - since;
      state.services.push({ name: proc.name, pid: proc.pid, ports: proc.ports, logFile: proc.logFile, startMs: Date.now() - since });
      writeState(state);
      log(`${proc.name} ready on 127.0.0.1:${proc.ports[0]} (${Date.now() - since} ms)`);
      return proc;
    };
    writeState(state);
    try {
      const since = Date.now();
      const tracked = <N extends LocalServiceName>(name: N) =>
        startLocalService(name, plan).then((service) => {
          ready(service.process, since);
          return service;
        });
      const [mariadb, kafka, search] = await settleAll([tracked('mariadb'), tracked('kafka'), tracked('opensearch')]);
      const connectSince = Date.now();
      const connect = await startLocalService('connect', plan);
      ready(connect.process, connectSince);
      const endpoints: Endpoints = {
        provider: 'local',
        mysql: mariadb.endpoint,
        kafka: kafka.endpoint,
        connect: connect.endpoint,
        search: search.endpoint,
      };
      state.endpoints = endpoints;
      state.timings.total = Date.now() - t0;
      writeState(state);
      return new StartedLocalEnv(this.dir, endpoints);
    } catch (error) {
      log(`start failed; stopping ${started.length} service(s) already started`);
      await Promise.all(started.map((proc) => proc.stop()));
      removeState(this.dir);
      throw error;
    }
  }
}

/** Like Promise.all, but waits for every promise to settle before rejecting with the first error. */
async function settleAll<T extends readonly unknown[]>(promises: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((result) => (result as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

/** A running local env, found again from its env.json by any process. */
export class StartedLocalEnv implements StartedEnv {
  constructor(
    readonly dir: string,
    readonly endpoints: Endpoints,
  ) {}

  async stop(options: StopOptions = {}): Promise<void> {
    await stopLocalEnv(this.dir, options);
  }

  status(): Promise<ServiceStatus[]> {
    return Promise.resolve(localStatus(this.dir));
  }
}

export function localStatus(dir: string): ServiceStatus[] {
  const state = readState(dir);
  if (!state) return [];
  return state.services.map((service) => ({
    name: service.name,
    running: service.pid !== undefined && isAlive(service.pid),
    ...(service.pid !== undefined ? { pid: service.pid } : {}),
    detail: `127.0.0.1:${service.ports.join(',')}`,
  }));
}

/**
 * Stop every service recorded in `dir/env.json` (Connect first, MariaDB last), then check that
 * no recorded port still listens. `wipe` deletes the data folder too.
 */
export async function stopLocalEnv(dir: string, options: StopOptions = {}): Promise<{ stillListening: number[] }> {
  const state = readState(dir);
  const order = ['connect', 'kafka', 'opensearch', 'mariadb'];
  const services = [...(state?.services ?? [])].sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
  for (const service of services) if (service.pid !== undefined) await stopPid(service.pid);
  const stillListening: number[] = [];
  for (const service of services) for (const port of service.ports) if (await isListening(port)) stillListening.push(port);
  removeState(dir);
  if (options.wipe) rmSync(dir, { recursive: true, force: true });
  return { stillListening };
}
