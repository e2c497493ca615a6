// The search port: what converge needs from a search engine (index, get, multi-get, delete with
// external versions, bulk, refresh, a sorted scan over one consistent snapshot), independent of the engine. Two
// adapters implement it: OpenSearch and Elasticsearch 8/9, each through its official client.

export type SearchDocument = Record<string, unknown>;

/** How a write's version is checked: external versions must grow (`external`) or not shrink (`external_gte`). */
export type VersionType = 'external' | 'external_gte';

export interface WriteOptions {
  version?: number;
  versionType?: VersionType;
  /** `wait_for` blocks until the change is searchable; `true` forces a refresh. Default none. */
  refresh?: boolean | 'wait_for';
  /** `create` fails when the id exists. Default `index`. */
  opType?: 'index' | 'create';
  ifSeqNo?: number;
  ifPrimaryTerm?: number;
}

export interface WriteResult {
  result: 'created' | 'updated' | 'deleted' | 'not_found' | 'noop';
  version: number;
  seqNo: number;
  primaryTerm: number;
}

export interface StoredDocument {
  id: string;
  source: SearchDocument;
  version: number;
  seqNo?: number;
  primaryTerm?: number;
}

export type BulkOperation =
  | { action: 'index'; index: string; id: string; doc: SearchDocument; version?: number; versionType?: VersionType }
  | { action: 'delete'; index: string; id: string; version?: number; versionType?: VersionType };

export interface BulkItemResult {
  id: string;
  action: 'index' | 'delete';
  status: number;
  result?: string;
  version?: number;
  /** Present when the item failed: the engine's error type and reason. */
  error?: { type: string; reason: string };
}

export interface ScanOptions {
  /** A numeric or keyword field to sort on (documents without it come last). */
  sortField: string;
  /** Page size (default 1000). */
  pageSize?: number;
}

export interface SearchPort {
  readonly engine: 'opensearch' | 'elasticsearch';
  readonly version: string;
  createIndex(index: string, body?: { settings?: Record<string, unknown>; mappings?: Record<string, unknown> }): Promise<void>;
  deleteIndex(index: string): Promise<void>;
  /** Add field mappings to an existing index (PUT _mapping); a field already mapped the same way is accepted again. */
  putMapping(index: string, mappings: Record<string, unknown>): Promise<void>;
  indexExists(index: string): Promise<boolean>;
  /** Throws VersionConflictError when the engine rejects the version or op type. */
  index(index: string, id: string, doc: SearchDocument, options?: WriteOptions): Promise<WriteResult>;
  /** A real-time GET; undefined when the document does not exist. */
  get(index: string, id: string): Promise<StoredDocument | undefined>;
  /**
   * Real-time GETs of several documents in one request (`_mget`): one entry per id, in the order
   * given, undefined where the document does not exist. One request whatever the number of ids:
   * callers chunk. Throws when the engine fails any of them.
   */
  mget(index: string, ids: readonly string[]): Promise<(StoredDocument | undefined)[]>;
  /** Throws VersionConflictError on a version conflict; `not_found` is a result, not an error. */
  delete(index: string, id: string, options?: WriteOptions): Promise<WriteResult>;
  bulk(operations: BulkOperation[], options?: { refresh?: boolean | 'wait_for' }): Promise<BulkItemResult[]>;
  refresh(index: string): Promise<void>;
  count(index: string): Promise<number>;
  /**
   * Every document of the index exactly once, from one consistent snapshot, in ascending `sortField`
   * order (documents sharing a value in any order), a page at a time (bounded memory). The engine's
   * cursor is released when the iteration ends, also when the consumer stops early.
   */
  scan(index: string, options: ScanOptions): AsyncIterable<StoredDocument>;
  close(): Promise<void>;
}
