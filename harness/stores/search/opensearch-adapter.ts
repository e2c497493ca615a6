// The OpenSearch adapter of the search port, on @opensearch-project/opensearch's transport.
import { Client } from '@opensearch-project/opensearch';
import { RestSearchPort, clientTransport } from './rest-search-port.ts';

export function openSearchPort(url: string, version: string): RestSearchPort {
  const client = new Client({ node: url, requestTimeout: 30_000, maxRetries: 0 });
  const transport = clientTransport(
    (params, options) => client.transport.request(params, options),
    () => client.close(),
  );
  return new RestSearchPort('opensearch', version, transport);
}
