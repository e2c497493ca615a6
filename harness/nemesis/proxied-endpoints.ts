// The proxies a run puts between its worker and the services it talks to, and the endpoints the
// worker is then given: MySQL, the search engine's HTTP and Connect's REST each reach the service
// through a TcpProxy. Kafka cannot: a Kafka client asks the bootstrap broker for metadata and then
// connects to the address the broker advertises, bypassing any proxy in front of the bootstrap
// address; cutting Kafka would need the broker to advertise the proxy (a listener of its own).
import type { Endpoints } from '../env/endpoints.ts';
import { TcpProxy } from './tcp-proxy.ts';

export const proxiedServices = ['mysql', 'search', 'connect'] as const;
export type ProxiedService = (typeof proxiedServices)[number];

export const KAFKA_PROXY_REASON =
  'Kafka clients connect to the broker address advertised in metadata, not to a proxy in front of the bootstrap address, so converge cannot put a proxy between the worker and Kafka';

function hostPortOf(url: string): { host: string; port: number } {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port || (parsed.protocol === 'https:' ? 443 : 80)) };
}

/** One proxy per service in `services`, each on a free port of 127.0.0.1, in pass-through. */
export async function startProxies(endpoints: Endpoints, services: readonly ProxiedService[] = proxiedServices): Promise<Partial<Record<ProxiedService, TcpProxy>>> {
  const proxies: Partial<Record<ProxiedService, TcpProxy>> = {};
  try {
    for (const service of services) {
      const target = service === 'mysql' ? { host: endpoints.mysql.host, port: endpoints.mysql.port } : hostPortOf(endpoints[service].url);
      proxies[service] = await TcpProxy.start(target);
    }
  } catch (error) {
    await closeProxies(proxies);
    throw error;
  }
  return proxies;
}

export async function closeProxies(proxies: Partial<Record<ProxiedService, TcpProxy>>): Promise<void> {
  await Promise.all(Object.values(proxies).map((proxy) => proxy.close()));
}

/** The endpoints with each proxied service reached through its proxy (what the worker is given). */
export function proxiedEndpoints(endpoints: Endpoints, proxies: Partial<Record<ProxiedService, TcpProxy>>): Endpoints {
  const through = (url: string, proxy: TcpProxy) => {
    const parsed = new URL(url);
    parsed.hostname = proxy.host;
    parsed.port = String(proxy.port);
    return parsed.toString().replace(/\/$/, '');
  };
  return {
    ...endpoints,
    mysql: proxies.mysql ? { ...endpoints.mysql, host: proxies.mysql.host, port: proxies.mysql.port } : endpoints.mysql,
    search: proxies.search ? { ...endpoints.search, url: through(endpoints.search.url, proxies.search) } : endpoints.search,
    connect: proxies.connect ? { ...endpoints.connect, url: through(endpoints.connect.url, proxies.connect) } : endpoints.connect,
  };
}
