// Opens the search port for an endpoint. The engine is detected from the root endpoint (OpenSearch
// says `version.distribution: opensearch`), never configured twice.
import { ConfigError } from '../../errors.ts';
import { elasticsearchPort } from './elasticsearch-adapter.ts';
import { openSearchPort } from './opensearch-adapter.ts';
import type { SearchPort } from './search-port.ts';

export interface EngineInfo {
  engine: 'opensearch' | 'elasticsearch';
  version: string;
}

export function detectEngine(root: unknown): EngineInfo {
  const version = (root as { version?: { number?: string; distribution?: string } }).version;
  if (!version?.number) throw new ConfigError(`the search endpoint's root answer has no version.number: ${JSON.stringify(root).slice(0, 200)}`);
  return { engine: version.distribution === 'opensearch' ? 'opensearch' : 'elasticsearch', version: version.number };
}

export async function connectSearch(url: string): Promise<SearchPort> {
  let root: unknown;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    root = await response.json();
  } catch (error) {
    throw new ConfigError(`search engine at ${url} did not answer its root endpoint`, { cause: error });
  }
  const info = detectEngine(root);
  return info.engine === 'opensearch' ? openSearchPort(url, info.version) : elasticsearchPort(url, info.version);
}
