// converge: acknowledged writes MySQL no longer holds at the end of a run. The convergence check
// compares MySQL with the index, so a write acknowledged and then lost in both stores (acked before
// a durable commit, a recovery that rolls back a committed write, a restart that loses a commit)
// passes it; this check compares the history's acknowledgements with MySQL's final rows. Rules
// (times are monotonic ms; a write of `unknown` outcome — also one invoked and never completed —
// may take effect at any time after its invocation; a delete "may have removed" the row when it is
// `ok` with the row it removed, or `unknown`; an `ok` write whose version is null affected no row):
// - kept: an `ok` insert, update or increment that affected a row, at version v, must leave the
//   final row present at version >= v — unless a delete that may have removed the row could have
//   taken effect after it (the delete completed after the write was invoked; an unknown one, ever).
//   Nothing else lowers a version or removes a row: an update or increment adds one, an insert
//   fails on an existing row, and only a delete followed by a re-insert starts a row again at
//   version 1. Such a delete excuses the write whatever the final row shows (absent, or a new
//   lifetime at a lower version), so keys with a delete and a re-insert are judged on what was
//   acknowledged after their last such delete, and not on what came before. A seed row is an
//   acknowledged insert at version 1 before the history.
// - gone: an `ok` delete that removed a row must leave the key absent at the end, unless an insert
//   not definitely failed could have taken effect after it (it completed after the delete was
//   invoked; an unknown one, ever). Updates and increments cannot create a row.
// A key is judged when one of the rules applies to it at the end; it is LOST when its final row
// breaks it. Keys the history touched (or seeded) that no rule applies to are `unjudgedKeys`.
// Streaming, in the history's completion order (the writer numbers entries as they come): a delete
// that may have removed the row, met at its completion, excuses every acknowledgement met before
// it; a write met later is excused when it was invoked before that delete completed. Memory: a few
// numbers per key and one entry per operation in flight — nothing per completed operation.
import type { HistoryEntry } from '../history/entry.ts';
import type { Row } from '../scenario/projection.ts';
import { MalformedHistoryError } from './anomalies.ts';

/** What was acknowledged: a write of the history, or a seed row (written before it). */
export type AckedKind = 'seed' | 'insert' | 'update' | 'increment' | 'delete';

/** One key whose acknowledged write the final MySQL row does not hold. */
export interface LostWrite {
  readonly id: number;
  /**
   * The acknowledged write: its kind, the version it reported (for a delete, the version of the
   * row it removed) and the history index of its completion (null: a seed row).
   */
  readonly acked: { readonly kind: AckedKind; readonly version: number; readonly entry: number | null };
  /** The final MySQL row's version, or null when there is no row. */
  readonly final: number | null;
}

export interface LostWriteReport {
  /** `ok` writes that affected a row (deletes included). */
  readonly acknowledged: number;
  /** Keys whose final row a rule applies to (see the definitions). */
  readonly judgedKeys: number;
  /** Keys touched by the history or seeded that no rule applies to (a delete may have removed what was acknowledged, or nothing was). */
  readonly unjudgedKeys: number;
  /** Judged keys whose final row breaks their rule. */
  readonly lost: number;
  /** Up to `sampleLimit` lost keys, in id order. */
  readonly samples: readonly LostWrite[];
}

interface Acked {
  readonly kind: AckedKind;
  readonly version: number;
  readonly entry: number | null;
}

interface KeyState {
  /** The latest completion of a delete that may have removed the row (Infinity: one of unknown outcome). */
  removedUntil: number;
  /** The highest version acknowledged since then: the final row must hold at least it. */
  kept: Acked | null;
  /** The acknowledged delete that removed a row and was invoked last, with its invocation time. */
  deleted: (Acked & { readonly invoked: number }) | null;
  /** The latest completion of an insert not definitely failed (Infinity: one of unknown outcome). */
  insertedUntil: number;
  /** The final row's version; undefined until seen (absent at the end if never seen). */
  final: number | undefined;
}

export interface LostWriteOptions {
  /** Lost keys kept as samples. Default 20. */
  readonly sampleLimit?: number;
}

/**
 * Feed it the history (`add` each entry in file order, or `consume`), then MySQL's final rows
 * (`observeRow` each, any order, e.g. through compareSnapshot's `onMysqlRow`, then `endFinal`), then
 * ask for `report()`.
 */
export class LostWriteChecker {
  readonly #limit: number;
  readonly #keys = new Map<number, KeyState>();
  readonly #pending = new Map<number, HistoryEntry>();
  #acknowledged = 0;
  #closed = false;
  #finalRead = false;

  constructor(seedRows: Iterable<Pick<Row, 'id'>>, options: LostWriteOptions = {}) {
    this.#limit = options.sampleLimit ?? 20;
    for (const row of seedRows) this.#key(Number(row.id)).kept = { kind: 'seed', version: 1, entry: null };
  }

  #key(id: number): KeyState {
    let key = this.#keys.get(id);
    if (key === undefined) {
      key = { removedUntil: -Infinity, kept: null, deleted: null, insertedUntil: -Infinity, final: undefined };
      this.#keys.set(id, key);
    }
    return key;
  }

  /** Takes the next history entry (in file order). */
  add(entry: HistoryEntry): void {
    if (this.#closed) throw new MalformedHistoryError('history entry after the final rows began');
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
    this.#complete(invoke, entry);
  }

  /** Adds every entry of `history`. */
  async consume(history: AsyncIterable<HistoryEntry> | Iterable<HistoryEntry>): Promise<void> {
    for await (const entry of history) this.add(entry);
  }

  // `done` null: never completed, so of unknown outcome.
  #complete(invoke: HistoryEntry, done: HistoryEntry | null): void {
    const { op } = invoke;
    // A read writes nothing; an xaRollback branch is rolled back by the harness (always `fail`).
    if (op.kind === 'read' || op.kind === 'xaRollback') return;
    const key = this.#key(op.id);
    const type = done === null ? 'unknown' : done.type;
    if (type === 'fail') return;
    const completed = type === 'unknown' || done === null ? Infinity : done.time;
    if (op.kind === 'insert') key.insertedUntil = Math.max(key.insertedUntil, completed);
    const version = type === 'ok' ? (done?.version ?? null) : null;
    if (type === 'ok' && version !== null) this.#acknowledged++;
    if (op.kind === 'delete') {
      if (type === 'ok' && version === null) return; // it found no row: it removed nothing
      key.removedUntil = Math.max(key.removedUntil, completed);
      key.kept = null;
      if (type === 'ok' && (key.deleted === null || invoke.time >= key.deleted.invoked)) {
        key.deleted = { kind: 'delete', version: version as number, entry: (done as HistoryEntry).index, invoked: invoke.time };
      }
      return;
    }
    if (version === null || invoke.time < key.removedUntil) return; // affected no row, or a delete may have undone it
    if (key.kept === null || version >= key.kept.version) key.kept = { kind: op.kind, version, entry: (done as HistoryEntry).index };
  }

  // Invocations never completed (a run cut short) are writes of unknown outcome.
  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const invoke of this.#pending.values()) this.#complete(invoke, null);
    this.#pending.clear();
  }

  /** Takes one row of MySQL's final table (its `id` and `version`). */
  observeRow(row: Row): void {
    this.#close();
    if (this.#finalRead) throw new MalformedHistoryError('a final row after the final rows ended');
    const version = Number(row.version);
    if (!Number.isInteger(version)) throw new MalformedHistoryError(`final row ${String(row.id)} has no integer version: ${JSON.stringify(row.version)}`);
    const key = this.#keys.get(Number(row.id));
    if (key !== undefined) key.final = version;
  }

  /** Says MySQL's final rows have been read in full (so a key not seen has no row). */
  endFinal(): void {
    this.#close();
    this.#finalRead = true;
  }

  /** Judges every key; call after the history and the final rows. */
  report(): LostWriteReport {
    if (!this.#finalRead) throw new Error('the final MySQL rows were not read (endFinal was not called): no key can be judged');
    let judgedKeys = 0;
    let lost = 0;
    const samples: LostWrite[] = [];
    for (const [id, key] of [...this.#keys].sort(([a], [b]) => a - b)) {
      const gone = key.deleted !== null && key.insertedUntil <= key.deleted.invoked ? key.deleted : null;
      if (key.kept === null && gone === null) continue;
      judgedKeys++;
      const final = key.final ?? null;
      const broken = key.kept !== null && (final === null || final < key.kept.version) ? key.kept : gone !== null && final !== null ? gone : null;
      if (broken === null) continue;
      lost++;
      if (samples.length < this.#limit) samples.push({ id, acked: { kind: broken.kind, version: broken.version, entry: broken.entry }, final });
    }
    return { acknowledged: this.#acknowledged, judgedKeys, unjudgedKeys: this.#keys.size - judgedKeys, lost, samples };
  }
}
