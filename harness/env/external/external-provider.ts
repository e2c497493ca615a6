// The `external` provider: services the user already runs, named by environment variables
// (CONVERGE_MYSQL_URL, CONVERGE_KAFKA_BROKERS, CONVERGE_CONNECT_URL, CONVERGE_SEARCH_URL).
// converge starts and stops nothing; it probes each endpoint for its flavour and version.
import { ConfigError } from '../../errors.ts';
import type { Endpoints, MysqlEndpoint } from '../endpoints.ts';
import { parseServerVersion } from '../local/mariadb.ts';
import { probeMysql, probeSearch } from '../probe.ts';
import type { EnvProvider, ServiceStatus, StartedEnv } from '../provider.ts';

export const EXTERNAL_VARIABLES = ['CONVERGE_MYSQL_URL', 'CONVERGE_KAFKA_BROKERS', 'CONVERGE_CONNECT_URL', 'CONVERGE_SEARCH_URL'] as const;

/** True when any CONVERGE_*_URL variable is set: the user means the external provider. */
export function externalRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  return EXTERNAL_VARIABLES.some((name) => Boolean(env[name]));
}

/** `mysql://user:password@host:port/database` → the endpoint fields (flavour and version probed later). */
export function parseMysqlUrl(value: string): Omit<MysqlEndpoint, 'flavor' | 'version'> {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`CONVERGE_MYSQL_URL: not a URL: ${value}`);
  }
  if (url.protocol !== 'mysql:' && url.protocol !== 'mariadb:') {
    throw new ConfigError(`CONVERGE_MYSQL_URL: expected mysql://user:password@host:port/database, got protocol ${url.protocol}`);
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!database) throw new ConfigError('CONVERGE_MYSQL_URL: the database name is missing (mysql://user:password@host:port/database)');
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : 3306,
    user: decodeURIComponent(url.username || 'root'),
    password: decodeURIComponent(url.password),
    database,
  };
}

export function parseExternalVariables(env: NodeJS.ProcessEnv): { mysql: Omit<MysqlEndpoint, 'flavor' | 'version'>; brokers: string[]; connectUrl: string; searchUrl: string } {
  const missing = EXTERNAL_VARIABLES.filter((name) => !env[name]);
  if (missing.length > 0) throw new ConfigError(`the external provider needs ${missing.join(', ')} to be set`);
  const brokers = env.CONVERGE_KAFKA_BROKERS!.split(',').map((broker) => broker.trim()).filter(Boolean);
  for (const broker of brokers) {
    if (!/^[^:\s]+:\d+$/.test(broker)) throw new ConfigError(`CONVERGE_KAFKA_BROKERS: expected host:port[,host:port], got ${broker}`);
  }
  const checkUrl = (name: string, value: string) => {
    try {
      return new URL(value).toString().replace(/\/$/, '');
    } catch {
      throw new ConfigError(`${name}: not a URL: ${value}`);
    }
  };
  return {
    mysql: parseMysqlUrl(env.CONVERGE_MYSQL_URL!),
    brokers,
    connectUrl: checkUrl('CONVERGE_CONNECT_URL', env.CONVERGE_CONNECT_URL!),
    searchUrl: checkUrl('CONVERGE_SEARCH_URL', env.CONVERGE_SEARCH_URL!),
  };
}

export class ExternalProvider implements EnvProvider {
  readonly name = 'external' as const;

  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  async start(): Promise<StartedEnv> {
    const parsed = parseExternalVariables(this.env);
    const mysqlProbe = await probeMysql({ ...parsed.mysql, flavor: 'mysql', version: '' });
    if (!mysqlProbe.ok) throw new ConfigError(`CONVERGE_MYSQL_URL: cannot connect: ${mysqlProbe.error}`);
    const searchProbe = await probeSearch({ url: parsed.searchUrl });
    if (!searchProbe.ok) throw new ConfigError(`CONVERGE_SEARCH_URL: cannot reach ${parsed.searchUrl}: ${searchProbe.error}`);
    const endpoints: Endpoints = {
      provider: 'external',
      mysql: { ...parsed.mysql, ...parseServerVersion(mysqlProbe.version ?? '') },
      kafka: { brokers: parsed.brokers },
      connect: { url: parsed.connectUrl },
      search: { url: parsed.searchUrl, engine: searchProbe.engine === 'opensearch' ? 'opensearch' : 'elasticsearch', version: searchProbe.version ?? '' },
    };
    return {
      endpoints,
      stop: () => Promise.resolve(),
      status: (): Promise<ServiceStatus[]> =>
        Promise.resolve(['mysql', 'kafka', 'connect', 'search'].map((name) => ({ name, running: true, detail: 'external: not managed by converge' }))),
    };
  }
}
