// The `docker` provider: the same four services as containers through testcontainers, chosen when
// a Docker daemon answers. CI has no Docker engine and exercises `local`; this provider is kept
// small, and its container definitions are unit-tested as data. Containers are started without
// the Ryuk reaper so that `env up` can leave them running; `env down` removes them by id.
import { GenericContainer, Network, Wait, getContainerRuntimeClient, type StartedTestContainer } from 'testcontainers';
import { ServiceStartError } from '../../errors.ts';
import type { Endpoints } from '../endpoints.ts';
import { parseServerVersion } from '../local/mariadb.ts';
import { choosePort } from '../local/ports.ts';
import { probeMysql, probeSearch } from '../probe.ts';
import type { EnvProvider, ServiceStatus, StartedEnv } from '../provider.ts';
import {
  MYSQL_ROOT_PASSWORD,
  connectDefinition,
  elasticsearchDefinition,
  kafkaDefinition,
  mysqlDefinition,
  type ContainerDefinition,
} from './container-definitions.ts';

/** Whether a Docker daemon answers (within a few seconds). */
export async function dockerAvailable(timeoutMs = 5000): Promise<boolean> {
  try {
    await Promise.race([
      getContainerRuntimeClient(),
      new Promise((_, reject) => setTimeout(() => reject(new Error('docker probe timed out')), timeoutMs)),
    ]);
    return true;
  } catch {
    return false;
  }
}

/** A testcontainers builder from one definition. */
export function toContainer(definition: ContainerDefinition): GenericContainer {
  let container = new GenericContainer(definition.image)
    .withEnvironment(definition.env)
    .withNetworkAliases(definition.alias)
    .withExposedPorts(...definition.ports.map((port) => (port.host ? { container: port.container, host: port.host } : port.container)));
  if (definition.command.length > 0) container = container.withCommand(definition.command);
  container =
    definition.wait.kind === 'log'
      ? container.withWaitStrategy(Wait.forLogMessage(definition.wait.message, definition.wait.times))
      : container.withWaitStrategy(Wait.forHttp(definition.wait.path, definition.wait.port));
  return container.withStartupTimeout(300_000);
}

/** A started container by its definition's name (`mysql`, `elasticsearch`, `kafka`, `connect`). */
export interface DockerContainerRecord {
  name: ContainerDefinition['name'];
  id: string;
}

/** What `start()` gives: the env, and its containers by name for env.json (a nemesis finds them there). */
export interface StartedDockerEnv extends StartedEnv {
  containers: DockerContainerRecord[];
}

export class DockerProvider implements EnvProvider {
  readonly name = 'docker' as const;

  async start(): Promise<StartedDockerEnv> {
    process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
    const network = await new Network().start();
    const started: StartedTestContainer[] = [];
    const containers: DockerContainerRecord[] = [];
    const startOne = async (definition: ContainerDefinition) => {
      const container = await toContainer(definition).withNetwork(network).start();
      started.push(container);
      containers.push({ name: definition.name, id: container.getId() });
      return container;
    };
    try {
      const taken = new Set<number>();
      const [kafkaPort, mysqlPort, searchPort, connectPort] = [
        await choosePort('kafka', undefined, taken),
        await choosePort('mysql', undefined, taken),
        await choosePort('search', undefined, taken),
        await choosePort('connect', undefined, taken),
      ];
      const [mysql, elasticsearch] = await Promise.all([
        startOne(mysqlDefinition(mysqlPort)),
        startOne(elasticsearchDefinition(searchPort)),
        startOne(kafkaDefinition(kafkaPort)),
      ]);
      const connect = await startOne(connectDefinition(connectPort));
      const mysqlBase = { host: mysql.getHost(), port: mysql.getMappedPort(3306), user: 'root', password: MYSQL_ROOT_PASSWORD, database: 'converge' };
      const mysqlProbe = await probeMysql({ ...mysqlBase, flavor: 'mysql', version: '' });
      const searchUrl = `http://${elasticsearch.getHost()}:${elasticsearch.getMappedPort(9200)}`;
      const searchProbe = await probeSearch({ url: searchUrl });
      const endpoints: Endpoints = {
        provider: 'docker',
        mysql: { ...mysqlBase, ...parseServerVersion(mysqlProbe.version ?? '') },
        kafka: { brokers: [`127.0.0.1:${kafkaPort}`] },
        connect: { url: `http://${connect.getHost()}:${connect.getMappedPort(8083)}` },
        search: { url: searchUrl, engine: 'elasticsearch', version: searchProbe.version ?? '' },
      };
      return {
        endpoints,
        containers,
        stop: async () => {
          await Promise.all(started.map((container) => container.stop()));
          await network.stop();
        },
        status: (): Promise<ServiceStatus[]> =>
          Promise.resolve(started.map((container) => ({ name: container.getName(), running: true, detail: container.getId() }))),
      } satisfies StartedDockerEnv;
    } catch (error) {
      await Promise.allSettled(started.map((container) => container.stop()));
      await network.stop().catch(() => {});
      throw new ServiceStartError('docker', 'a container did not start', { cause: error });
    }
  }
}
