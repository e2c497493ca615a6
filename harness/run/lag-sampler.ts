// Replication lag as the harness observes it, independently of the strategy: for a sample of
// acknowledged writes, how long after the acknowledgement the index showed the write.
// - Which writes: a write whose position in its phase's operation stream is a multiple of `every`,
//   decided when it is invoked. The rate is fixed and the same operations are sampled for every
//   strategy, however many samples are pending. A sampled write that fails, has an unknown
//   outcome or changes no row is not a sample: there is no acknowledgement to time from.
// - Watching: a pending sample is a small record; none is ever skipped. Requests in flight are
//   bounded whatever the number pending (bounded memory, not bounded concurrency): ONE loop asks
//   about the keys of all pending samples each round, with real-time multi-gets in chunks, one
//   request at a time; and a new sample gets a first look at once, in a multi-get of the samples
//   acknowledged since the last first look, with at most `firstLooks` such requests in flight.
// - Timing: from the acknowledgement to the start of the request that first saw the sample, and
//   never less than the start of a request that did not see it (answers may arrive out of order).
//   A request begun before the acknowledgement says nothing about a sample.
// - Seen: an insert, update or increment when the index shows its version or a later one; a delete
//   when its document, known present before (by a GET just before the delete was invoked, outside
//   the write's latency, or by a request answered earlier), is seen absent by a request begun
//   after that. A delete of a document the index never showed is never "seen": absence alone does
//   not prove the delete arrived.
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
import type { SearchPort, StoredDocument } from '../stores/search/search-port.ts';
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
  /** First-look requests in flight at most, beside the loop's one (default 4). */
  firstLooks?: number;
}

export interface LagPoint {
  /** Acknowledgement time, ms since the run's start. */
  atMs: number;
  lagMs: number;
}

/** A sampled write between its invocation and its completion. */
export interface LagTicket {
  readonly op: Op;
  /** A delete's document was present just before the delete was invoked: when that GET answered. */
  readonly presentAt: number | null;
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
  /** Deletes: the earliest answer that showed the document present. */
  presentAt: number | null;
  supersededAt: number | null;
  /** Start of the latest request, begun after the acknowledgement, that did not see the sample. */
  lastUnseenAt: number | null;
  /** A request begun after the acknowledgement has asked about it. */
  looked: boolean;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Pause between rounds while the engine answers nothing, in ms. */
const ENGINE_DOWN_PAUSE_MS = 100;

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
  /** Samples waiting for their first look (some may have been looked at by the loop meanwhile). */
  private unlooked: Sample[] = [];
  private readonly firstLooksInFlight = new Set<Promise<boolean>>();
  private loop: Promise<void> | undefined;
  private finishing = false;
  private stopped = false;
  /** A sample arrived while the loop was busy. */
  private fresh = false;
  private wake: (() => void) | undefined;
  private readonly every: number;
  private readonly pollMs: number;
  private readonly timeoutMs: number;
  private readonly chunk: number;
  private readonly maxFirstLooks: number;

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
    this.maxFirstLooks = options.firstLooks ?? 4;
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
    let presentAt: number | null = null;
    if (op.kind === 'delete') {
      try {
        if ((await this.search.get(this.index, key)) !== undefined) presentAt = monotonicMs();
      } catch {
        // unknown: the sample must then see the document itself before its absence counts
      }
    }
    const ticket: LagTicket = { op, presentAt, supersededAt: null };
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
      presentAt: isDelete ? ticket.presentAt : null,
      supersededAt: isDelete ? null : ticket.supersededAt,
      lastUnseenAt: null,
      looked: false,
    };
    const samples = this.pending.get(key) ?? [];
    samples.push(sample);
    this.pending.set(key, samples);
    this.unlooked.push(sample);
    this.firstLook();
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
    await Promise.all([...this.firstLooksInFlight]);
    if (this.pending.size > 0) await this.round();
    for (const samples of this.pending.values()) for (const sample of samples) this.close(sample);
    this.pending.clear();
    this.unlooked = [];
  }

  /** Stops watching at once, closing nothing (a run that crashed): no request is sent after those in flight. */
  stop(): void {
    this.stopped = true;
    this.finishing = true;
    this.wake?.();
    this.pending.clear();
    this.unlooked = [];
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

  /** Gives the samples not yet looked at a first look at once, while fewer than `firstLooks` such requests are in flight. */
  private firstLook(): void {
    while (!this.finishing && this.firstLooksInFlight.size < this.maxFirstLooks) {
      const keys = new Set<string>();
      while (keys.size < this.chunk && this.unlooked.length > 0) {
        const sample = this.unlooked.shift()!;
        if (!sample.looked) keys.add(sample.key);
      }
      if (keys.size === 0) return;
      const look: Promise<boolean> = this.ask([...keys]).finally(() => {
        this.firstLooksInFlight.delete(look);
        this.firstLook();
      });
      this.firstLooksInFlight.add(look);
    }
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
          const answered = await this.round();
          this.expire(monotonicMs());
          if (this.pending.size === 0 || this.finishing) break;
          // A sample that arrived during the round is looked at again without pausing; an engine
          // that answered nothing (down under a fault) is asked again less often.
          const pause = answered ? this.pollMs : Math.max(this.pollMs, ENGINE_DOWN_PAUSE_MS);
          if (!this.fresh || !answered) await Promise.race([sleep(pause), new Promise<void>((resolve) => (this.wake = resolve))]);
          this.fresh = false;
          this.wake = undefined;
        }
      } finally {
        this.loop = undefined;
      }
    })();
  }

  /** One multi-get of every pending key, chunk by chunk; false when no request was answered. */
  private async round(): Promise<boolean> {
    const keys = [...this.pending.keys()];
    let answered = keys.length === 0;
    for (let i = 0; i < keys.length && !this.stopped; i += this.chunk) if (await this.ask(keys.slice(i, i + this.chunk))) answered = true;
    return answered;
  }

  /** One multi-get request and what it shows about each pending sample of its keys; false when it failed. */
  private async ask(keys: string[]): Promise<boolean> {
    const asked = monotonicMs();
    let docs: (StoredDocument | undefined)[];
    try {
      docs = await this.search.mget(this.index, keys);
    } catch {
      return false; // the engine may be down under a fault: the deadline still runs
    }
    const answered = monotonicMs();
    keys.forEach((key, j) => this.observe(key, docs[j], asked, answered));
    return true;
  }

  private observe(key: string, doc: StoredDocument | undefined, asked: number, answered: number): void {
    const samples = this.pending.get(key);
    if (!samples) return;
    const left = samples.filter((sample) => {
      if (asked < sample.ackAt) return true;
      sample.looked = true;
      let seen: boolean;
      if (sample.kind === 'write') {
        seen = doc !== undefined && Number(doc.source.version) >= sample.version;
      } else {
        // Absence proves the delete only after a presence known before this request began.
        seen = doc === undefined && sample.presentAt !== null && sample.presentAt < asked;
        if (doc !== undefined) sample.presentAt = Math.min(sample.presentAt ?? answered, answered);
      }
      if (seen) {
        const lagMs = Math.max(asked, sample.lastUnseenAt ?? asked) - sample.ackAt;
        this.observed.push(lagMs);
        this.points.push({ atMs: sample.ackAt - this.runStart, lagMs });
        return false;
      }
      // For a delete, only a presence shows it had not arrived yet; an absence before one shows nothing.
      if (sample.kind === 'write' || doc !== undefined) sample.lastUnseenAt = Math.max(sample.lastUnseenAt ?? asked, asked);
      return true;
    });
    if (left.length > 0) this.pending.set(key, left);
    else this.pending.delete(key);
  }

  /**
   * Closes the samples a request begun at or after their deadline did not see, so a censored bound
   * is at least `timeoutMs`; and, whatever the requests showed (an engine down for long, a delete
   * whose document never showed), those a whole further `timeoutMs` past it.
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
    else if (sample.kind === 'delete' && sample.presentAt === null) this.unconfirmed++;
    else this.censoredBounds.push(sample.lastUnseenAt === null ? 0 : sample.lastUnseenAt - sample.ackAt);
  }
}
