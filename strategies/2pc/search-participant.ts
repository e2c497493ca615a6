// The search engine as the second 2PC participant. It has no prepare of its own, so one is built
// from a staging index beside the real one:
// - prepare: the projected document is written to the staging index under the transaction's xid
//   (`op_type=create`). The staging index has the real index's mapping, so the engine itself
//   validates the document there: one it would refuse in the real index (a value out of an integer
//   field's range) is refused at prepare, and the transaction aborts. The write is acknowledged
//   after the engine's translog is fsync'd (`index.translog.durability: request`, set explicitly):
//   a staged document survives a crash of either side. It need not be searchable: phase 2 and
//   recovery read it by id (real-time GET), and listing the staging index refreshes it first.
// - commit: the document is applied to the real index with the row's version as the external
//   version (a delete with `external_gte` of the deleted row's version), so a repeat or a late
//   apply never moves a document backwards; then the staged document is dropped.
// - abort: the staged document is dropped.
// Readers of the real index never see an uncommitted value: nothing reaches it before the COMMIT
// decision is durable in the decision log.
import { INDEX_SETTINGS, indexMappings } from '../../harness/entity/index-mapping.ts';
import type { Entity } from '../../harness/scenario/schema.ts';
import { VersionConflictError } from '../../harness/stores/search/search-errors.ts';
import type { SearchDocument, SearchPort } from '../../harness/stores/search/search-port.ts';
import type { IndexAction } from './decision-log-sql.ts';

/** The staging index beside a real index. */
export function stagingIndexName(index: string): string {
  return `${index}-2pc-staging`;
}

/** What phase 2 applies to the real index for one transaction. */
export interface ApplyTarget {
  rowId: number;
  action: IndexAction;
  /** The row's version after the write (for a delete: the deleted row's). */
  version: number;
  /** The projected document (absent for a delete). */
  doc?: SearchDocument;
}

export class SearchParticipant {
  readonly staging: string;

  constructor(
    private readonly search: SearchPort,
    private readonly entity: Entity,
    readonly index: string,
  ) {
    this.staging = stagingIndexName(index);
  }

  /** The staging index, afresh, with the real index's mapping; staged documents are durable once acknowledged. */
  async createStaging(): Promise<void> {
    await this.search.deleteIndex(this.staging);
    await this.search.createIndex(this.staging, {
      settings: { ...INDEX_SETTINGS, refresh_interval: '-1', translog: { durability: 'request' } },
      mappings: indexMappings(this.entity),
    });
  }

  /** Whether the staging index exists; drops it. */
  async dropStaging(): Promise<boolean> {
    const existed = await this.search.indexExists(this.staging);
    await this.search.deleteIndex(this.staging);
    return existed;
  }

  /** Prepare: stage `doc` under `xid`. A document already staged under it (a repeat) counts as staged. Throws the engine's refusal. */
  async prepare(xid: string, doc: SearchDocument): Promise<void> {
    try {
      await this.search.index(this.staging, xid, doc, { opType: 'create' });
    } catch (error) {
      if (!(error instanceof VersionConflictError)) throw error;
    }
  }

  /** The document staged under `xid`, if any. */
  async staged(xid: string): Promise<SearchDocument | undefined> {
    return (await this.search.get(this.staging, xid))?.source;
  }

  /** Commit, first half: apply to the real index. Resolves to 'superseded' when this version or a later one was there already. */
  async apply(target: ApplyTarget): Promise<'applied' | 'superseded'> {
    const id = String(target.rowId);
    try {
      if (target.action === 'delete') await this.search.delete(this.index, id, { version: target.version, versionType: 'external_gte' });
      else await this.search.index(this.index, id, target.doc ?? {}, { version: target.version, versionType: 'external' });
      return 'applied';
    } catch (error) {
      if (error instanceof VersionConflictError) return 'superseded';
      throw error;
    }
  }

  /** Commit, second half, or abort: drop what was staged under `xid` (nothing there is fine). */
  async dropStaged(xid: string): Promise<void> {
    await this.search.delete(this.staging, xid);
  }

  /** The xids with a staged document (the staging index refreshed first, so none is missed). */
  async stagedXids(): Promise<string[]> {
    if (!(await this.search.indexExists(this.staging))) return [];
    await this.search.refresh(this.staging);
    const xids: string[] = [];
    for await (const doc of this.search.scan(this.staging, { sortField: 'id' })) xids.push(doc.id);
    return xids;
  }

  /** Staged documents left (0 at the end of a run); null when the staging index is gone. */
  async stagedCount(): Promise<number | null> {
    if (!(await this.search.indexExists(this.staging))) return null;
    await this.search.refresh(this.staging);
    return this.search.count(this.staging);
  }
}
