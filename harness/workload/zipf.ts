// converge: a Zipf sampler over ranks 1..n — rejection-inversion (Hörmann & Derflinger 1996, as in
// Apache Commons RNG's RejectionInversionZipfSampler): O(1) set-up and O(1) expected per sample,
// so it can be rebuilt whenever the number of live keys changes.
import type { Rng } from './rng.ts';

function helper1(x: number): number {
  return Math.abs(x) > 1e-8 ? Math.log1p(x) / x : 1 - x * (0.5 - x * (1 / 3 - 0.25 * x));
}

function helper2(x: number): number {
  return Math.abs(x) > 1e-8 ? Math.expm1(x) / x : 1 + x * 0.5 * (1 + (x / 3) * (1 + 0.25 * x));
}

/** Samples rank k in 1..n with probability proportional to 1 / k^exponent. */
export class ZipfSampler {
  readonly n: number;
  readonly #s: number;
  readonly #hIntegralX1: number;
  readonly #hIntegralN: number;
  readonly #threshold: number;

  constructor(n: number, exponent: number) {
    if (!(n >= 1) || !(exponent > 0)) throw new RangeError(`zipf needs n >= 1 and exponent > 0, got ${n}, ${exponent}`);
    this.n = n;
    this.#s = exponent;
    this.#hIntegralX1 = this.#hIntegral(1.5) - 1;
    this.#hIntegralN = this.#hIntegral(n + 0.5);
    this.#threshold = 2 - this.#hIntegralInverse(this.#hIntegral(2.5) - this.#h(2));
  }

  #h(x: number): number {
    return Math.exp(-this.#s * Math.log(x));
  }

  #hIntegral(x: number): number {
    const logX = Math.log(x);
    return helper2((1 - this.#s) * logX) * logX;
  }

  #hIntegralInverse(x: number): number {
    const t = Math.max(-1, x * (1 - this.#s));
    return Math.exp(helper1(t) * x);
  }

  sample(rng: Rng): number {
    for (;;) {
      const u = this.#hIntegralN + rng.float() * (this.#hIntegralX1 - this.#hIntegralN);
      const x = this.#hIntegralInverse(u);
      const k = Math.min(this.n, Math.max(1, Math.floor(x + 0.5)));
      if (k - x <= this.#threshold || u >= this.#hIntegral(k + 0.5) - this.#h(k)) return k;
    }
  }
}
