// converge: a search index that is correct but late, for the checker's proof — the replica an
// asynchronous strategy keeps. Per key it applies the key's committed changes in commit order, each
// at a random delay after its commit (never before: a change is delivered only once committed, and
// a key's changes never overtake one another). With redeliveries it also replays an earlier suffix
// of a key's changes, as a sink restarted from its last committed offset does; every change carries
// an external version (its position in the commit order), so the index rejects each replayed change
// it already holds, and never goes back. What a read sees is the key's state at one instant.
import type { Rng } from '../../harness/workload/rng.ts';

/** One committed change: the key's state after it (null: deleted) and when it committed. */
export interface Change<S> {
  readonly key: number;
  readonly at: number;
  readonly state: S | null;
}

export interface LaggingIndexOptions {
  /** Replay earlier suffixes of a key's changes (rejected by external versions). */
  readonly redeliveries: boolean;
  /** The longest delay of a change after its commit, in ms. */
  readonly maxDelayMs: number;
}

interface Visible<S> {
  readonly time: number;
  readonly state: S | null;
}

export class LaggingIndex<S> {
  readonly #timelines = new Map<number, Visible<S>[]>();
  readonly #initial: ReadonlyMap<number, S>;
  /** Deliveries, of which replays, of which rejected by their external version. */
  readonly stats = { deliveries: 0, replays: 0, rejected: 0 };

  /** `initial`: what the index holds before the first change (the seed, caught up). `changes` in commit order. */
  constructor(initial: ReadonlyMap<number, S>, changes: readonly Change<S>[], rng: Rng, options: LaggingIndexOptions) {
    this.#initial = initial;
    const byKey = new Map<number, { seq: number; change: Change<S> }[]>();
    changes.forEach((change, seq) => {
      const list = byKey.get(change.key) ?? [];
      list.push({ seq, change });
      byKey.set(change.key, list);
    });
    const delay = (): number => (rng.chance(0.3) ? rng.int(0, 500) : rng.int(0, options.maxDelayMs * 100)) / 100;
    for (const [key, list] of byKey) {
      const timeline: Visible<S>[] = [];
      let held = -1; // the external version the index holds for this key
      let time = -Infinity;
      let replays = 0;
      for (let i = 0; i < list.length; ) {
        const { seq, change } = list[i] as { seq: number; change: Change<S> };
        time = Math.max(time, change.at + delay());
        this.stats.deliveries++;
        if (seq > held) {
          held = seq;
          timeline.push({ time, state: change.state });
        } else {
          this.stats.rejected++;
        }
        if (options.redeliveries && replays < 3 && rng.chance(0.25)) {
          // The sink restarts: it resumes from an earlier offset and delivers those changes again.
          replays++;
          const from = rng.int(Math.max(0, i - 3), i);
          this.stats.replays += i - from + 1;
          i = from;
        } else {
          i++;
        }
      }
      this.#timelines.set(key, timeline);
    }
  }

  /** The key's state as the index shows it at `time`. */
  at(key: number, time: number): S | null {
    const timeline = this.#timelines.get(key) ?? [];
    let state: S | null = this.#initial.get(key) ?? null;
    for (const visible of timeline) {
      if (visible.time > time) break;
      state = visible.state;
    }
    return state;
  }

  /** The state once every change has been applied: what MySQL holds. */
  final(key: number): S | null {
    const timeline = this.#timelines.get(key);
    return timeline === undefined || timeline.length === 0 ? (this.#initial.get(key) ?? null) : (timeline.at(-1) as Visible<S>).state;
  }
}
