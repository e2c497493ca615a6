// converge: the generator's model of which keys exist, and key selection over it (sequential,
// uniform, zipf, hot, list). The model is what a sequential execution would leave; concurrency may
// reorder operations, which the checker allows for.
import type { KeySelection } from '../scenario/schema.ts';
import type { Rng } from './rng.ts';
import { ZipfSampler } from './zipf.ts';

/** The live ids, with O(1) add, remove and pick by position (removal swaps the last id in). */
export class KeySpace {
  readonly #ids: number[];
  readonly #pos: Map<number, number>;
  /** The next fresh id for inserts. */
  nextId: number;

  constructor(ids: Iterable<number> = [], nextId = 1) {
    this.#ids = [...ids];
    this.#pos = new Map(this.#ids.map((id, i) => [id, i]));
    this.nextId = Math.max(nextId, ...this.#ids.map((id) => id + 1));
  }

  get size(): number {
    return this.#ids.length;
  }

  has(id: number): boolean {
    return this.#pos.has(id);
  }

  at(position: number): number {
    const id = this.#ids[position];
    if (id === undefined) throw new RangeError(`no live key at ${position} of ${this.#ids.length}`);
    return id;
  }

  add(id: number): void {
    if (this.#pos.has(id)) return;
    this.#pos.set(id, this.#ids.length);
    this.#ids.push(id);
    if (id >= this.nextId) this.nextId = id + 1;
  }

  remove(id: number): void {
    const i = this.#pos.get(id);
    if (i === undefined) return;
    const last = this.#ids.pop() as number;
    this.#pos.delete(id);
    if (last !== id) {
      this.#ids[i] = last;
      this.#pos.set(last, i);
    }
  }

  /** Live ids in ascending order. */
  sorted(): number[] {
    return [...this.#ids].sort((a, b) => a - b);
  }

  clone(): KeySpace {
    return new KeySpace(this.#ids, this.nextId);
  }
}

/** Picks keys for one phase according to its `keys` setting. */
export class KeySelector {
  readonly #keys: KeySpace;
  readonly #how: KeySelection;
  readonly #rng: Rng;
  #zipf: ZipfSampler | null = null;
  #order: number[] | null = null;
  #cursor = 0;

  constructor(keys: KeySpace, how: KeySelection, rng: Rng) {
    this.#keys = keys;
    this.#how = how;
    this.#rng = rng;
  }

  /** An existing key to act on, or null when none is live (never null for `list`). */
  pick(): number | null {
    const how = this.#how;
    if (how.select === 'list') return how.ids[this.#rng.int(0, how.ids.length - 1)] ?? null;
    const n = this.#keys.size;
    if (n === 0) return null;
    switch (how.select) {
      case 'uniform':
        return this.#keys.at(this.#rng.int(0, n - 1));
      case 'zipf':
        if (this.#zipf?.n !== n) this.#zipf = new ZipfSampler(n, how.exponent);
        return this.#keys.at(this.#zipf.sample(this.#rng) - 1);
      case 'hot': {
        const hot = Math.max(1, Math.ceil(how.hotFraction * n));
        if (hot >= n || this.#rng.chance(how.hotWeight)) return this.#keys.at(this.#rng.int(0, hot - 1));
        return this.#keys.at(this.#rng.int(hot, n - 1));
      }
      case 'sequential':
        return this.#nextInOrder();
    }
  }

  // Ascending over the keys live when the phase began (then over those added), skipping dead ones.
  #nextInOrder(): number {
    for (;;) {
      if (this.#order === null || this.#cursor >= this.#order.length) {
        this.#order = this.#keys.sorted();
        this.#cursor = 0;
      }
      const id = this.#order[this.#cursor++] as number;
      if (this.#keys.has(id)) return id;
    }
  }
}
