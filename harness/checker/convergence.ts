// converge: the convergence check — a streaming merge-join of the MySQL table (projected) and the
// index, both in ascending numeric id order, counting missing, extra and mismatched documents with
// sample ids. Memory is bounded: one document from each side at a time, plus the samples.
import { projectRow, type Doc, type Row } from '../scenario/projection.ts';
import type { Entity } from '../scenario/schema.ts';
import { DocShape, docId } from './doc-shape.ts';

export interface ConvergenceOptions {
  /** Sample ids kept per kind (missing, extra, mismatched). Default 20. */
  readonly sampleLimit?: number;
  /** Fields a strategy adds to index documents that are not compared. Default none. */
  readonly ignoreFields?: readonly string[];
  /** Called with every index document, in order (lets another check share the one index scan). */
  readonly onIndexDoc?: (doc: Doc) => void;
}

export interface ConvergenceReport {
  readonly converged: boolean;
  /** Rows read from MySQL. */
  readonly rows: number;
  /** Documents read from the index. */
  readonly docs: number;
  /** In MySQL, not in the index. */
  readonly missing: number;
  /** In the index, not in MySQL (orphans). */
  readonly extra: number;
  /** In both, with different fields. */
  readonly mismatched: number;
  readonly sampleIds: { readonly missing: number[]; readonly extra: number[]; readonly mismatched: number[] };
  /** For the sampled mismatches: which fields differ. */
  readonly mismatchedFields: { readonly id: number; readonly fields: string[] }[];
}

/** A side's ids were not strictly ascending: the comparison would be wrong, so it stops. */
export class UnsortedInputError extends Error {
  override readonly name = 'UnsortedInputError';
}

type Source<T> = AsyncIterable<T> | Iterable<T>;

async function* ascending(side: string, source: Source<Doc>): AsyncGenerator<Doc> {
  let last = -Infinity;
  for await (const doc of source) {
    const id = docId(doc);
    if (!Number.isFinite(id) || id <= last) throw new UnsortedInputError(`${side} ids must be strictly ascending numbers: ${id} after ${last}`);
    last = id;
    yield doc;
  }
}

/** Projects MySQL rows into the documents the index should hold, lazily. */
export async function* projectRows(entity: Entity, rows: Source<Row>): AsyncGenerator<Doc> {
  for await (const row of rows) yield projectRow(entity, row);
}

/**
 * Compares `mysql` (documents already projected, e.g. via projectRows) with `index`, both sorted by
 * ascending numeric id. Throws UnsortedInputError when either side is out of order.
 */
export async function compareStores(
  entity: Entity,
  mysql: Source<Doc>,
  index: Source<Doc>,
  options: ConvergenceOptions = {},
): Promise<ConvergenceReport> {
  const limit = options.sampleLimit ?? 20;
  const shape = new DocShape(entity, options.ignoreFields);
  const a = ascending('MySQL', mysql);
  const b = ascending('index', index);
  const counts = { rows: 0, docs: 0, missing: 0, extra: 0, mismatched: 0 };
  const sampleIds = { missing: [] as number[], extra: [] as number[], mismatched: [] as number[] };
  const mismatchedFields: { id: number; fields: string[] }[] = [];
  const note = (kind: 'missing' | 'extra' | 'mismatched', id: number): void => {
    counts[kind]++;
    if (sampleIds[kind].length < limit) sampleIds[kind].push(id);
  };
  const nextA = async (): Promise<IteratorResult<Doc>> => {
    const r = await a.next();
    if (!r.done) counts.rows++;
    return r;
  };
  const nextB = async (): Promise<IteratorResult<Doc>> => {
    const r = await b.next();
    if (!r.done) {
      counts.docs++;
      options.onIndexDoc?.(r.value);
    }
    return r;
  };
  let x = await nextA();
  let y = await nextB();
  while (!x.done || !y.done) {
    if (y.done || (!x.done && docId(x.value) < docId(y.value))) {
      note('missing', docId((x as IteratorYieldResult<Doc>).value));
      x = await nextA();
    } else if (x.done || docId(y.value) < docId(x.value)) {
      note('extra', docId(y.value));
      y = await nextB();
    } else {
      const fields = shape.diff(x.value, y.value);
      if (fields.length > 0) {
        if (mismatchedFields.length < limit) mismatchedFields.push({ id: docId(x.value), fields });
        note('mismatched', docId(x.value));
      }
      [x, y] = [await nextA(), await nextB()];
    }
  }
  const converged = counts.missing === 0 && counts.extra === 0 && counts.mismatched === 0;
  return { converged, ...counts, sampleIds, mismatchedFields };
}
