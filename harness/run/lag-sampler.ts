// Replication lag as the harness observes it, independently of the strategy: for a sample of
// acknowledged writes, real-time GETs of the document until the index shows that write's version
// (or, for a delete, no document), timed from the acknowledgement.
import { PercentileRecorder } from '../checker/percentiles.ts';
import { monotonicMs } from '../history/entry.ts';
import type { SearchPort } from '../stores/search/search-port.ts';
import type { Op } from '../workload/op.ts';

export interface LagSamplerOptions {
  /** Sample every n-th acknowledged write (default 10). */
  every?: number;
  /** Samples polled at once at most; more are skipped, and counted (default 8). */
  maxInFlight?: number;
  /** Poll interval in ms (default 5). */
  pollMs?: number;
  /** Give up on a sample after this many ms (default 60000); counted as unresolved. */
  timeoutMs?: number;
}

export interface LagPoint {
  /** Acknowledgement time, ms since the run's start. */
  atMs: number;
  lagMs: number;
}

export class LagSampler {
  readonly recorder = new PercentileRecorder();
  readonly points: LagPoint[] = [];
  skipped = 0;
  unresolved = 0;
  /** Samples abandoned because a later delete of the key was acknowledged before they were seen. */
  superseded = 0;
  private readonly lastDeleteAck = new Map<number, number>();
  private acknowledged = 0;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly every: number;
  private readonly maxInFlight: number;
  private readonly pollMs: number;
  private readonly timeoutMs: number;

  constructor(
    private readonly search: SearchPort,
    private readonly index: string,
    private readonly runStart: number,
    options: LagSamplerOptions = {},
  ) {
    this.every = options.every ?? 10;
    this.maxInFlight = options.maxInFlight ?? 8;
    this.pollMs = options.pollMs ?? 5;
    this.timeoutMs = options.timeoutMs ?? 60_000;
  }

  /** Called for each acknowledged write with the version it produced (null: no row was affected). */
  onAcknowledged(op: Op, version: number | null, ackTime: number): void {
    if (version === null) return;
    if (op.kind === 'delete') this.lastDeleteAck.set(op.id, ackTime);
    if (this.acknowledged++ % this.every !== 0) return;
    if (this.inFlight.size >= this.maxInFlight) {
      this.skipped++;
      return;
    }
    const sample = this.poll(op, version, ackTime).finally(() => this.inFlight.delete(sample));
    this.inFlight.add(sample);
  }

  private async poll(op: Op, version: number, ackTime: number): Promise<void> {
    const id = String(op.id);
    for (;;) {
      // The document became visible between this GET's start and its answer: count from the start,
      // so a write visible at acknowledgement has lag 0 whatever the GET's own round trip.
      const asked = monotonicMs();
      let seen = false;
      try {
        const doc = await this.search.get(this.index, id);
        seen = op.kind === 'delete' ? doc === undefined : doc !== undefined && Number(doc.source.version) >= version;
      } catch {
        // the engine may be down under a fault: keep polling until the deadline
      }
      const now = monotonicMs();
      if (!seen && op.kind !== 'delete' && (this.lastDeleteAck.get(op.id) ?? -Infinity) > ackTime) {
        this.superseded++;
        return;
      }
      if (seen) {
        const lagMs = Math.max(0, asked - ackTime);
        this.recorder.record(lagMs);
        this.points.push({ atMs: ackTime - this.runStart, lagMs });
        return;
      }
      if (now - ackTime > this.timeoutMs) {
        this.unresolved++;
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, this.pollMs));
    }
  }

  /** Wait for the samples still polling. */
  async drain(): Promise<void> {
    await Promise.all([...this.inFlight]);
  }
}
