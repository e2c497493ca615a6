// Per-second series of a run for the report: completions by outcome and write latency, bucketed
// by seconds since the run's start. Bounded by the run's length, not its operation count.
import { PercentileRecorder } from '../checker/percentiles.ts';

export interface TimelineSeries {
  /** Seconds since the run's start, one entry per bucket. */
  second: number[];
  ok: number[];
  failed: number[];
  unknown: number[];
  latencyP50Ms: (number | null)[];
  latencyP99Ms: (number | null)[];
}

interface Bucket {
  ok: number;
  failed: number;
  unknown: number;
  latency: PercentileRecorder;
}

export class Timeline {
  private readonly buckets: Bucket[] = [];

  constructor(private readonly runStart: number) {}

  private bucket(at: number): Bucket {
    const second = Math.max(0, Math.floor((at - this.runStart) / 1000));
    while (this.buckets.length <= second) this.buckets.push({ ok: 0, failed: 0, unknown: 0, latency: new PercentileRecorder() });
    return this.buckets[second]!;
  }

  record(at: number, outcome: 'ok' | 'fail' | 'unknown', latencyMs?: number): void {
    const bucket = this.bucket(at);
    if (outcome === 'ok') bucket.ok++;
    else if (outcome === 'fail') bucket.failed++;
    else bucket.unknown++;
    if (latencyMs !== undefined) bucket.latency.record(latencyMs);
  }

  series(): TimelineSeries {
    const summaries = this.buckets.map((bucket) => bucket.latency.summary());
    return {
      second: this.buckets.map((_, index) => index),
      ok: this.buckets.map((bucket) => bucket.ok),
      failed: this.buckets.map((bucket) => bucket.failed),
      unknown: this.buckets.map((bucket) => bucket.unknown),
      latencyP50Ms: summaries.map((summary) => (summary.state === 'measured' ? summary.p50 : null)),
      latencyP99Ms: summaries.map((summary) => (summary.state === 'measured' ? summary.p99 : null)),
    };
  }
}
