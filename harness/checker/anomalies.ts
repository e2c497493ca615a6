// converge: anomalies over the reads of a history (each `read` saw the index for one key, at one
// instant inside its [invoke, complete] window), and over the final index snapshot. The index may
// lag MySQL: an asynchronous strategy applies each key's committed changes in commit order, late,
// and replays some after a restart (rejected by external versions). Every definition holds for
// such an index, so what is counted is a defect, never lag. Definitions (t = monotonic time; an
// `unknown` write completes at ∞; a delete "may have removed" the row when it is `ok` with the
// row it removed, or `unknown`):
// - dirty read: the read saw a document that neither the seed nor any `ok` write (its returned row)
//   nor any `unknown` insert (its values, version 1) produced for that key. If the key has an
//   `unknown` update or increment, whose row nobody saw, the read is counted `unverifiable` instead.
// - resurrection: on a single-lifetime key, the read R saw the key present although a read A saw
//   it absent (A completed before R began), a read P saw a legitimate document (P completed before A
//   began, so A's absence came after the document had arrived), and a delete that may have removed
//   the row began before A completed. Also: a key present (by `_id`) in the final index snapshot
//   whose last `ok` delete that removed a row has no insert (not failed) completing after it began.
// - version regression: on a single-lifetime key, the read saw a lower version than a read that
//   completed before it began; or it saw the key absent after a read that completed before it began
//   saw a legitimate document, and no delete that may have removed the row began before it completed.
// - stale read: the read saw less than the latest state acknowledged before it began. States are
//   numbered by version; a delete of version v is state v + 1, absence before any write is state 0.
//   Absence counts as stale only if no delete (not failed) began before the read ended. Measured in
//   states behind and in ms since the first state it missed was acknowledged. Expected under lag.
// Why these hold under lag: a key with one lifetime (seeded or inserted once, never re-inserted) is,
// in such an index, absent, then present through increasing versions, then (once a delete that
// removed it is applied) absent for good; a change is applied only after it was committed, so
// after its write began. Present-absent-present, or a version going down, cannot be shown. Keys with
// more than one lifetime (versions restart at 1, and an old lifetime may legitimately show late)
// are judged for dirty reads only, and counted in `unjudgedKeys` / `unjudgedReads`.
// - phantom: a read, or a document of the final index snapshot, that showed exactly the row an XA
//   branch wrote before it was rolled back (an xaRollback op: always `fail`, its value the row the
//   branch held; one never completed counts with its insert's values, an update's row being
//   unknown), and that no legitimate write produced. A phantom read is also a dirty read (or an
//   unverifiable one); phantoms are reported apart, with the documents' values, because they say
//   which value leaked: one MySQL rolled back. Judged only when the history has xaRollback ops.
// Each read counts under at most one anomaly, the first that applies in the order above; `judged`
// says, per kind, on how many reads its test ran (a check that judged nothing proves nothing).
// Reads that failed or whose outcome is unknown saw nothing: they are counted as `failedReads`.
// Memory is O(operations) of numbers and one digest per written row state; documents are kept only
// for reads of keys an XA branch touched (a phantom's values are reported), and for the samples.
import { projectRow, type Row } from '../scenario/projection.ts';
import type { Entity } from '../scenario/schema.ts';
import { readValueSchema, type HistoryEntry } from '../history/entry.ts';
import type { Percentiles } from '../results/schema.ts';
import { rowKey, type IndexDoc } from './convergence.ts';
import { DocShape } from './doc-shape.ts';
import { PercentileRecorder } from './percentiles.ts';

export const ANOMALY_KINDS = ['dirtyReads', 'resurrections', 'versionRegressions', 'staleReads'] as const;
export type AnomalyKind = (typeof ANOMALY_KINDS)[number];

/** One anomaly: the key, and the history index of the read's completion (null: final snapshot). */
export interface AnomalySample {
  readonly id: number;
  readonly read: number | null;
}

/** A phantom: where it was seen (as an AnomalySample) and the document as the index showed it. */
export interface PhantomSample extends AnomalySample {
  readonly doc: Readonly<Record<string, unknown>>;
}

/** Rolled-back XA branches and the index documents that showed their rows (see the definitions). */
export interface PhantomReport {
  /** xaRollback ops in the history. */
  readonly branches: number;
  /** Of those, the branches whose row is known (they wrote one): the states a phantom can show. */
  readonly rolledBackRows: number;
  /** Reads that saw a rolled-back row. */
  readonly reads: number;
  /** Documents of the final index snapshot that hold a rolled-back row. */
  readonly finalDocs: number;
  /** Whether the final index snapshot was read (false: `finalDocs` judged nothing). */
  readonly finalIndexRead: boolean;
  /** Up to `sampleLimit` phantoms: those of the final index first, then reads, in key order. */
  readonly samples: readonly PhantomSample[];
}

export interface AnomalyReport {
  /** Reads that completed ok. */
  readonly reads: number;
  /** Per kind, the reads its test ran on (see the definitions). */
  readonly judged: Readonly<Record<AnomalyKind, number>>;
  /** Deleted keys whose presence in the final index snapshot was checked (0: no snapshot, or none deleted). */
  readonly finalKeysJudged: number;
  /** Reads that failed or whose outcome is unknown: they saw nothing. */
  readonly failedReads: number;
  /** Ok reads on keys with more than one lifetime: judged for dirty reads only. */
  readonly unjudgedReads: number;
  readonly dirtyReads: number;
  readonly resurrections: number;
  readonly versionRegressions: number;
  readonly staleReads: number;
  readonly staleness: { readonly versions: Percentiles; readonly ms: Percentiles };
  readonly unverifiableReads: number;
  readonly unjudgedKeys: number;
  /** Up to `sampleLimit` anomalies of each kind, in key then history order. */
  readonly samples: Readonly<Record<AnomalyKind, readonly AnomalySample[]>>;
  /** Null when the history has no xaRollback op (nothing could be a phantom). */
  readonly phantoms: PhantomReport | null;
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
  /** The document seen, kept only on keys an XA branch touched. */
  readonly doc: Readonly<Record<string, unknown>> | null;
}

interface KeyState {
  seeded: boolean;
  wildcard: boolean;
  /** An xaRollback op was invoked on this key (from then on, reads keep their document). */
  xaTouched: boolean;
  /** Digests of the rows XA branches held on this key before their rollback. */
  readonly rolledBack: Set<string>;
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
 * (`observeFinal` each document, e.g. through compareStores' `onIndexDoc`, then `endFinal`), then
 * ask for `report()`.
 */
export class AnomalyChecker {
  readonly #entity: Entity;
  readonly #shape: DocShape;
  readonly #limit: number;
  readonly #keys = new Map<number, KeyState>();
  readonly #pending = new Map<number, HistoryEntry>();
  readonly #finalResurrections: number[] = [];
  readonly #finalPhantoms: PhantomSample[] = [];
  #finalPhantomCount = 0;
  #xaBranches = 0;
  #xaRows = 0;
  #firstTime = Infinity;
  #closed = false;
  #finalRead = false;
  #failedReads = 0;

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
      key = { seeded: false, wildcard: false, xaTouched: false, rolledBack: new Set(), legit: new Set(), writes: [], reads: [] };
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
      if (entry.op.kind === 'xaRollback') this.#key(entry.op.id).xaTouched = true;
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
      if (type !== 'ok' || done === null) {
        this.#failedReads++; // a failed or unknown read saw nothing
        return;
      }
      const seen = readValueSchema.parse(done.value);
      const found = seen.found && seen.doc !== null;
      key.reads.push({
        index: done.index,
        invoke: invoke.time,
        complete: done.time,
        found,
        version: seen.version ?? done.version ?? null,
        fingerprint: found ? this.#shape.fingerprint({ ...seen.doc, id: op.id }) : null,
        doc: found && key.xaTouched ? seen.doc : null,
      });
      return;
    }
    if (op.kind === 'xaRollback') {
      // Never a write that happened: only the row its branch held matters (what a phantom shows).
      this.#xaBranches++;
      const held = done?.value;
      const row: Row | null =
        held !== null && typeof held === 'object' ? { ...(held as Row), id: op.id } : done === null && op.branch === 'insert' ? { ...op.values, id: op.id, version: 1 } : null;
      if (row !== null) {
        this.#xaRows++;
        key.rolledBack.add(this.#shape.fingerprint(projectRow(this.#entity, row)));
      }
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

  /** Takes one document of the final index snapshot (any order), by its `_id`. */
  observeFinal(doc: IndexDoc): void {
    this.#close();
    const id = rowKey(doc.id);
    const key = id === null ? undefined : this.#keys.get(id);
    if (id !== null && key !== undefined && this.#deadAtEnd(key)) this.#finalResurrections.push(id);
    if (id !== null && key !== undefined && key.rolledBack.size > 0) {
      const fingerprint = this.#shape.fingerprint(doc.source);
      if (key.rolledBack.has(fingerprint) && !key.legit.has(fingerprint)) {
        this.#finalPhantomCount++;
        if (this.#finalPhantoms.length < this.#limit) this.#finalPhantoms.push({ id, read: null, doc: doc.source });
      }
    }
  }

  /** Says the final snapshot has been read in full (so deleted keys absent from it were judged). */
  endFinal(): void {
    this.#close();
    this.#finalRead = true;
  }

  /** Judges every read; call after the history and the final snapshot. */
  report(): AnomalyReport {
    this.#close();
    const counts: Record<AnomalyKind, number> = { dirtyReads: 0, resurrections: 0, versionRegressions: 0, staleReads: 0 };
    const judged: Record<AnomalyKind, number> = { dirtyReads: 0, resurrections: 0, versionRegressions: 0, staleReads: 0 };
    const samples: Record<AnomalyKind, AnomalySample[]> = { dirtyReads: [], resurrections: [], versionRegressions: [], staleReads: [] };
    const note = (kind: AnomalyKind, sample: AnomalySample): void => {
      counts[kind]++;
      if (samples[kind].length < this.#limit) samples[kind].push(sample);
    };
    const staleVersions = new PercentileRecorder();
    const staleMs = new PercentileRecorder();
    let reads = 0;
    let unverifiable = 0;
    let unjudgedKeys = 0;
    let unjudgedReads = 0;
    let finalKeysJudged = 0;
    let phantomReads = 0;
    const phantomReadSamples: PhantomSample[] = [];
    for (const [id, key] of [...this.#keys].sort(([a], [b]) => a - b)) {
      if (this.#finalRead && this.#deadAtEnd(key)) finalKeysJudged++;
      const lifetimes = (key.seeded ? 1 : 0) + key.writes.filter((w) => w.kind === 'insert' && alive(w)).length;
      const order = lifetimes <= 1 ? this.#orderModel(key) : null;
      if (order === null && key.reads.length > 0) unjudgedKeys++;
      for (const read of [...key.reads].sort((a, b) => a.index - b.index)) {
        reads++;
        const sample = { id, read: read.index };
        if (read.found) {
          if (!key.legit.has(read.fingerprint as string)) {
            if (key.rolledBack.has(read.fingerprint as string)) {
              phantomReads++;
              if (phantomReadSamples.length < this.#limit) phantomReadSamples.push({ id, read: read.index, doc: read.doc ?? {} });
            }
            if (key.wildcard) {
              unverifiable++;
            } else {
              judged.dirtyReads++;
              note('dirtyReads', sample);
            }
            continue;
          }
          judged.dirtyReads++;
        }
        if (order === null) {
          unjudgedReads++;
          continue;
        }
        if (read.found) {
          judged.resurrections++;
          if (order.resurrected(read)) {
            note('resurrections', sample);
            continue;
          }
        }
        judged.versionRegressions++;
        if (order.regressed(read)) {
          note('versionRegressions', sample);
          continue;
        }
        judged.staleReads++;
        const stale = order.staleness(read);
        if (stale !== null) {
          note('staleReads', sample);
          staleVersions.record(stale.versions);
          staleMs.record(stale.ms);
        }
      }
    }
    for (const id of this.#finalResurrections.sort((a, b) => a - b)) note('resurrections', { id, read: null });
    const finals = [...this.#finalPhantoms].sort((a, b) => a.id - b.id);
    const phantoms: PhantomReport | null =
      this.#xaBranches === 0
        ? null
        : {
            branches: this.#xaBranches,
            rolledBackRows: this.#xaRows,
            reads: phantomReads,
            finalDocs: this.#finalPhantomCount,
            finalIndexRead: this.#finalRead,
            samples: [...finals, ...phantomReadSamples].slice(0, this.#limit),
          };
    return {
      reads,
      judged,
      finalKeysJudged,
      failedReads: this.#failedReads,
      unjudgedReads,
      ...counts,
      staleness: { versions: staleVersions.summary('no stale reads'), ms: staleMs.summary('no stale reads') },
      unverifiableReads: unverifiable,
      unjudgedKeys,
      samples,
      phantoms,
    };
  }

  // Per-key order facts for a single-lifetime key: acknowledged states, legitimate reads by time,
  // and the first absence that must be a delete's (it came after a legitimate document was seen).
  #orderModel(key: KeyState): {
    resurrected(read: ReadRec): boolean;
    regressed(read: ReadRec): boolean;
    staleness(read: ReadRec): { versions: number; ms: number } | null;
  } {
    const acks = key.writes
      .filter((w) => w.type === 'ok' && w.version !== null)
      .map((w) => ({ at: w.complete, state: w.kind === 'delete' ? (w.version as number) + 1 : (w.version as number) }));
    if (key.seeded) acks.push({ at: this.#firstTime, state: 1 });
    acks.sort((a, b) => a.at - b.at);
    const ackMax = prefixMax(acks.map((a) => a.state));
    const seen = key.reads.filter((r) => r.found && key.legit.has(r.fingerprint as string)).sort((a, b) => a.complete - b.complete);
    const seenMax = prefixMax(seen.map((r) => r.version ?? 0));
    const firstSeen = seen[0]?.complete ?? Infinity;
    const deletes = key.writes.filter((w) => w.kind === 'delete' && alive(w));
    // The earliest start of a delete that may have removed the row (ok with a row, or unknown).
    const firstRemoval = Math.min(...key.writes.filter((w) => w.kind === 'delete' && (w.type === 'unknown' || (w.type === 'ok' && w.version !== null))).map((w) => w.invoke));
    // The earliest completion of a read that saw the key absent after a legitimate document was
    // seen, once a delete that may have removed it had begun: from then on the key is gone for good.
    const gone = Math.min(...key.reads.filter((a) => !a.found && a.invoke > firstSeen && a.complete > firstRemoval).map((a) => a.complete));
    return {
      resurrected: (read) => read.invoke > gone,
      regressed: (read) => {
        const before = lowerBound(seen, read.invoke, (r) => r.complete);
        if (before === 0) return false;
        if (!read.found) return !(firstRemoval < read.complete);
        return (seenMax[before - 1] as number) > (read.version ?? 0);
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
