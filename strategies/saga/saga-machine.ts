// The orchestrator of one write as an xstate v5 machine. Its steps are named `fromPromise` actors
// declared here and implemented by the strategy (saga-steps.ts) through `machine.provide()`; tests
// swap them the same way. States:
//
//   writingRow ──(another saga holds the key)──▶ awaitingLock ──▶ writingRow
//   writingRow ──(no row changed)──▶ unchanged            writingRow ──(step 1 failed)──▶ aborted
//   writingRow ──▶ indexing ──▶ done
//   indexing ──(429/5xx/connection, attempts left)──▶ awaitingIndexRetry ──▶ indexing
//   indexing ──(rejected by the engine, or attempts spent)──▶ compensating
//   compensating ──(row superseded by a later write)──▶ compensationMoot
//   compensating ──▶ indexingCompensation ──▶ compensated
//   compensating / indexingCompensation ──(retriable, attempts left)──▶ awaiting…Retry ──▶ (again)
//   compensating / indexingCompensation ──(definite, or attempts spent)──▶ failed
//   indexing ──(not a converge error: a bug)──▶ failed (the data is left alone)
//
// The context is plain JSON, so `getPersistedSnapshot()` can be stored after every transition and
// restored with `createActor(machine, { snapshot })`. Restoring re-runs the invocation that was in
// flight, so every step is idempotent (see saga-steps.ts). Backoffs are invoked sleeps rather than
// `after` delays, because a restored snapshot does not re-arm delayed transitions.
import { assign, fromPromise, setup } from 'xstate';
import { ConvergeError } from '../../harness/errors.ts';
import type { Op } from '../../harness/workload/op.ts';
import type { RowValue, WriteOutcome } from '../contract.ts';
import { errorInfo, SemanticLockHeldError, type ErrorInfo } from './errors.ts';
import { compensationVersion, forwardVersion } from './external-version.ts';

/** What step 1 committed (and the saga log holds). */
export interface StepOneResult {
  /** The saga's sequence number in the log; null when the write changed no row (then there is no saga). */
  seq: number | null;
  /** What the write returned, as applyMysqlWrite gives it. */
  outcome: WriteOutcome;
  /** The row before the write (null for an insert). */
  before: RowValue | null;
  /** The row after the write (null for a delete). */
  after: RowValue | null;
}

/** What compensating step 1 did: restored the before-image (`row` is the row now, null when deleted), or nothing. */
export type CompensationResult = { outcome: 'applied'; row: RowValue | null } | { outcome: 'moot'; reason: string };

export interface SagaLimits {
  /** Epoch ms after which a saga stops waiting for a key's pending marker. */
  lockDeadline: number;
  lockTimeoutMs: number;
  indexAttempts: number;
  compensationAttempts: number;
  retryInitialMs: number;
  retryMaxMs: number;
}

export interface SagaInput {
  sagaId: string;
  op: Op;
  limits: SagaLimits;
  /** Resumed by recovery from a log row with no snapshot: step 1 may have committed already. */
  resumed?: boolean;
}

export interface SagaContext extends SagaInput {
  step: StepOneResult | null;
  compensation: CompensationResult | null;
  /** Failed attempts of the step under way. */
  attempts: number;
  /** Why the index step gave up: the cause of the compensation. */
  rejection: ErrorInfo | null;
  /** What ended the saga in `aborted` or `failed`. */
  error: ErrorInfo | null;
}

export interface WriteRowInput {
  sagaId: string;
  op: Op;
  /** Step 1 may have committed before (recovery): look for the saga's log row first. */
  resumed: boolean;
}
export interface AwaitLockInput {
  rowId: number;
  deadline: number;
  timeoutMs: number;
}
export interface IndexInput {
  rowId: number;
  /** The engine's external version of this write. */
  version: number;
  /** The row to index; null deletes the document. */
  row: RowValue | null;
}
export interface CompensateInput {
  sagaId: string;
  op: Op;
  step: StepOneResult;
}
export interface BackoffInput {
  attempt: number;
  initialMs: number;
  maxMs: number;
}

const notProvided = (step: string) => () => Promise.reject(new ConvergeError(`saga step ${step} has no implementation: provide it with machine.provide()`, { definite: true }));

/** The final states, and which of them leave a row in the saga log. */
export const FINAL_STATES = ['done', 'compensated', 'compensationMoot', 'failed', 'aborted', 'unchanged'] as const;
export type FinalState = (typeof FINAL_STATES)[number];
export const LOGGED_FINAL_STATES: ReadonlySet<string> = new Set<FinalState>(['done', 'compensated', 'compensationMoot', 'failed']);
/** States before step 1 committed: no log row exists yet, so nothing is persisted. */
export const UNLOGGED_STATES: ReadonlySet<string> = new Set(['writingRow', 'awaitingLock', 'aborted', 'unchanged']);

const isConvergeError = (error: unknown): boolean => error instanceof ConvergeError;
const isRetriable = (error: unknown): boolean => error instanceof ConvergeError && error.retriable;
const afterWrite = (step: StepOneResult | null): RowValue | null => step?.after ?? null;
/** A failed step is tried again when its error is retriable and its attempt budget is not spent. */
const mayRetry =
  (budget: 'indexAttempts' | 'compensationAttempts') =>
  ({ context, event }: { context: SagaContext; event: { error: unknown } }): boolean =>
    isRetriable(event.error) && context.attempts + 1 < context.limits[budget];
/** The pause before the next attempt of the step under way. */
const backoffInput = ({ context }: { context: SagaContext }): BackoffInput => ({ attempt: context.attempts, initialMs: context.limits.retryInitialMs, maxMs: context.limits.retryMaxMs });

export const sagaMachine = setup({
  types: {
    context: {} as SagaContext,
    input: {} as SagaInput,
  },
  actors: {
    writeRow: fromPromise<StepOneResult, WriteRowInput>(notProvided('writeRow')),
    awaitLock: fromPromise<void, AwaitLockInput>(notProvided('awaitLock')),
    indexRow: fromPromise<void, IndexInput>(notProvided('indexRow')),
    compensateRow: fromPromise<CompensationResult, CompensateInput>(notProvided('compensateRow')),
    backoff: fromPromise<void, BackoffInput>(notProvided('backoff')),
  },
  actions: {
    countFailedAttempt: assign({ attempts: ({ context }) => context.attempts + 1 }),
    resetAttempts: assign({ attempts: 0 }),
  },
}).createMachine({
  id: 'saga',
  context: ({ input }) => ({ ...input, step: null, compensation: null, attempts: 0, rejection: null, error: null }),
  initial: 'writingRow',
  states: {
    writingRow: {
      invoke: {
        src: 'writeRow',
        input: ({ context }) => ({ sagaId: context.sagaId, op: context.op, resumed: context.resumed === true }),
        onDone: [
          { guard: ({ event }) => event.output.seq === null, target: 'unchanged', actions: assign({ step: ({ event }) => event.output }) },
          { target: 'indexing', actions: assign({ step: ({ event }) => event.output }) },
        ],
        onError: [
          { guard: ({ event }) => event.error instanceof SemanticLockHeldError, target: 'awaitingLock' },
          { target: 'aborted', actions: assign({ error: ({ event }) => errorInfo(event.error) }) },
        ],
      },
    },
    awaitingLock: {
      invoke: {
        src: 'awaitLock',
        input: ({ context }) => ({ rowId: context.op.id, deadline: context.limits.lockDeadline, timeoutMs: context.limits.lockTimeoutMs }),
        onDone: { target: 'writingRow' },
        onError: { target: 'aborted', actions: assign({ error: ({ event }) => errorInfo(event.error) }) },
      },
    },
    indexing: {
      invoke: {
        src: 'indexRow',
        input: ({ context }) => ({ rowId: context.op.id, version: forwardVersion(context.step!.seq!), row: afterWrite(context.step) }),
        onDone: { target: 'done', actions: 'resetAttempts' },
        onError: [
          {
            guard: mayRetry('indexAttempts'),
            target: 'awaitingIndexRetry',
            actions: 'countFailedAttempt',
          },
          { guard: ({ event }) => isConvergeError(event.error), target: 'compensating', actions: [assign({ rejection: ({ event }) => errorInfo(event.error) }), 'resetAttempts'] },
          { target: 'failed', actions: assign({ error: ({ event }) => errorInfo(event.error) }) },
        ],
      },
    },
    awaitingIndexRetry: {
      invoke: {
        src: 'backoff',
        input: backoffInput,
        onDone: { target: 'indexing' },
      },
    },
    compensating: {
      invoke: {
        src: 'compensateRow',
        input: ({ context }) => ({ sagaId: context.sagaId, op: context.op, step: context.step! }),
        onDone: [
          { guard: ({ event }) => event.output.outcome === 'moot', target: 'compensationMoot', actions: assign({ compensation: ({ event }) => event.output }) },
          { target: 'indexingCompensation', actions: [assign({ compensation: ({ event }) => event.output }), 'resetAttempts'] },
        ],
        onError: [
          {
            guard: mayRetry('compensationAttempts'),
            target: 'awaitingCompensationRetry',
            actions: 'countFailedAttempt',
          },
          { target: 'failed', actions: assign({ error: ({ event }) => errorInfo(event.error) }) },
        ],
      },
    },
    awaitingCompensationRetry: {
      invoke: {
        src: 'backoff',
        input: backoffInput,
        onDone: { target: 'compensating' },
      },
    },
    indexingCompensation: {
      invoke: {
        src: 'indexRow',
        input: ({ context }) => {
          const compensation = context.compensation as Extract<CompensationResult, { outcome: 'applied' }>;
          return { rowId: context.op.id, version: compensationVersion(context.step!.seq!), row: compensation.row };
        },
        onDone: { target: 'compensated' },
        onError: [
          {
            guard: mayRetry('compensationAttempts'),
            target: 'awaitingCompensationIndexRetry',
            actions: 'countFailedAttempt',
          },
          { target: 'failed', actions: assign({ error: ({ event }) => errorInfo(event.error) }) },
        ],
      },
    },
    awaitingCompensationIndexRetry: {
      invoke: {
        src: 'backoff',
        input: backoffInput,
        onDone: { target: 'indexingCompensation' },
      },
    },
    done: { type: 'final' },
    compensated: { type: 'final' },
    compensationMoot: { type: 'final' },
    failed: { type: 'final' },
    aborted: { type: 'final' },
    unchanged: { type: 'final' },
  },
});

export type SagaMachine = typeof sagaMachine;
