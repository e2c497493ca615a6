// converge: the convergence check — a streaming merge-join of the MySQL table (projected, ascending
// id) and the index, keyed by each document's `_id`, counting missing, extra and mismatched
// documents with sample ids. The index is scanned in ascending `_source.id` order (the engine cannot
// sort on `_id` everywhere), so a document whose `_id` and `_source.id` disagree arrives out of
// place: it is "misplaced", and judged on its own against MySQL's row `_id` (fetched through
// `lookupRow`): mismatched (field `id` differs, at least) if that row exists, else extra. The join's
// counts stay exact: a row the join already counted missing is taken back, a row ahead of the join
// is claimed so the join does not count it again. A document whose `_id` is not a row id (a
// canonical positive integer) is extra, sampled apart as a string. Memory: one document from each
// side at a time, plus the samples, plus one number per misplaced document ahead of the join.
import { projectRow, type Doc, type Row } from '../scenario/projection.ts';
import type { Entity } from '../scenario/schema.ts';
import { normaliseValue } from '../scenario/values.ts';
import { DocShape, docId } from './doc-shape.ts';

/** One index document as the engine holds it: its `_id` and its `_source`. */
export interface IndexDoc {
  readonly id: string;
  readonly source: Readonly<Record<string, unknown>>;
}

export interface ConvergenceOptions {
  /** Sample ids kept per kind (missing, extra, mismatched). Default 20. */
  readonly sampleLimit?: number;
  /** Fields a strategy adds to index documents that are not compared. Default none. */
  readonly ignoreFields?: readonly string[];
  /** Called with every index document, in scan order (lets another check share the one index scan). */
  readonly onIndexDoc?: (doc: IndexDoc) => void;
  /**
   * MySQL's row `id`, projected (null when there is none): how a misplaced document is judged.
   * Without it, a misplaced document makes compareStores throw MisplacedDocumentError.
   */
  readonly lookupRow?: (id: number) => Promise<Doc | null> | Doc | null;
}

export interface ConvergenceReport {
  readonly converged: boolean;
  /** Rows read from MySQL. */
  readonly rows: number;
  /** Documents read from the index. */
  readonly docs: number;
  /** In MySQL, not in the index (no document with that `_id`). */
  readonly missing: number;
  /** In the index, not in MySQL (orphans), including documents whose `_id` is no row id at all. */
  readonly extra: number;
  /** In both, with different fields (a document whose `_source.id` is not its `_id` differs in `id`). */
  readonly mismatched: number;
  /** Documents met out of `_id` order (their `_source.id` is not their `_id`), each judged by lookup. */
  readonly misplaced: number;
  readonly sampleIds: {
    readonly missing: number[];
    readonly extra: number[];
    readonly mismatched: number[];
    /** Extra documents whose `_id` is not a canonical positive integer, as the engine spells it. */
    readonly extraNonNumeric: string[];
  };
  /** For the sampled mismatches: which fields differ. */
  readonly mismatchedFields: { readonly id: number; readonly fields: string[] }[];
}

/** MySQL's ids were not strictly ascending: the comparison would be wrong, so it stops. */
export class UnsortedInputError extends Error {
  override readonly name = 'UnsortedInputError';
}

/** A document arrived out of `_id` order and no `lookupRow` was given to judge it. */
export class MisplacedDocumentError extends Error {
  override readonly name = 'MisplacedDocumentError';
}

type Source<T> = AsyncIterable<T> | Iterable<T>;

const ROW_ID = /^[1-9][0-9]*$/;

/** The row id an index `_id` names: a canonical positive integer within ±2^53, else null. */
export function rowKey(id: string): number | null {
  if (!ROW_ID.test(id)) return null;
  const key = Number(id);
  return Number.isSafeInteger(key) ? key : null;
}

/** Index documents as the engine would key them when a strategy keys each by its `id` (tests, benches). */
export function* keyedById(docs: Iterable<Doc>): Generator<IndexDoc> {
  for (const doc of docs) yield { id: String(doc.id), source: doc };
}

async function* ascending(source: Source<Doc>): AsyncGenerator<Doc> {
  let last = -Infinity;
  for await (const doc of source) {
    const id = docId(doc);
    if (!Number.isFinite(id) || id <= last) throw new UnsortedInputError(`MySQL ids must be strictly ascending numbers: ${id} after ${last}`);
    last = id;
    yield doc;
  }
}

/** Projects MySQL rows into the documents the index should hold, lazily. */
export async function* projectRows(entity: Entity, rows: Source<Row>): AsyncGenerator<Doc> {
  for await (const row of rows) yield projectRow(entity, row);
}

function iterate<T>(source: Source<T>): AsyncIterator<T> | Iterator<T> {
  return Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : source[Symbol.iterator]();
}

/**
 * Compares `mysql` (documents already projected, e.g. via projectRows, ascending id) with `index`
 * (documents in ascending `_source.id` order, as the engine's scan returns them). Throws
 * UnsortedInputError when MySQL's side is out of order. Both sides are closed when it returns or throws.
 */
export async function compareStores(
  entity: Entity,
  mysql: Source<Doc>,
  index: Source<IndexDoc>,
  options: ConvergenceOptions = {},
): Promise<ConvergenceReport> {
  const limit = options.sampleLimit ?? 20;
  const shape = new DocShape(entity, options.ignoreFields);
  const a = ascending(mysql);
  const b = iterate(index);
  const counts = { rows: 0, docs: 0, missing: 0, extra: 0, mismatched: 0, misplaced: 0 };
  const sampleIds = { missing: [] as number[], extra: [] as number[], mismatched: [] as number[], extraNonNumeric: [] as string[] };
  const mismatchedFields: { id: number; fields: string[] }[] = [];
  const note = (kind: 'missing' | 'extra' | 'mismatched', id: number): void => {
    counts[kind]++;
    if (sampleIds[kind].length < limit) sampleIds[kind].push(id);
  };
  const judge = (id: number, expected: Doc, actual: Readonly<Record<string, unknown>>): void => {
    const fields = shape.diff(expected, actual);
    if (fields.length === 0) return;
    if (mismatchedFields.length < limit) mismatchedFields.push({ id, fields });
    note('mismatched', id);
  };
  // Rows ahead of the join already judged against a misplaced document with their `_id`.
  const claimed = new Set<number>();
  const nextRow = async (): Promise<IteratorResult<Doc>> => {
    const r = await a.next();
    if (!r.done) counts.rows++;
    return r;
  };
  try {
    let x = await nextRow();
    // Every row before `x` has been judged (matched, missing or claimed); `x` has not.
    const passRow = async (): Promise<void> => {
      const id = docId((x as IteratorYieldResult<Doc>).value);
      if (!claimed.delete(id)) note('missing', id);
      x = await nextRow();
    };
    const misplaced = async (key: number, doc: IndexDoc): Promise<void> => {
      counts.misplaced++;
      if (options.lookupRow === undefined) throw new MisplacedDocumentError(`index document _id ${key} arrived out of order (its id field is ${JSON.stringify(doc.source.id)}) and no lookupRow was given`);
      const row = await options.lookupRow(key);
      if (row === null) return note('extra', key);
      if (x.done || key < docId(x.value)) {
        // The join passed row `key` and, with no document of that `_id` then, counted it missing.
        counts.missing--;
        const at = sampleIds.missing.indexOf(key);
        if (at >= 0) sampleIds.missing.splice(at, 1);
      } else {
        claimed.add(key);
      }
      judge(key, row, doc.source);
    };
    let lastInPlace = 0;
    for (let y = await b.next(); !y.done; y = await b.next()) {
      const doc = y.value;
      counts.docs++;
      options.onIndexDoc?.(doc);
      const key = rowKey(doc.id);
      if (key === null) {
        counts.extra++;
        if (sampleIds.extraNonNumeric.length < limit) sampleIds.extraNonNumeric.push(doc.id);
        continue;
      }
      if (normaliseValue('bigint', doc.source.id) !== key || key <= lastInPlace) {
        await misplaced(key, doc);
        continue;
      }
      lastInPlace = key;
      while (!x.done && docId(x.value) < key) await passRow();
      if (!x.done && docId(x.value) === key) {
        judge(key, x.value, doc.source);
        x = await nextRow();
      } else {
        note('extra', key);
      }
    }
    while (!x.done) await passRow();
  } finally {
    await Promise.all([a.return(undefined), b.return?.(undefined)]);
  }
  // Misplaced documents are judged out of id order: samples are shown in id order all the same.
  for (const list of [sampleIds.missing, sampleIds.extra, sampleIds.mismatched]) list.sort((p, q) => p - q);
  mismatchedFields.sort((p, q) => p.id - q.id);
  const converged = counts.missing === 0 && counts.extra === 0 && counts.mismatched === 0;
  return { converged, ...counts, sampleIds, mismatchedFields };
}
