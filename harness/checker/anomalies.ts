// converge: anomalies over the reads of a history (each `read` saw the index for one key), and
// over the final index snapshot. Definitions (t = monotonic time; an `unknown` write completes at ∞):
// - dirty read: the read saw a document that neither the seed nor any `ok` write (its returned row)
//   nor any `unknown` insert (its values, version 1) produced for that key. If the key has an
//   `unknown` update or increment, whose row nobody saw, the read is counted `unverifiable` instead.
// - resurrection: the read saw the key present although an `ok` delete of it (one that removed a
//   row) completed before the read began, a read that began after that delete saw it absent and
//   completed before this read began, and no insert of it (not failed) completed after the delete
//   began and began before this read ended. Also: a key present in the final index snapshot whose
//   last such delete has no insert after it.
// - version regression: the read saw a lower version than a read of the same key that completed
//   before this one began.
// - stale read: the read saw less than the latest state acknowledged before it began. States are
//   numbered by version; a delete of version v is state v + 1, absence before any write is state 0.
//   Absence counts as stale only if no delete (not failed) began before the read ended. Measured in
//   states behind and in ms since the first state it missed was acknowledged.
// Each read counts under at most one anomaly, the first that applies in that order. Regressions and
// staleness are judged only on keys with one lifetime (seeded or inserted once, never re-inserted),
// since a re-insert starts versions at 1 again; other keys are counted in `unjudgedKeys`.
// Memory is O(operations) of numbers and one digest per written row state; documents are not kept.
import { projectRow, type Doc, type Row } from '../scenario/projection.ts';
import type { Entity } from '../scenario/schema.ts';
import { readValueSchema, type HistoryEntry } from '../history/entry.ts';
import type { Percentiles } from '../results/schema.ts';
import { DocShape, docId } from './doc-shape.ts';
import { PercentileRecorder } from './percentiles.ts';

export const ANOMALY_KINDS = ['dirtyReads', 'resurrections', 'versionRegressions', 'staleReads'] as const;
export type AnomalyKind = (typeof ANOMALY_KINDS)[number];

/** One anomaly: the key, and the history index of the read's completion (null: final snapshot). */
export interface AnomalySample {
  readonly id: number;
  readonly read: number | null;
}

export interface AnomalyReport {
  /** Reads that completed ok and were judged. */
  readonly reads: number;
  readonly dirtyReads: number;
  readonly resurrections: number;
  readonly versionRegressions: number;
  readonly staleReads: number;
  readonly staleness: { readonly versions: Percentiles; readonly ms: Percentiles };
  readonly unverifiableReads: number;
  readonly unjudgedKeys: number;
  /** Up to `sampleLimit` anomalies of each kind, in key then history order. */
  readonly samples: Readonly<Record<AnomalyKind, readonly AnomalySample[]>>;
}

/** The history is not a well-formed sequence of invocations and completions. */
export class MalformedHistoryError extends Error {
  override readonly name = 'MalformedHistoryError';
}

interface WriteRec {
  readonly kind: 'insert' | 'update' | 'increment' | 'delete';
  readonly type: 'ok' | 'fail' | 'unknown';
  readonly invoke: number;
  readonly complete: number;
  readonly version: number | null;
}

interface ReadRec {
  readonly index: number;
  readonly invoke: number;
  readonly complete: number;
  readonly found: boolean;
  readonly version: number | null;
  readonly fingerprint: string | null;
}

interface KeyState {
  seeded: boolean;
  wildcard: boolean;
  readonly legit: Set<string>;
  readonly writes: WriteRec[];
  readonly reads: ReadRec[];
}

/** Index of the first element of `sorted` (ascending by `key`) whose key is >= `t`. */
function lowerBound<T>(sorted: readonly T[], t: number, key: (x: T) => number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (key(sorted[mid] as T) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function prefixMax(values: readonly number[]): number[] {
  const out: number[] = [];
  let max = -Infinity;
  for (const v of values) out.push((max = Math.max(max, v)));
  return out;
}

const alive = (w: WriteRec): boolean => w.type !== 'fail';

export interface AnomalyOptions {
  /** Samples kept per anomaly kind. Default 20. */
  readonly sampleLimit?: number;
  /** Fields a strategy adds to index documents that are not compared. */
  readonly ignoreFields?: readonly string[];
}

/**
 * Feed it the history (`add` each entry in file order, or `consume`), then the final index snapshot
 * (`observeFinal` each document, e.g. through compareStores' `onIndexDoc`), then ask for `report()`.
 */
export class AnomalyChecker {
  readonly #entity: Entity;
  readonly #shape: DocShape;
  readonly #limit: number;
  readonly #keys = new Map<number, KeyState>();
  readonly #pending = new Map<number, HistoryEntry>();
  readonly #finalResurrections: number[] = [];
  #firstTime = Infinity;
  #closed = false;

  constructor(entity: Entity, seedRows: Iterable<Row>, options: AnomalyOptions = {}) {
    this.#entity = entity;
    this.#shape = new DocShape(entity, options.ignoreFields);
    this.#limit = options.sampleLimit ?? 20;
    for (const row of seedRows) {
      const key = this.#key(Number(row.id));
      key.seeded = true;
      key.legit.add(this.#shape.fingerprint(projectRow(entity, { ...row, version: 1 })));
    }
  }

  #key(id: number): KeyState {
    let key = this.#keys.get(id);
    if (key === undefined) {
      key = { seeded: false, wildcard: false, legit: new Set(), writes: [], reads: [] };
      this.#keys.set(id, key);
    }
    return key;
  }

  /** Takes the next history entry (in file order). */
  add(entry: HistoryEntry): void {
    if (this.#closed) throw new MalformedHistoryError('history entry after the final snapshot began');
    this.#firstTime = Math.min(this.#firstTime, entry.time);
    if (entry.type === 'invoke') {
      if (this.#pending.has(entry.process)) throw new MalformedHistoryError(`process ${entry.process} invoked twice without completing (entry ${entry.index})`);
      this.#pending.set(entry.process, entry);
      return;
    }
    const invoke = this.#pending.get(entry.process);
    if (invoke === undefined || invoke.op.index !== entry.op.index || invoke.op.phase !== entry.op.phase) {
      throw new MalformedHistoryError(`completion without its invocation (entry ${entry.index}, process ${entry.process})`);
    }
    this.#pending.delete(entry.process);
    this.#complete(invoke, entry.type, entry);
  }

  /** Adds every entry of `history`. */
  async consume(history: AsyncIterable<HistoryEntry> | Iterable<HistoryEntry>): Promise<void> {
    for await (const entry of history) this.add(entry);
  }

  #complete(invoke: HistoryEntry, type: Exclude<HistoryEntry['type'], 'invoke'>, done: HistoryEntry | null): void {
    const { op } = invoke;
    const key = this.#key(op.id);
    if (op.kind === 'read') {
      if (type !== 'ok' || done === null) return; // a failed or unknown read saw nothing
      const seen = readValueSchema.parse(done.value);
      const found = seen.found && seen.doc !== null;
      key.reads.push({
        index: done.index,
        invoke: invoke.time,
        complete: done.time,
        found,
        version: seen.version ?? done.version ?? null,
        fingerprint: found ? this.#shape.fingerprint({ ...seen.doc, id: op.id }) : null,
      });
      return;
    }
    const outcome = done === null ? 'unknown' : type;
    const complete = outcome === 'unknown' || done === null ? Infinity : done.time;
    const version = outcome === 'ok' ? (done?.version ?? null) : null;
    key.writes.push({ kind: op.kind, type: outcome, invoke: invoke.time, complete, version });
    if (outcome === 'ok' && op.kind !== 'delete' && done?.value !== null && typeof done?.value === 'object') {
      key.legit.add(this.#shape.fingerprint(projectRow(this.#entity, { ...(done.value as Row), id: op.id })));
    } else if (outcome === 'unknown' && op.kind === 'insert') {
      key.legit.add(this.#shape.fingerprint(projectRow(this.#entity, { ...op.values, id: op.id, version: 1 })));
    } else if (outcome === 'unknown' && (op.kind === 'update' || op.kind === 'increment')) {
      key.wildcard = true;
    }
  }

  // Invocations never completed (a run cut short) are writes of unknown outcome.
  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const invoke of this.#pending.values()) this.#complete(invoke, 'unknown', null);
    this.#pending.clear();
  }

  // The last `ok` delete that removed a row has no insert after it: the key must be gone.
  #deadAtEnd(key: KeyState): boolean {
    const deletes = key.writes.filter((w) => w.kind === 'delete' && w.type === 'ok' && w.version !== null);
    return deletes.some((d) => !key.writes.some((w) => w.kind === 'insert' && alive(w) && w.complete > d.invoke));
  }

  /** Takes one document of the final index snapshot (any order). */
  observeFinal(doc: Doc): void {
    this.#close();
    const id = docId(doc);
    const key = this.#keys.get(id);
    if (key !== undefined && this.#deadAtEnd(key)) this.#finalResurrections.push(id);
  }

  /** Judges every read; call after the history and the final snapshot. */
  report(): AnomalyReport {
    this.#close();
    const counts: Record<AnomalyKind, number> = { dirtyReads: 0, resurrections: 0, versionRegressions: 0, staleReads: 0 };
    const samples: Record<AnomalyKind, AnomalySample[]> = { dirtyReads: [], resurrections: [], versionRegressions: [], staleReads: [] };
    const note = (kind: AnomalyKind, sample: AnomalySample): void => {
      counts[kind]++;
      if (samples[kind].length < this.#limit) samples[kind].push(sample);
    };
    const staleVersions = new PercentileRecorder();
    const staleMs = new PercentileRecorder();
    let reads = 0;
    let unverifiable = 0;
    let unjudged = 0;
    for (const [id, key] of [...this.#keys].sort(([a], [b]) => a - b)) {
      const lifetimes = (key.seeded ? 1 : 0) + key.writes.filter((w) => w.kind === 'insert' && alive(w)).length;
      const judgeOrder = lifetimes <= 1;
      if (!judgeOrder && key.reads.length > 0) unjudged++;
      const order = judgeOrder ? this.#orderModel(key) : null;
      for (const read of [...key.reads].sort((a, b) => a.index - b.index)) {
        reads++;
        const sample = { id, read: read.index };
        if (read.found && !key.legit.has(read.fingerprint as string)) {
          if (key.wildcard) unverifiable++;
          else note('dirtyReads', sample);
        } else if (read.found && this.#resurrected(key, read)) {
          note('resurrections', sample);
        } else if (order !== null && read.found && order.regressed(read)) {
          note('versionRegressions', sample);
        } else if (order !== null) {
          const stale = order.staleness(read);
          if (stale !== null) {
            note('staleReads', sample);
            staleVersions.record(stale.versions);
            staleMs.record(stale.ms);
          }
        }
      }
    }
    for (const id of this.#finalResurrections.sort((a, b) => a - b)) note('resurrections', { id, read: null });
    return {
      reads,
      ...counts,
      staleness: { versions: staleVersions.summary('no stale reads'), ms: staleMs.summary('no stale reads') },
      unverifiableReads: unverifiable,
      unjudgedKeys: unjudged,
      samples,
    };
  }

  #resurrected(key: KeyState, read: ReadRec): boolean {
    return key.writes.some(
      (d) =>
        d.kind === 'delete' &&
        d.type === 'ok' &&
        d.version !== null &&
        d.complete < read.invoke &&
        key.reads.some((a) => !a.found && a.invoke > d.complete && a.complete < read.invoke) &&
        !key.writes.some((w) => w.kind === 'insert' && alive(w) && w.complete > d.invoke && w.invoke < read.complete),
    );
  }

  // Per-key order facts for a single-lifetime key: acknowledged states and legitimate reads by time.
  #orderModel(key: KeyState): { regressed(read: ReadRec): boolean; staleness(read: ReadRec): { versions: number; ms: number } | null } {
    const acks = key.writes
      .filter((w) => w.type === 'ok' && w.version !== null)
      .map((w) => ({ at: w.complete, state: w.kind === 'delete' ? (w.version as number) + 1 : (w.version as number) }));
    if (key.seeded) acks.push({ at: this.#firstTime, state: 1 });
    acks.sort((a, b) => a.at - b.at);
    const ackMax = prefixMax(acks.map((a) => a.state));
    const seen = key.reads
      .filter((r) => r.found && r.version !== null && key.legit.has(r.fingerprint as string))
      .sort((a, b) => a.complete - b.complete);
    const seenMax = prefixMax(seen.map((r) => r.version as number));
    const deletes = key.writes.filter((w) => w.kind === 'delete' && alive(w));
    return {
      regressed: (read) => {
        const before = lowerBound(seen, read.invoke, (r) => r.complete);
        return before > 0 && (seenMax[before - 1] as number) > (read.version ?? 0);
      },
      staleness: (read) => {
        const before = lowerBound(acks, read.invoke, (a) => a.at);
        const latest = before > 0 ? (ackMax[before - 1] as number) : 0;
        if (!read.found && deletes.some((d) => d.invoke < read.complete)) return null;
        const state = read.found ? (read.version ?? 0) : 0;
        if (state >= latest) return null;
        const missed = acks.find((a) => a.state > state) as { at: number };
        return { versions: latest - state, ms: read.invoke - missed.at };
      },
    };
  }
}
