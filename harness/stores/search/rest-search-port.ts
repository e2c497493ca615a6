// The search port over an engine's REST API. Both adapters share this code and differ only in the
// transport, which is their official client's (connection pool, serialisation, product checks).
import { VersionConflictError, searchErrorFor } from './search-errors.ts';
import type {
  BulkItemResult,
  BulkOperation,
  ScanOptions,
  SearchDocument,
  SearchPort,
  StoredDocument,
  WriteOptions,
  WriteResult,
} from './search-port.ts';

export interface TransportRequest {
  method: 'GET' | 'PUT' | 'POST' | 'DELETE' | 'HEAD';
  path: string;
  querystring?: Record<string, string | number | boolean>;
  body?: unknown;
  /** NDJSON lines for _bulk. */
  bulkBody?: unknown[];
}

export interface TransportResponse {
  statusCode: number;
  body: unknown;
}

/** Sends one request; never throws for an HTTP status, only for a connection failure. */
export interface SearchTransport {
  request(request: TransportRequest): Promise<TransportResponse>;
  close(): Promise<void>;
}

/** The transport of an official client: both clients take these request parameters and options. */
export type ClientRequest = (
  params: { method: string; path: string; querystring: Record<string, string | number | boolean>; body?: Record<string, unknown>; bulkBody?: Record<string, unknown>[] },
  options: { ignore: number[] },
) => Promise<{ statusCode?: number | null; body: unknown }>;

/** Statuses the port turns into results or errors itself; the clients must not throw on them. */
const HANDLED_STATUSES = [400, 404, 409, 429, 500, 502, 503, 504];

/** A SearchTransport over a client's own `transport.request`. */
export function clientTransport(request: ClientRequest, close: () => Promise<void>): SearchTransport {
  return {
    async request(req) {
      const response = await request(
        {
          method: req.method,
          path: req.path,
          querystring: req.querystring ?? {},
          ...(req.body !== undefined ? { body: req.body as Record<string, unknown> } : {}),
          ...(req.bulkBody ? { bulkBody: req.bulkBody as Record<string, unknown>[] } : {}),
        },
        { ignore: HANDLED_STATUSES },
      );
      return { statusCode: response.statusCode ?? 0, body: response.body };
    },
    close,
  };
}

const enc = encodeURIComponent;

/** The fields of each _bulk item the port reads (`filter_path`, which both engines take). */
const BULK_ITEM_FIELDS = ['_id', 'status', 'result', '_version', 'error.type', 'error.reason'].map((field) => `items.*.${field}`).join(',');

function writeQuery(options: WriteOptions): Record<string, string | number | boolean> {
  const query: Record<string, string | number | boolean> = {};
  if (options.version !== undefined) query.version = options.version;
  if (options.versionType) query.version_type = options.versionType;
  if (options.refresh !== undefined) query.refresh = options.refresh;
  if (options.opType) query.op_type = options.opType;
  if (options.ifSeqNo !== undefined) query.if_seq_no = options.ifSeqNo;
  if (options.ifPrimaryTerm !== undefined) query.if_primary_term = options.ifPrimaryTerm;
  return query;
}

/** How long the engine keeps a scan's scroll between two pages. */
const SCROLL_KEEP_ALIVE = '1m';

interface ScrollPage {
  _scroll_id?: string;
  hits: { hits: { _id: string; _source: SearchDocument; _version: number }[] };
}

interface WriteBody {
  result: WriteResult['result'];
  _version: number;
  _seq_no: number;
  _primary_term: number;
}

/** One document as a GET or an `_mget` entry returns it. */
interface GetBody {
  found?: boolean;
  _id: string;
  _source?: SearchDocument;
  _version: number;
  _seq_no?: number;
  _primary_term?: number;
}

function storedDocument(body: GetBody): StoredDocument | undefined {
  if (!body.found) return undefined;
  return {
    id: body._id,
    source: body._source ?? {},
    version: body._version,
    ...(body._seq_no !== undefined ? { seqNo: body._seq_no } : {}),
    ...(body._primary_term !== undefined ? { primaryTerm: body._primary_term } : {}),
  };
}

export class RestSearchPort implements SearchPort {
  constructor(
    readonly engine: 'opensearch' | 'elasticsearch',
    readonly version: string,
    private readonly transport: SearchTransport,
  ) {}

  private async call(request: TransportRequest, accept: number[] = []): Promise<TransportResponse> {
    let response: TransportResponse;
    try {
      response = await this.transport.request(request);
    } catch (error) {
      throw searchErrorFor(0, undefined, error);
    }
    if ((response.statusCode >= 200 && response.statusCode < 300) || accept.includes(response.statusCode)) return response;
    throw searchErrorFor(response.statusCode, response.body);
  }

  async createIndex(index: string, body: { settings?: Record<string, unknown>; mappings?: Record<string, unknown> } = {}): Promise<void> {
    await this.call({ method: 'PUT', path: `/${enc(index)}`, body });
  }

  async putMapping(index: string, mappings: Record<string, unknown>): Promise<void> {
    await this.call({ method: 'PUT', path: `/${enc(index)}/_mapping`, body: mappings });
  }

  async deleteIndex(index: string): Promise<void> {
    await this.call({ method: 'DELETE', path: `/${enc(index)}` }, [404]);
  }

  async indexExists(index: string): Promise<boolean> {
    const response = await this.call({ method: 'HEAD', path: `/${enc(index)}` }, [404]);
    return response.statusCode === 200;
  }

  private toWriteResult(index: string, id: string, response: TransportResponse): WriteResult {
    if (response.statusCode === 409) {
      const reason = (response.body as { error?: { reason?: string } }).error?.reason ?? 'conflict';
      throw new VersionConflictError(index, id, reason);
    }
    const body = response.body as WriteBody;
    return { result: body.result, version: body._version, seqNo: body._seq_no, primaryTerm: body._primary_term };
  }

  async index(index: string, id: string, doc: SearchDocument, options: WriteOptions = {}): Promise<WriteResult> {
    const response = await this.call({ method: 'PUT', path: `/${enc(index)}/_doc/${enc(id)}`, querystring: writeQuery(options), body: doc }, [409]);
    return this.toWriteResult(index, id, response);
  }

  async delete(index: string, id: string, options: WriteOptions = {}): Promise<WriteResult> {
    const response = await this.call({ method: 'DELETE', path: `/${enc(index)}/_doc/${enc(id)}`, querystring: writeQuery(options) }, [404, 409]);
    return this.toWriteResult(index, id, response);
  }

  async get(index: string, id: string): Promise<StoredDocument | undefined> {
    const response = await this.call({ method: 'GET', path: `/${enc(index)}/_doc/${enc(id)}`, querystring: { realtime: true } }, [404]);
    if (response.statusCode === 404) return undefined;
    return storedDocument(response.body as GetBody);
  }

  async mget(index: string, ids: readonly string[]): Promise<(StoredDocument | undefined)[]> {
    if (ids.length === 0) return [];
    const response = await this.call({ method: 'POST', path: `/${enc(index)}/_mget`, querystring: { realtime: true }, body: { ids } });
    const docs = (response.body as { docs: (GetBody & { error?: { type?: string; reason?: string } })[] }).docs;
    return docs.map((doc) => {
      // As for a single GET, a missing index holds no document; any other failure is the engine's.
      if (doc.error?.type === 'index_not_found_exception') return undefined;
      if (doc.error) throw searchErrorFor(response.statusCode, { error: doc.error });
      return storedDocument(doc);
    });
  }

  async bulk(operations: BulkOperation[], options: { refresh?: boolean | 'wait_for' } = {}): Promise<BulkItemResult[]> {
    if (operations.length === 0) return [];
    const lines: unknown[] = [];
    for (const op of operations) {
      const meta: Record<string, unknown> = { _index: op.index, _id: op.id };
      if (op.version !== undefined) meta.version = op.version;
      if (op.versionType) meta.version_type = op.versionType;
      lines.push({ [op.action]: meta });
      if (op.action === 'index') lines.push(op.doc);
    }
    // Only what a BulkItemResult holds comes back (no _index, _shards, _seq_no, _primary_term): on a
    // 2,000-item bulk the answer is less than half as long to send and to parse.
    const querystring: Record<string, string | number | boolean> = { filter_path: BULK_ITEM_FIELDS };
    if (options.refresh !== undefined) querystring.refresh = options.refresh;
    const response = await this.call({ method: 'POST', path: '/_bulk', querystring, bulkBody: lines });
    const items = (response.body as { items: Record<string, { _id: string; status: number; result?: string; _version?: number; error?: { type: string; reason: string } }>[] }).items;
    return items.map((item) => {
      const [action, detail] = Object.entries(item)[0]!;
      return {
        id: detail._id,
        action: action as 'index' | 'delete',
        status: detail.status,
        ...(detail.result !== undefined ? { result: detail.result } : {}),
        ...(detail._version !== undefined ? { version: detail._version } : {}),
        ...(detail.error ? { error: { type: detail.error.type, reason: detail.error.reason } } : {}),
      };
    });
  }

  async refresh(index: string): Promise<void> {
    await this.call({ method: 'POST', path: `/${enc(index)}/_refresh` });
  }

  async count(index: string): Promise<number> {
    const response = await this.call({ method: 'GET', path: `/${enc(index)}/_count` });
    return (response.body as { count: number }).count;
  }

  // A scroll sorted on `sortField`: one consistent snapshot of the index, each page continuing every
  // shard's cursor, so pages keep the global order and no document is skipped or repeated however
  // many share a sort value (search_after without a unique tiebreaker cannot promise that, `_id` is
  // not sortable on Elasticsearch 8 by default, and the point-in-time APIs of the two engines
  // differ). The scroll is cleared when the iteration ends, whether it ran out or was stopped.
  async *scan(index: string, options: ScanOptions): AsyncIterable<StoredDocument> {
    const size = options.pageSize ?? 1000;
    const body = { size, sort: [{ [options.sortField]: 'asc' }], version: true, query: { match_all: {} } };
    let response = await this.call({ method: 'POST', path: `/${enc(index)}/_search`, querystring: { scroll: SCROLL_KEEP_ALIVE }, body });
    let scrollId = (response.body as ScrollPage)._scroll_id;
    try {
      for (;;) {
        const page = response.body as ScrollPage;
        scrollId = page._scroll_id ?? scrollId;
        for (const hit of page.hits.hits) yield { id: hit._id, source: hit._source, version: hit._version };
        if (page.hits.hits.length === 0 || scrollId === undefined) return;
        response = await this.call({ method: 'POST', path: '/_search/scroll', body: { scroll: SCROLL_KEEP_ALIVE, scroll_id: scrollId } });
      }
    } finally {
      if (scrollId !== undefined) await this.call({ method: 'DELETE', path: '/_search/scroll', body: { scroll_id: [scrollId] } }, [404]).catch(() => undefined);
    }
  }

  close(): Promise<void> {
    return this.transport.close();
  }
}
