// network: switch the proxy between the worker and one service to latency, drop or reset for the
// fault's duration (see tcp-proxy.ts for what each mode does on the wire); healed by putting the
// proxy back to pass-through. Kafka cannot be cut this way (see proxied-endpoints.ts).
import type { FaultKind } from '../fault-kind.ts';
import { KAFKA_PROXY_REASON } from '../proxied-endpoints.ts';
import type { ProxyMode } from '../tcp-proxy.ts';

export const network: FaultKind<'network'> = {
  kind: 'network',
  unsupported(context, spec) {
    if (spec.target === 'kafka') return KAFKA_PROXY_REASON;
    return context.proxies[spec.target] ? null : `the run put no proxy between its worker and ${spec.target}`;
  },
  inject(context, spec) {
    const proxy = context.proxies[spec.target as Exclude<typeof spec.target, 'kafka'>]!;
    const mode: ProxyMode =
      spec.mode === 'latency' ? { mode: 'latency', latencyMs: spec.latencyMs!, ...(spec.jitterMs !== undefined ? { jitterMs: spec.jitterMs } : {}) } : { mode: spec.mode };
    const open = proxy.openConnections;
    proxy.setMode(mode);
    return Promise.resolve({
      detail: `proxy to ${spec.target} in mode ${spec.mode}${spec.mode === 'latency' ? ` (${spec.latencyMs} ms + up to ${spec.jitterMs ?? 0} ms jitter)` : ''}; ${open} connection${open === 1 ? '' : 's'} open`,
      heal: () => {
        const started = performance.now();
        proxy.setMode({ mode: 'pass' });
        return Promise.resolve({ waitedFor: 'the proxy back to pass-through', healMs: Math.round(performance.now() - started), errors: [] });
      },
    });
  },
};
