// converge: the seeded random streams of the generator. Each purpose (seed rows, each phase) gets
// its own stream derived from the run seed and a label, so one phase's length never shifts another's.
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** A deterministic random stream (xoroshiro128+ from pure-rand). */
export class Rng {
  readonly #gen: RandomGenerator;

  /** The stream for `label` under run seed `seed` (any 32-bit integer). */
  constructor(seed: number, label: string) {
    this.#gen = xoroshiro128plus((Math.imul(seed | 0, 0x9e3779b1) ^ fnv1a(label)) | 0);
  }

  /** Uniform integer in [from, to], both included. */
  int(from: number, to: number): number {
    return uniformInt(this.#gen, from, to);
  }

  /** Uniform in [0, 1). */
  float(): number {
    return uniformFloat64(this.#gen);
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return p >= 1 ? true : p <= 0 ? false : this.float() < p;
  }
}
