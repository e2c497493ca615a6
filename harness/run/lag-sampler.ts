// Replication lag as the harness observes it, independently of the strategy: for a sample of
// acknowledged writes, how long after the acknowledgement the index showed the write.
// - Which writes: a write whose position in its phase's operation stream is a multiple of `every`,
//   decided when it is invoked. The rate is fixed and the same operations are sampled for every
//   strategy, however many samples are pending. A sampled write that fails, has an unknown
//   outcome or changes no row is not a sample: there is no acknowledgement to time from.
// - Watching: a pending sample is a small record. ONE loop asks the engine about the keys of all
//   pending samples each round, with real-time multi-gets in chunks, one request at a time: the
//   load on the engine does not grow with the number of pending samples (bounded memory, not
//   bounded concurrency). A sample is timed from its acknowledgement to the start of the request
//   that first saw it; a request that started before the acknowledgement says nothing about it.
// - Seen: an insert, update or increment when the index shows its version or a later one; a delete
//   when its document, seen present before (by a GET just before the delete was invoked, outside
//   the write's latency, or by a later round), is then seen absent. A delete of a document the
//   index never showed is never "seen": absence alone does not prove the delete arrived.
// - Censored: a sample not seen by its deadline (a request begun `timeoutMs` or more after its
//   acknowledgement did not see it), or when the sampler finishes, counts as at least the time from
//   its acknowledgement to the start of the last request that did not see it. It stays in the
//   percentiles (censored-percentiles.ts).
// - Not timed, counted: `superseded` — an insert/update/increment not seen by its end whose key a
//   later delete had meanwhile been invoked on (the delete may have hidden it; the time before
//   the delete bounds nothing about its lag); `unconfirmed` — a delete whose document was never
//   seen present (whether the index ever held it is not known, so no lag can be stated).
import { censoredPercentiles } from '../checker/censored-percentiles.ts';
import { monotonicMs } from '../history/entry.ts';
import type { LagSampling, Percentiles } from '../results/schema.ts';
import type { SearchPort } from '../stores/search/search-port.ts';
import type { Op } from '../workload/op.ts';

/** What the sampler asks of the search engine. */
export type LagProbe = Pick<SearchPort, 'get' | 'mget'>;

export interface LagSamplerOptions {
  /** Sample the writes at positions 0, every, 2·every, … of each phase (default 10). */
  every?: number;
  /** Pause between rounds when no new sample arrived, in ms (default 5). */
  pollMs?: number;
  /** Stop watching a sample this many ms after its acknowledgement; it is censored (default 60000). */
  timeoutMs?: number;
  /** Ids per multi-get request (default 500). */
  chunk?: number;
}

export interface LagPoint {
  /** Acknowledgement time, ms since the run's start. */
  atMs: number;
  lagMs: number;
}

/** A sampled write between its invocation and its completion. */
export interface LagTicket {
  readonly op: Op;
  /** A delete's document was present just before the delete was invoked. */
  readonly presentBefore: boolean;
  /** When a later delete of the same key was invoked, if one was. */
  supersededAt: number | null;
}

interface Sample {
  readonly key: string;
  readonly kind: 'write' | 'delete';
  /** The version the write produced (writes only). */
  readonly version: number;
  readonly ackAt: number;
  readonly deadline: number;
  /** Deletes: the document was seen present. */
  presentSeen: boolean;
  supersededAt: number | null;
  /** Start of the last request, begun after the acknowledgement, that did not see the sample. */
  lastUnseenAt: number | null;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class LagSampler {
  readonly points: LagPoint[] = [];
  private readonly observed: number[] = [];
  private readonly censoredBounds: number[] = [];
  private sampled = 0;
  private superseded = 0;
  private unconfirmed = 0;
  /** Pending samples by key; a key may carry several (an insert, then an update). */
  private readonly pending = new Map<string, Sample[]>();
  /** Sampled writes invoked and not yet completed, by key (a delete may supersede them meanwhile). */
  private readonly inFlight = new Map<string, Set<LagTicket>>();
  private loop: Promise<void> | undefined;
  private finishing = false;
  /** A sample arrived while the loop was busy. */
  private fresh = false;
  private wake: (() => void) | undefined;
  private readonly every: number;
  private readonly pollMs: number;
  private readonly timeoutMs: number;
  private readonly chunk: number;

  constructor(
    private readonly search: LagProbe,
    private readonly index: string,
    private readonly runStart: number,
    options: LagSamplerOptions = {},
  ) {
    this.every = options.every ?? 10;
    this.pollMs = options.pollMs ?? 5;
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.chunk = options.chunk ?? 500;
  }

  /**
   * Called for every write just before it is invoked (before its latency is timed). A delete marks
   * the pending samples of its key superseded; a sampled write gets a ticket (a sampled delete
   * first reads whether its document is there).
   */
  async beforeWrite(op: Op): Promise<LagTicket | undefined> {
    const key = String(op.id);
    if (op.kind === 'delete') this.supersede(key, monotonicMs());
    if (op.kind === 'read' || op.index % this.every !== 0) return undefined;
    let presentBefore = false;
    if (op.kind === 'delete') {
      try {
        presentBefore = (await this.search.get(this.index, key)) !== undefined;
      } catch {
        // unknown: the sample must then see the document itself before its absence counts
      }
    }
    const ticket: LagTicket = { op, presentBefore, supersededAt: null };
    const tickets = this.inFlight.get(key) ?? new Set<LagTicket>();
    tickets.add(ticket);
    this.inFlight.set(key, tickets);
    return ticket;
  }

  /** The ticket's write was acknowledged with the version it produced (null: no row was affected). */
  acknowledged(ticket: LagTicket, version: number | null, ackTime: number): void {
    this.release(ticket);
    if (version === null) return;
    this.sampled++;
    const key = String(ticket.op.id);
    const isDelete = ticket.op.kind === 'delete';
    const sample: Sample = {
      key,
      kind: isDelete ? 'delete' : 'write',
      version,
      ackAt: ackTime,
      deadline: ackTime + this.timeoutMs,
      presentSeen: isDelete && ticket.presentBefore,
      supersededAt: isDelete ? null : ticket.supersededAt,
      lastUnseenAt: null,
    };
    const samples = this.pending.get(key) ?? [];
    samples.push(sample);
    this.pending.set(key, samples);
    this.watch();
  }

  /** The ticket's write failed or its outcome is unknown: no acknowledgement, no sample. */
  abandoned(ticket: LagTicket): void {
    this.release(ticket);
  }

  /**
   * Ends the sampling once the workload is over and the stores were compared: one last round over
   * every pending sample, then what is still unseen is closed (censored, superseded or unconfirmed).
   */
  async finish(): Promise<void> {
    this.finishing = true;
    this.wake?.();
    await this.loop;
    if (this.pending.size > 0) await this.round();
    for (const samples of this.pending.values()) for (const sample of samples) this.close(sample);
    this.pending.clear();
  }

  /** Samples still being watched. */
  get pendingCount(): number {
    let n = 0;
    for (const samples of this.pending.values()) n += samples.length;
    return n;
  }

  /** What became of the samples so far. */
  sampling(): LagSampling {
    return {
      every: this.every,
      sampled: this.sampled,
      observed: this.observed.length,
      censored: this.censoredBounds.length,
      superseded: this.superseded,
      unconfirmed: this.unconfirmed,
    };
  }

  /** Lag percentiles over the observed and the censored samples; `none`, saying why, when there are none. */
  summary(): Percentiles {
    const parts = [
      this.superseded > 0 ? `${this.superseded} superseded by a later delete before they were seen` : null,
      this.unconfirmed > 0 ? `${this.unconfirmed} deletes whose document was never seen in the index` : null,
    ].filter((part) => part !== null);
    const reason = this.sampled === 0 ? 'no acknowledged write was sampled' : `no sample could be timed: ${parts.join('; ')}`;
    return censoredPercentiles(this.observed, this.censoredBounds, reason);
  }

  private release(ticket: LagTicket): void {
    const key = String(ticket.op.id);
    const tickets = this.inFlight.get(key);
    tickets?.delete(ticket);
    if (tickets?.size === 0) this.inFlight.delete(key);
  }

  private supersede(key: string, at: number): void {
    for (const ticket of this.inFlight.get(key) ?? []) if (ticket.op.kind !== 'delete') ticket.supersededAt ??= at;
    for (const sample of this.pending.get(key) ?? []) if (sample.kind === 'write') sample.supersededAt ??= at;
  }

  /** Starts the polling loop if it is not running, or wakes it from its pause. */
  private watch(): void {
    if (this.loop) {
      this.fresh = true;
      this.wake?.();
      return;
    }
    this.loop = (async () => {
      try {
        while (this.pending.size > 0 && !this.finishing) {
          await this.round();
          this.expire(monotonicMs());
          if (this.pending.size === 0 || this.finishing) break;
          // A sample that arrived during the round is looked at without pausing.
          if (!this.fresh) await Promise.race([sleep(this.pollMs), new Promise<void>((resolve) => (this.wake = resolve))]);
          this.fresh = false;
          this.wake = undefined;
        }
      } finally {
        this.loop = undefined;
      }
    })();
  }

  /** One multi-get of every pending key, chunk by chunk. */
  private async round(): Promise<void> {
    const keys = [...this.pending.keys()];
    for (let i = 0; i < keys.length; i += this.chunk) {
      const ids = keys.slice(i, i + this.chunk);
      const asked = monotonicMs();
      let docs: Awaited<ReturnType<LagProbe['mget']>>;
      try {
        docs = await this.search.mget(this.index, ids);
      } catch {
        continue; // the engine may be down under a fault: the deadline still runs
      }
      ids.forEach((key, j) => this.observe(key, docs[j], asked));
    }
  }

  private observe(key: string, doc: { source: Record<string, unknown> } | undefined, asked: number): void {
    const samples = this.pending.get(key);
    if (!samples) return;
    const left = samples.filter((sample) => {
      if (asked < sample.ackAt) return true;
      const seen = sample.kind === 'write' ? doc !== undefined && Number(doc.source.version) >= sample.version : doc === undefined && sample.presentSeen;
      if (seen) {
        const lagMs = asked - sample.ackAt;
        this.observed.push(lagMs);
        this.points.push({ atMs: sample.ackAt - this.runStart, lagMs });
        return false;
      }
      if (sample.kind === 'delete' && doc !== undefined) sample.presentSeen = true;
      sample.lastUnseenAt = asked;
      return true;
    });
    if (left.length > 0) this.pending.set(key, left);
    else this.pending.delete(key);
  }

  /**
   * Closes the samples a request begun at or after their deadline did not see, so a censored bound
   * is at least `timeoutMs`; and, whatever the requests did (an engine down for long), those a
   * whole further `timeoutMs` past it.
   */
  private expire(now: number): void {
    for (const [key, samples] of this.pending) {
      const left = samples.filter((sample) => {
        const watchedLongEnough = sample.lastUnseenAt !== null && sample.lastUnseenAt >= sample.deadline;
        if (!watchedLongEnough && now < sample.deadline + this.timeoutMs) return true;
        this.close(sample);
        return false;
      });
      if (left.length > 0) this.pending.set(key, left);
      else this.pending.delete(key);
    }
  }

  /** An unseen sample at its end: censored at the time it was watched, or counted as not timeable. */
  private close(sample: Sample): void {
    if (sample.kind === 'write' && sample.supersededAt !== null) this.superseded++;
    else if (sample.kind === 'delete' && !sample.presentSeen) this.unconfirmed++;
    else this.censoredBounds.push(sample.lastUnseenAt === null ? 0 : sample.lastUnseenAt - sample.ackAt);
  }
}
