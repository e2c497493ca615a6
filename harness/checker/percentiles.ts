// converge: percentiles of millisecond samples (write latency, replication lag, staleness) over an
// HDR histogram (hdr-histogram-js) at microsecond resolution and three significant digits; the max
// is kept exactly. Memory is constant however many samples.
import { build, type Histogram } from 'hdr-histogram-js';
import type { Percentiles } from '../results/schema.ts';

export class PercentileRecorder {
  readonly #histogram: Histogram = build({ lowestDiscernibleValue: 1, numberOfSignificantValueDigits: 3, autoResize: true });
  #max = 0;
  #count = 0;

  /** Records one sample in ms; negatives count as 0, non-finite values are rejected. */
  record(ms: number): void {
    if (!Number.isFinite(ms)) throw new RangeError(`not a finite sample: ${ms}`);
    const v = Math.max(0, ms);
    this.#histogram.recordValue(Math.round(v * 1000));
    this.#max = Math.max(this.#max, v);
    this.#count++;
  }

  get count(): number {
    return this.#count;
  }

  /** p50/p95/p99 (within 0.1%) and the exact max; `none` with `reason` when nothing was recorded. */
  summary(reason = 'no samples'): Percentiles {
    if (this.#count === 0) return { state: 'none', samples: 0, reason };
    const at = (p: number): number => Math.min(this.#max, this.#histogram.getValueAtPercentile(p) / 1000);
    return { state: 'measured', samples: this.#count, p50: at(50), p95: at(95), p99: at(99), max: this.#max };
  }
}

/** Percentiles of `samples` (ms). */
export function percentiles(samples: Iterable<number>, reason?: string): Percentiles {
  const recorder = new PercentileRecorder();
  for (const s of samples) recorder.record(s);
  return recorder.summary(reason);
}
