// The Elasticsearch 8/9 adapter of the search port, on @elastic/elasticsearch 8.x's transport
// (the 8.x client speaks to 8 and 9 servers; it refuses engines that are not Elasticsearch).
import { Client } from '@elastic/elasticsearch';
import { RestSearchPort, clientTransport } from './rest-search-port.ts';

export function elasticsearchPort(url: string, version: string): RestSearchPort {
  const client = new Client({ node: url, requestTimeout: 30_000, maxRetries: 0 });
  // `meta: true` makes the client return the status with the body, as the OpenSearch client does.
  const transport = clientTransport(
    (params, options) => client.transport.request(params, { ...options, meta: true }),
    () => client.close(),
  );
  return new RestSearchPort('elasticsearch', version, transport);
}
