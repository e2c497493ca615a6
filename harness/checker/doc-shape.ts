// converge: how two documents of one entity are compared — both brought to canonical form through
// the projection's field kinds (see scenario/values.ts normaliseValue), then field by field. A
// missing field equals null; a field outside the projection is a difference unless ignored.
import { createHash } from 'node:crypto';
import { docFieldKinds, type Doc } from '../scenario/projection.ts';
import type { Entity } from '../scenario/schema.ts';
import { normaliseValue, type FieldKind } from '../scenario/values.ts';

function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export class DocShape {
  readonly kinds: ReadonlyMap<string, FieldKind>;
  readonly #ignore: ReadonlySet<string>;

  /** `ignoreFields`: fields a strategy may add to index documents that are not compared. */
  constructor(entity: Entity, ignoreFields: readonly string[] = []) {
    this.kinds = docFieldKinds(entity);
    this.#ignore = new Set(ignoreFields);
  }

  /** The canonical form: every projected field (null when missing), plus unknown non-null fields. */
  normalise(doc: Readonly<Record<string, unknown>>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [field, kind] of this.kinds) out[field] = normaliseValue(kind, doc[field]);
    for (const [field, value] of Object.entries(doc)) {
      if (!this.kinds.has(field) && !this.#ignore.has(field) && value !== null && value !== undefined) out[field] = value;
    }
    return out;
  }

  /** Names of the fields whose canonical values differ, sorted; empty when the documents agree. */
  diff(expected: Readonly<Record<string, unknown>>, actual: Readonly<Record<string, unknown>>): string[] {
    const a = this.normalise(expected);
    const b = this.normalise(actual);
    const fields = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...fields].filter((f) => canonicalJson(a[f] ?? null) !== canonicalJson(b[f] ?? null)).sort();
  }

  /** A short digest of the canonical form: equal digests ⇔ documents that compare equal. */
  fingerprint(doc: Readonly<Record<string, unknown>>): string {
    return createHash('sha1').update(canonicalJson(this.normalise(doc))).digest('base64');
  }
}

/** The `id` of a document as a number (index `_id`s arrive as strings). */
export function docId(doc: Doc | Readonly<Record<string, unknown>>): number {
  return Number(doc.id);
}
