// The search port against the real engine: index, real-time get and multi-get, external versions
// that reject stale writes, delete seen, bulk, and a sorted scan that returns every document once —
// also when many share a sort value across page boundaries on several shards — and releases its scroll.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectSearch } from '../../harness/stores/search/connect-search.ts';
import { VersionConflictError } from '../../harness/stores/search/search-errors.ts';
import type { SearchPort } from '../../harness/stores/search/search-port.ts';

const endpoints = inject('endpoints');
const index = `it-search-${randomUUID().slice(0, 8)}`;
let search: SearchPort;

beforeAll(async () => {
  search = await connectSearch(endpoints.search.url);
  await search.createIndex(index, { mappings: { properties: { id: { type: 'long' }, name: { type: 'keyword' } } } });
});

afterAll(async () => {
  await search.deleteIndex(index);
  await search.close();
});

describe('search port on the local engine', () => {
  it('detects the engine from the root endpoint', () => {
    expect(search.engine).toBe(endpoints.search.engine);
    expect(search.version).toBe(endpoints.search.version);
  });

  it('reads back an indexed document and sees its delete', async () => {
    const written = await search.index(index, '1', { id: 1, name: 'first' });
    expect(written.result).toBe('created');
    expect((await search.get(index, '1'))?.source).toEqual({ id: 1, name: 'first' });
    const deleted = await search.delete(index, '1');
    expect(deleted.result).toBe('deleted');
    expect(await search.get(index, '1')).toBeUndefined();
    expect((await search.delete(index, '1')).result).toBe('not_found');
  });

  it('rejects a stale external version and keeps the newer document', async () => {
    await search.index(index, '2', { id: 2, name: 'v5' }, { version: 5, versionType: 'external' });
    await expect(search.index(index, '2', { id: 2, name: 'v4' }, { version: 4, versionType: 'external' })).rejects.toBeInstanceOf(VersionConflictError);
    await expect(search.index(index, '2', { id: 2, name: 'v5-again' }, { version: 5, versionType: 'external' })).rejects.toBeInstanceOf(VersionConflictError);
    const stored = await search.get(index, '2');
    expect(stored?.source.name).toBe('v5');
    expect(stored?.version).toBe(5);
    await expect(search.delete(index, '2', { version: 3, versionType: 'external' })).rejects.toBeInstanceOf(VersionConflictError);
    expect((await search.delete(index, '2', { version: 6, versionType: 'external' })).result).toBe('deleted');
    // A late write older than the versioned delete must not resurrect the document.
    await expect(search.index(index, '2', { id: 2, name: 'late' }, { version: 5, versionType: 'external' })).rejects.toBeInstanceOf(VersionConflictError);
    expect(await search.get(index, '2')).toBeUndefined();
  });

  it('multi-gets documents in real time, in the order asked, undefined where absent', async () => {
    expect(await search.mget(index, [])).toEqual([]);
    // No refresh: a real-time multi-get must see writes a search would not yet.
    await search.index(index, '300', { id: 300, name: 'a' }, { version: 4, versionType: 'external' });
    await search.index(index, '301', { id: 301, name: 'b' });
    const docs = await search.mget(index, ['301', '399', '300']);
    expect(docs.map((doc) => doc?.source)).toEqual([{ id: 301, name: 'b' }, undefined, { id: 300, name: 'a' }]);
    expect(docs[2]?.version).toBe(4);
    await search.delete(index, '301');
    expect((await search.mget(index, ['301', '300'])).map((doc) => doc?.id)).toEqual([undefined, '300']);
    // As a single GET does, a missing index holds no document.
    expect(await search.mget(`${index}-missing`, ['1', '2'])).toEqual([undefined, undefined]);
    await search.delete(index, '300', { version: 5, versionType: 'external' });
  });

  it('applies a bulk request item by item and scans every document in id order', async () => {
    const ids = Array.from({ length: 25 }, (_, i) => 100 + i);
    const results = await search.bulk(
      ids.map((id) => ({ action: 'index' as const, index, id: String(id), doc: { id, name: `n${id}` }, version: 1, versionType: 'external' as const })),
    );
    expect(results.every((result) => result.status === 201)).toBe(true);
    const again = await search.bulk([{ action: 'index', index, id: '100', doc: { id: 100, name: 'stale' }, version: 1, versionType: 'external' }], { refresh: true });
    expect(again[0]?.status).toBe(409);
    expect(again[0]?.error?.type).toBe('version_conflict_engine_exception');
    const seen: number[] = [];
    for await (const doc of search.scan(index, { sortField: 'id', pageSize: 7 })) seen.push(doc.source.id as number);
    expect(seen).toEqual(ids);
    expect(await search.count(index)).toBe(25);
  });

  it('scans every document exactly once when many share the sort value, on 3 shards, in pages of 4', async () => {
    const sharded = `${index}-ties`;
    await search.createIndex(sharded, { settings: { number_of_shards: 3, number_of_replicas: 0 }, mappings: { properties: { id: { type: 'long' } } } });
    try {
      // 60 documents, only 6 distinct sort values: every page boundary falls inside a run of ties.
      const docs = Array.from({ length: 60 }, (_, i) => ({ key: `k${i}`, sort: i % 6 }));
      await search.bulk(docs.map((d) => ({ action: 'index' as const, index: sharded, id: d.key, doc: { id: d.sort } })), { refresh: true });
      const seen: { key: string; sort: number }[] = [];
      for await (const doc of search.scan(sharded, { sortField: 'id', pageSize: 4 })) seen.push({ key: doc.id, sort: doc.source.id as number });
      expect(seen.map((d) => d.key).sort()).toEqual(docs.map((d) => d.key).sort());
      expect(seen.map((d) => d.sort)).toEqual([...seen.map((d) => d.sort)].sort((a, b) => a - b));
      // A consumer that stops early releases the engine's scroll.
      for await (const doc of search.scan(sharded, { sortField: 'id', pageSize: 4 })) if (doc.id !== '') break;
      expect(await openScrolls(sharded)).toBe(0);
    } finally {
      await search.deleteIndex(sharded);
    }
  });
});

/** Scroll contexts the engine holds open on `name` (its search stats). */
async function openScrolls(name: string): Promise<number> {
  const response = await fetch(`${endpoints.search.url}/${name}/_stats/search`);
  const body = (await response.json()) as { _all: { total: { search: { scroll_current: number } } } };
  return body._all.total.search.scroll_current;
}
