// On the external provider (here: the live env's own services, named by CONVERGE_*_URL variables,
// as a user's would be), every fault that needs to pause, kill or start a service is reported
// unsupported with the reason, so the pair is skipped; the faults that act only on converge's own
// pieces (its proxy, its worker, its worker's MySQL user) stay possible. Nothing is touched.
import { describe, expect, inject, it } from 'vitest';
import { ExternalProvider } from '../../harness/env/external/external-provider.ts';
import { ExternalServiceControl } from '../../harness/env/external/external-service-control.ts';
import type { FaultContext } from '../../harness/nemesis/fault-kind.ts';
import { faultSpecSchema, type FaultSpec } from '../../harness/nemesis/fault-spec.ts';
import { Nemesis, unsupportedFaults } from '../../harness/nemesis/nemesis.ts';
import { closeProxies, startProxies } from '../../harness/nemesis/proxied-endpoints.ts';
import { monotonicMs } from '../../harness/history/entry.ts';

const live = inject('endpoints');

describe('faults on the external provider', () => {
  it('reports every service fault unsupported with the reason, and injects none of them', async () => {
    const env = await new ExternalProvider({
      CONVERGE_MYSQL_URL: `mysql://${live.mysql.user}:${live.mysql.password}@${live.mysql.host}:${live.mysql.port}/${live.mysql.database}`,
      CONVERGE_KAFKA_BROKERS: live.kafka.brokers.join(','),
      CONVERGE_CONNECT_URL: live.connect.url,
      CONVERGE_SEARCH_URL: live.search.url,
    }).start();
    expect(env.endpoints.provider).toBe('external');
    const proxies = await startProxies(env.endpoints, ['mysql']);
    try {
      const context: FaultContext = {
        endpoints: env.endpoints,
        services: new ExternalServiceControl(),
        proxies,
        workerMysqlUser: 'cvw_not_connected',
        crashWorker: () => Promise.resolve(),
      };
      const faults: FaultSpec[] = [
        { kind: 'search-pause', at: { afterMs: 0 } },
        { kind: 'search-restart', at: { afterMs: 0 } },
        { kind: 'kafka-restart', at: { afterMs: 0 } },
        { kind: 'connect-restart', at: { afterMs: 0 } },
        { kind: 'mysql-restart', at: { afterMs: 0 } },
        { kind: 'network', at: { afterMs: 0 }, target: 'kafka', mode: 'drop' },
        { kind: 'network', at: { afterMs: 0 }, target: 'mysql', mode: 'latency', latencyMs: 5 },
        { kind: 'mysql-kill-connections', at: { afterMs: 0 } },
      ].map((fault) => faultSpecSchema.parse(fault));
      const unsupported = unsupportedFaults(faults, context);
      expect(unsupported.map((entry) => entry.kind)).toEqual(['search-pause', 'search-restart', 'kafka-restart', 'connect-restart', 'mysql-restart', 'network']);
      expect(unsupported[1]!.reason).toBe("the external provider's search is run by the user, not by converge: it cannot kill it");
      expect(unsupported[5]!.reason).toMatch(/Kafka clients connect to the broker address advertised in metadata/);

      // Struck anyway, they are recorded as not injected, with the same reasons; the others run.
      const nemesis = new Nemesis({ faults, context, origin: monotonicMs() });
      nemesis.start();
      await new Promise((resolve) => setTimeout(resolve, 200));
      const records = await nemesis.finish();
      expect(records.map((record) => record.state)).toEqual(['not-injected', 'not-injected', 'not-injected', 'not-injected', 'not-injected', 'not-injected', 'injected', 'injected']);
      expect(records.map((record) => (record.state === 'not-injected' ? record.reason : null)).slice(0, 6)).toEqual(unsupported.map((entry) => entry.reason));
      const response = await fetch(live.search.url);
      expect(response.ok).toBe(true);
    } finally {
      await closeProxies(proxies);
    }
  });
});
