// The local env's four services as one table, and the plan they start from: the env folder, the
// toolchain, the JVM bundle folders and every port. `up` builds the plan once and starts them all;
// a nemesis that killed one service rebuilds the same plan from env.json (ports as recorded,
// bundles from the cache) and starts that service again, on the same port and the same data.
import path from 'node:path';
import { ServiceStartError } from '../../errors.ts';
import type { ConnectEndpoint, KafkaEndpoint, MysqlEndpoint, SearchEndpoint } from '../endpoints.ts';
import { DEFAULT_JVM_CACHE, type EnvState } from '../state.ts';
import { startConnect } from './connect.ts';
import { cachedBundle, jvmBundles, type JvmBundle } from './jvm-artifacts.ts';
import { startKafka } from './kafka.ts';
import { startMariadb } from './mariadb.ts';
import { startOpenSearch } from './opensearch.ts';
import { checkPrerequisites, type Toolchain } from './prerequisites.ts';
import type { RunningProcess } from './process-service.ts';

/** The names the local services go by in env.json and in logs. */
export const localServiceNames = ['mariadb', 'kafka', 'opensearch', 'connect'] as const;
export type LocalServiceName = (typeof localServiceNames)[number];

/** Every port of the local env, chosen once at `up`. */
export interface ResolvedPorts {
  mysql: number;
  kafka: number;
  kafkaController: number;
  connect: number;
  search: number;
  searchTransport: number;
}

export interface LocalPlan {
  /** The env folder; each service keeps its data and log in `<dir>/<service>`. */
  dir: string;
  toolchain: Toolchain;
  bundles: Record<JvmBundle, string>;
  ports: ResolvedPorts;
  /** Readiness deadline per service in ms. */
  readyTimeoutMs: number;
}

/** What each service's start gives beside its process. */
export interface LocalServiceEndpoints {
  mariadb: MysqlEndpoint;
  kafka: KafkaEndpoint;
  opensearch: SearchEndpoint;
  connect: ConnectEndpoint;
}

export interface StartedLocalService<N extends LocalServiceName = LocalServiceName> {
  process: RunningProcess;
  endpoint: LocalServiceEndpoints[N];
}

/** Start one service from the plan; resolves once it answers (Connect needs Kafka up already). */
export async function startLocalService<N extends LocalServiceName>(name: N, plan: LocalPlan): Promise<StartedLocalService<N>> {
  return (await startByName(name, plan)) as StartedLocalService<N>;
}

function startByName(name: LocalServiceName, plan: LocalPlan): Promise<StartedLocalService> {
  const { toolchain, bundles, ports, readyTimeoutMs } = plan;
  const dir = path.join(plan.dir, name);
  switch (name) {
    case 'mariadb':
      return startMariadb({ toolchain, dir, port: ports.mysql, readyTimeoutMs });
    case 'kafka':
      return startKafka({ java: toolchain.java, classpathDir: bundles.kafka, dir, port: ports.kafka, controllerPort: ports.kafkaController, readyTimeoutMs });
    case 'opensearch':
      return startOpenSearch({ java: toolchain.java, classpathDir: bundles.opensearch, dir, port: ports.search, transportPort: ports.searchTransport, readyTimeoutMs });
    case 'connect':
      return startConnect({
        java: toolchain.java,
        classpathDir: bundles.kafka,
        plugins: { 'debezium-connector-mariadb': bundles['debezium-mariadb'], 'debezium-connector-mysql': bundles['debezium-mysql'] },
        dir,
        port: ports.connect,
        brokers: [`127.0.0.1:${ports.kafka}`],
        readyTimeoutMs,
      });
  }
}

/**
 * The ports as env.json records them: each service's `ports` in the order its process spec lists
 * them (mariadb [mysql], kafka [broker, controller], opensearch [http, transport], connect [rest]).
 */
export function portsFromState(state: EnvState): ResolvedPorts {
  const portsOf = (name: LocalServiceName, count: number): number[] => {
    const record = state.services.find((service) => service.name === name);
    if (!record || record.ports.length < count) {
      throw new ServiceStartError(name, `${state.dir}/env.json records no ${count === 1 ? 'port' : `${count} ports`} for ${name}; cannot start it again on the same port`);
    }
    return record.ports;
  };
  const [mysql] = portsOf('mariadb', 1);
  const [kafka, kafkaController] = portsOf('kafka', 2);
  const [search, searchTransport] = portsOf('opensearch', 2);
  const [connect] = portsOf('connect', 1);
  return { mysql: mysql!, kafka: kafka!, kafkaController: kafkaController!, search: search!, searchTransport: searchTransport!, connect: connect! };
}

export interface PlanOptions {
  /** Environment used to find the tools (PATH, JAVA_HOME); default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Readiness deadline per service in ms (default 180000). */
  readyTimeoutMs?: number;
}

/**
 * The plan of an env that is already up, from its env.json: the same folder and ports, the JVM
 * bundles from the cache `up` used (never resolved again: a restart must not wait on Maven).
 */
export function planFromState(state: EnvState, options: PlanOptions = {}): LocalPlan {
  const ports = portsFromState(state);
  const cacheDir = state.jvmCache ?? DEFAULT_JVM_CACHE;
  const bundles = {} as Record<JvmBundle, string>;
  for (const bundle of jvmBundles) {
    const dir = cachedBundle(cacheDir, bundle);
    if (!dir) throw new ServiceStartError(bundle, `the JVM bundle is missing from ${cacheDir} (or its pom changed since up); run npm run env -- up once to resolve it`);
    bundles[bundle] = dir;
  }
  return {
    dir: state.dir,
    toolchain: checkPrerequisites(options.env ?? process.env),
    bundles,
    ports,
    readyTimeoutMs: options.readyTimeoutMs ?? 180_000,
  };
}
