// The nemesis: strikes a run's faults on their schedule and heals them. Its life, in order:
//   1. before the run, `unsupportedFaults` says which faults this run cannot inject and why (the
//      pair is then skipped with those reasons, never run as if the fault had happened);
//   2. `start()` as the workload begins, on the run's clock (monotonic ms, origin = the workload's
//      start): each `afterMs` fault is armed;
//   3. the phase runner calls `onProgress(phase, fraction)` as phases advance (at a phase's start
//      with 0, after each operation, at its end with 1); a fault strikes once its phase is that far;
//   4. a struck fault is injected, held for its `durationMs` (cut short if the run is aborted),
//      then healed; its window and what healing waited for are recorded on the same clock;
//   5. `finish()` after the workload waits for every fault still held or healing, and reports each
//      fault whose trigger never came as not injected, with the reason.
// Faults may overlap; each is independent. Nothing here throws from a fault: problems are recorded.
import { monotonicMs } from '../history/entry.ts';
import { errorText, type FaultContext, type FaultKind, type InjectedFault } from './fault-kind.ts';
import { describeFault, type FaultSpec } from './fault-spec.ts';
import { faultKinds, type FaultKinds } from './kinds/index.ts';

/** Monotonic ms and a sleep on the same clock (tests drive a fake one). */
export interface NemesisClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const monotonicClock: NemesisClock = {
  now: monotonicMs,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

interface RecordBase {
  /** Position in the scenario's `faults`. */
  index: number;
  kind: FaultSpec['kind'];
  target: string;
  /** One line: "search-pause on search at load 50%". */
  description: string;
}

/** One fault as it went, times in ms since the workload began. */
export type FaultRecord =
  | (RecordBase & {
      state: 'injected';
      startMs: number;
      /** When the heal step ended: the service was back (or the heal gave up: see `errors`). */
      endMs: number;
      detail: string;
      heal: { waitedFor: string; ms: number };
      errors: string[];
    })
  | (RecordBase & {
      /** Injecting threw; nothing (or not all) was done. */
      state: 'inject-failed';
      startMs: number;
      endMs: number;
      errors: string[];
    })
  | (RecordBase & { state: 'not-injected'; reason: string });

export interface NemesisOptions {
  faults: readonly FaultSpec[];
  context: FaultContext;
  /** The workload's start on `clock`: every recorded time is relative to it. */
  origin: number;
  clock?: NemesisClock;
  /** The kinds by name (default: every real kind; tests give fakes). */
  kinds?: FaultKinds;
  /** Aborting cuts every hold short (the fault is healed at once) and arms nothing more. */
  signal?: AbortSignal;
  log?: (line: string) => void;
}

/** The faults this run cannot inject, each with the reason (an unknown kind included). */
export function unsupportedFaults(faults: readonly FaultSpec[], context: FaultContext, kinds: FaultKinds = faultKinds): { index: number; kind: string; reason: string }[] {
  const out: { index: number; kind: string; reason: string }[] = [];
  faults.forEach((spec, index) => {
    const reason = kindOf(kinds, spec).unsupported(context, spec);
    if (reason !== null) out.push({ index, kind: spec.kind, reason });
  });
  return out;
}

function kindOf(kinds: FaultKinds, spec: FaultSpec): FaultKind {
  return kinds[spec.kind] as unknown as FaultKind;
}

export class Nemesis {
  private readonly clock: NemesisClock;
  private readonly kinds: FaultKinds;
  private readonly log: (line: string) => void;
  private readonly records = new Map<number, FaultRecord>();
  private readonly running = new Map<number, Promise<void>>();
  private readonly pending = new Set<number>();
  private started = false;
  private finished = false;
  private readonly aborted: Promise<void>;
  /** Resolves `aborted`; removed from the signal once the nemesis is done (a bench's one signal serves every pair). */
  private readonly onAbort: () => void;

  constructor(private readonly options: NemesisOptions) {
    this.clock = options.clock ?? monotonicClock;
    this.kinds = options.kinds ?? faultKinds;
    this.log = options.log ?? (() => {});
    options.faults.forEach((_, index) => this.pending.add(index));
    let resolveAborted: () => void = () => {};
    this.aborted = new Promise((resolve) => (resolveAborted = resolve));
    this.onAbort = resolveAborted;
    if (options.signal?.aborted) resolveAborted();
    else options.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  private elapsed(): number {
    return Math.round(this.clock.now() - this.options.origin);
  }

  /** Arm the `afterMs` faults; call once, as the workload begins. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.options.faults.forEach((spec, index) => {
      if (!('afterMs' in spec.at)) return;
      const wait = this.options.origin + spec.at.afterMs - this.clock.now();
      void Promise.race([this.clock.sleep(Math.max(0, wait)), this.aborted]).then(() => this.strike(index));
    });
  }

  /** The phase runner's progress: `phase` is `fraction` (0..1) done. Strikes each fault that waited for it. */
  onProgress(phase: string, fraction: number): void {
    this.options.faults.forEach((spec, index) => {
      if ('phase' in spec.at && spec.at.phase === phase && fraction >= spec.at.fraction) this.strike(index);
    });
  }

  private strike(index: number): void {
    if (!this.pending.has(index) || this.finished || this.options.signal?.aborted) return;
    this.pending.delete(index);
    this.running.set(index, this.run(index));
  }

  private async run(index: number): Promise<void> {
    const spec = this.options.faults[index]!;
    const base: RecordBase = { index, kind: spec.kind, target: spec.target, description: describeFault(spec) };
    const kind = kindOf(this.kinds, spec);
    const reason = kind.unsupported(this.options.context, spec);
    if (reason !== null) {
      this.records.set(index, { ...base, state: 'not-injected', reason });
      return;
    }
    const startMs = this.elapsed();
    this.log(`fault ${base.description}: injecting at ${startMs} ms`);
    let injected: InjectedFault;
    try {
      injected = await kind.inject(this.options.context, spec);
    } catch (error) {
      const endMs = this.elapsed();
      this.records.set(index, { ...base, state: 'inject-failed', startMs, endMs, errors: [`inject failed: ${errorText(error)}`] });
      this.log(`fault ${base.description}: inject failed: ${errorText(error)}`);
      return;
    }
    const holdMs = 'durationMs' in spec ? spec.durationMs : 0;
    if (holdMs > 0) await Promise.race([this.clock.sleep(holdMs), this.aborted]);
    const heal = await injected.heal().catch((error: unknown) => ({ waitedFor: 'heal', healMs: 0, errors: [`heal threw: ${errorText(error)}`] }));
    const endMs = this.elapsed();
    this.records.set(index, {
      ...base,
      state: 'injected',
      startMs,
      endMs,
      detail: injected.detail,
      heal: { waitedFor: heal.waitedFor, ms: heal.healMs },
      errors: heal.errors,
    });
    this.log(`fault ${base.description}: healed at ${endMs} ms (${heal.waitedFor}: ${heal.healMs} ms)${heal.errors.length ? `; errors: ${heal.errors.join('; ')}` : ''}`);
  }

  /** Wait until every fault struck so far is healed (a checkpoint judges the stores after the faults, not during). */
  async healed(): Promise<void> {
    await Promise.all(this.running.values());
  }

  /** After the workload: wait for every fault to end; a fault never struck is reported with why. */
  async finish(): Promise<FaultRecord[]> {
    this.finished = true;
    const at = this.elapsed();
    for (const index of this.pending) {
      const spec = this.options.faults[index]!;
      const reason = this.options.signal?.aborted
        ? 'the run was aborted before its trigger came'
        : 'phase' in spec.at
          ? `phase "${spec.at.phase}" never reached ${Math.round(spec.at.fraction * 100)}% before the workload ended`
          : `the workload ended ${at} ms in, before afterMs ${spec.at.afterMs}`;
      this.records.set(index, { index, kind: spec.kind, target: spec.target, description: describeFault(spec), state: 'not-injected', reason });
    }
    this.pending.clear();
    await Promise.all(this.running.values());
    this.options.signal?.removeEventListener('abort', this.onAbort);
    return [...this.records.values()].sort((a, b) => a.index - b.index);
  }
}
