// One saga's actor at work: created fresh for a write or restored from the log's snapshot, it is
// watched on every transition to
//   1. time the state it left (SagaStats),
//   2. store `getPersistedSnapshot()` in the saga's log row — once step 1 has committed, since the
//      row is step 1's — a writer at a time, always the latest snapshot (an older one still
//      queued is skipped: any persisted snapshot is a valid point to resume from),
//   3. from step 1's commit, count the key as held by this process (LockWaiters); at a final state,
//      record the end (status, pending marker released) and only then release the key, waking the
//      sagas waiting for it, and settle `ended`;
//   4. settle `stepOne` as soon as the saga leaves step 1, for `ack: step1`.
// A log write that fails even after retries is counted; the saga carries on, and a crash would
// resume it from the last snapshot that was stored (its steps are idempotent).
import { createActor, type Actor, type SnapshotFrom } from 'xstate';
import { classifyMysqlError } from '../../harness/entity/mysql-writes.ts';
import { ConvergeError } from '../../harness/errors.ts';
import { retry } from '../../harness/retry.ts';
import type { LockWaiters } from './lock-waiters.ts';
import type { SagaLog, SagaStatus } from './saga-log.ts';
import { LOGGED_FINAL_STATES, UNLOGGED_STATES, type SagaContext, type SagaInput, type SagaMachine } from './saga-machine.ts';
import type { SagaStats } from './saga-stats.ts';

export interface SagaSettled {
  /** The state the saga was in when this settled (`error` if the machine itself threw). */
  state: string;
  context: SagaContext;
}

const STATUS_OF: Readonly<Record<string, Exclude<SagaStatus, 'active'>>> = {
  done: 'done',
  compensated: 'compensated',
  compensationMoot: 'moot',
  failed: 'failed',
};
const STEP_ONE_STATES: ReadonlySet<string> = new Set(['writingRow', 'awaitingLock']);
const RETRY_STATES: Readonly<Record<string, 'indexRetries' | 'compensationRetries'>> = {
  awaitingIndexRetry: 'indexRetries',
  awaitingCompensationRetry: 'compensationRetries',
  awaitingCompensationIndexRetry: 'compensationRetries',
};

export interface SagaRunParts {
  log: SagaLog;
  stats: SagaStats;
  waiters: LockWaiters;
}

export class SagaRun {
  readonly sagaId: string;
  readonly rowId: number;
  readonly stepOne: Promise<SagaSettled>;
  readonly ended: Promise<SagaSettled>;
  private readonly actor: Actor<SagaMachine>;
  private state = '';
  private enteredAt = 0;
  private latest: { state: string; persisted: unknown; final: boolean; context: SagaContext } | null = null;
  private writing = false;
  private stopped = false;
  private holding = false;
  private settleStepOne!: (settled: SagaSettled) => void;
  private settleEnd!: (settled: SagaSettled) => void;

  constructor(
    machine: SagaMachine,
    /** A new saga from `input`; with `snapshot` (from the log), the saga resumed where it was stored. */
    start: { input: SagaInput; snapshot?: unknown },
    private readonly parts: SagaRunParts,
  ) {
    this.sagaId = start.input.sagaId;
    this.rowId = start.input.op.id;
    this.stepOne = new Promise((resolve) => (this.settleStepOne = resolve));
    this.ended = new Promise((resolve) => (this.settleEnd = resolve));
    this.actor =
      start.snapshot === undefined || start.snapshot === null
        ? createActor(machine, { input: start.input })
        : createActor(machine, { input: start.input, snapshot: start.snapshot as SnapshotFrom<SagaMachine> });
    this.actor.subscribe({
      next: (snapshot) => this.onSnapshot(snapshot),
      error: (error) => this.onMachineError(error),
    });
  }

  start(): this {
    this.actor.start();
    return this;
  }

  /** Stop the actor where it is (the process is closing); the log keeps what was last stored. */
  stop(): void {
    this.stopped = true;
    this.latest = null;
    this.actor.stop();
  }

  private onSnapshot(snapshot: SnapshotFrom<SagaMachine>): void {
    const state = String(snapshot.value);
    const now = performance.now();
    if (state !== this.state) {
      if (this.state !== '') this.parts.stats.recordStateTime(this.state, now - this.enteredAt);
      this.state = state;
      this.enteredAt = now;
      const counter = RETRY_STATES[state];
      if (counter) this.parts.stats[counter]++;
      if (state === 'awaitingLock') this.parts.stats.lockWaits++;
    }
    const final = snapshot.status === 'done';
    const settled = { state, context: snapshot.context };
    if (!STEP_ONE_STATES.has(state)) this.settleStepOne(settled);
    if (!this.holding && !UNLOGGED_STATES.has(state)) {
      // Step 1 committed (or the saga was resumed past it): this process holds the key until the end is recorded.
      this.holding = true;
      this.parts.waiters.hold(this.rowId);
    }
    if (UNLOGGED_STATES.has(state)) {
      if (final) this.settleEnd(settled);
      return;
    }
    this.latest = { state, persisted: final ? null : this.actor.getPersistedSnapshot(), final, context: snapshot.context };
    void this.flush();
  }

  private onMachineError(error: unknown): void {
    this.parts.stats.machineErrors++;
    const settled = { state: 'error', context: { ...this.actor.getSnapshot().context, error: { name: 'MachineError', message: String(error), definite: false, retriable: false } } };
    this.settleStepOne(settled);
    this.settleEnd(settled);
  }

  private async flush(): Promise<void> {
    if (this.writing) return;
    this.writing = true;
    try {
      while (this.latest) {
        const item = this.latest;
        this.latest = null;
        const status = STATUS_OF[item.state];
        const write =
          item.final && status && LOGGED_FINAL_STATES.has(item.state)
            ? () => this.parts.log.finish(this.sagaId, item.state, status, item.context.error?.message ?? null)
            : () => this.parts.log.persist(this.sagaId, item.state, item.persisted);
        try {
          await retry(
            async (_attempt, bail) => {
              if (this.stopped) bail(new ConvergeError('the saga was stopped', { definite: false }));
              try {
                await write();
              } catch (error) {
                throw classifyMysqlError(error, true);
              }
            },
            { timeoutMs: 30_000, maxDelayMs: 1000, description: `saga log write of ${this.sagaId}` },
          );
        } catch {
          if (this.stopped) return;
          this.parts.stats.logWriteFailures++;
        }
        if (item.final) {
          if (this.holding) this.parts.waiters.release(this.rowId);
          this.settleEnd({ state: item.state, context: item.context });
        }
      }
    } finally {
      this.writing = false;
    }
  }
}
