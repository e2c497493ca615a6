// The Elasticsearch 8/9 adapter of the search port, on @elastic/elasticsearch 8.x's transport
// (the 8.x client speaks to 8 and 9 servers; it refuses engines that are not Elasticsearch).
import { Client } from '@elastic/elasticsearch';
import { RestSearchPort, type SearchTransport } from './rest-search-port.ts';

export function elasticsearchPort(url: string, version: string): RestSearchPort {
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
        { ignore: [400, 404, 409, 429, 500, 502, 503, 504], meta: true },
      );
      return { statusCode: response.statusCode ?? 0, body: response.body };
    },
    close: () => client.close(),
  };
  return new RestSearchPort('elasticsearch', version, transport);
}
