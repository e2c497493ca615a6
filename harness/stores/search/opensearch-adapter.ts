// The OpenSearch adapter of the search port, on @opensearch-project/opensearch's transport.
import { Client } from '@opensearch-project/opensearch';
import { RestSearchPort, type SearchTransport } from './rest-search-port.ts';

export function openSearchPort(url: string, version: string): RestSearchPort {
  const client = new Client({ node: url, requestTimeout: 30_000, maxRetries: 0 });
  const transport: SearchTransport = {
    async request(request) {
      const response = await client.transport.request(
        {
          method: request.method,
          path: request.path,
          querystring: request.querystring ?? {},
          ...(request.body !== undefined ? { body: request.body as Record<string, unknown> } : {}),
          ...(request.bulkBody ? { bulkBody: request.bulkBody as Record<string, unknown>[] } : {}),
        },
        { ignore: [400, 404, 409, 429, 500, 502, 503, 504] },
      );
      return { statusCode: response.statusCode ?? 0, body: response.body };
    },
    close: () => client.close(),
  };
  return new RestSearchPort('opensearch', version, transport);
}
