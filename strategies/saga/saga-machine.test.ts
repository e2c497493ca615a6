// The saga machine's logic with its steps swapped by machine.provide(): the happy path, retries
// with backoff then compensation, a definitive rejection compensated at once, a moot compensation,
// the semantic lock's wait and timeout, a bug that leaves the data alone, and a snapshot persisted
// mid-step (as JSON) that, restored, re-runs the step in flight and finishes.
import { describe, expect, it } from 'vitest';
import { createActor, fromPromise, toPromise, type SnapshotFrom } from 'xstate';
import { ConvergeError } from '../../harness/errors.ts';
import { SearchRequestError } from '../../harness/stores/search/search-errors.ts';
import type { Op } from '../../harness/workload/op.ts';
import { SemanticLockHeldError, SemanticLockTimeoutError } from './errors.ts';
import { compensationVersion, forwardVersion } from './external-version.ts';
import {
  sagaMachine,
  type AwaitLockInput,
  type BackoffInput,
  type CompensateInput,
  type CompensationResult,
  type IndexInput,
  type SagaInput,
  type StepOneResult,
  type WriteRowInput,
} from './saga-machine.ts';

const op: Op = { index: 0, phase: 'p', kind: 'update', id: 7, values: { amount: 3 } };
const before = { id: 7, version: 4, amount: 1 };
const after = { id: 7, version: 5, amount: 3 };
const stepOne: StepOneResult = { seq: 42, outcome: { value: after, version: 5 }, before, after };
const input: SagaInput = {
  sagaId: 's-1',
  op,
  limits: { lockDeadline: Date.now() + 60_000, lockTimeoutMs: 60_000, indexAttempts: 3, compensationAttempts: 2, retryInitialMs: 1, retryMaxMs: 1 },
};

const rejected400 = () => new SearchRequestError(400, 'mapper_parsing_exception', 'out of range for an integer', { retriable: false, definite: true });
const unavailable503 = () => new SearchRequestError(503, 'unavailable_shards_exception', 'no shard', { retriable: true, definite: true });

interface Steps {
  writeRow?: (input: WriteRowInput) => Promise<StepOneResult>;
  awaitLock?: (input: AwaitLockInput) => Promise<void>;
  indexRow?: (input: IndexInput) => Promise<void>;
  compensateRow?: (input: CompensateInput) => Promise<CompensationResult>;
}

/** The machine with scripted steps; records every call in order. */
function scripted(steps: Steps) {
  const calls: string[] = [];
  const machine = sagaMachine.provide({
    actors: {
      writeRow: fromPromise<StepOneResult, WriteRowInput>(({ input }) => {
        calls.push('writeRow');
        return steps.writeRow ? steps.writeRow(input) : Promise.resolve(stepOne);
      }),
      awaitLock: fromPromise<void, AwaitLockInput>(({ input }) => {
        calls.push('awaitLock');
        return steps.awaitLock ? steps.awaitLock(input) : Promise.resolve();
      }),
      indexRow: fromPromise<void, IndexInput>(({ input }) => {
        calls.push(`indexRow@${input.version}:${input.row === null ? 'delete' : JSON.stringify(input.row)}`);
        return steps.indexRow ? steps.indexRow(input) : Promise.resolve();
      }),
      compensateRow: fromPromise<CompensationResult, CompensateInput>(({ input }) => {
        calls.push('compensateRow');
        return steps.compensateRow ? steps.compensateRow(input) : Promise.resolve({ outcome: 'applied', row: { ...before, version: 6 } });
      }),
      backoff: fromPromise<void, BackoffInput>(({ input }) => {
        calls.push(`backoff#${input.attempt}`);
        return Promise.resolve();
      }),
    },
  });
  return { machine, calls };
}

async function runToEnd(steps: Steps) {
  const { machine, calls } = scripted(steps);
  const actor = createActor(machine, { input });
  const states: string[] = [];
  actor.subscribe((snapshot) => {
    if (states.at(-1) !== snapshot.value) states.push(String(snapshot.value));
  });
  actor.start();
  await toPromise(actor);
  return { snapshot: actor.getSnapshot(), states, calls };
}

describe('the saga machine', () => {
  it('writes the row, indexes it at the forward version, and is done', async () => {
    const { snapshot, states, calls } = await runToEnd({});
    expect(states).toEqual(['writingRow', 'indexing', 'done']);
    expect(calls).toEqual(['writeRow', `indexRow@${forwardVersion(42)}:${JSON.stringify(after)}`]);
    expect(snapshot.context.step).toEqual(stepOne);
  });

  it('ends `unchanged` without indexing when the write changed no row', async () => {
    const { states, calls } = await runToEnd({ writeRow: () => Promise.resolve({ seq: null, outcome: { value: null, version: null }, before: null, after: null }) });
    expect(states).toEqual(['writingRow', 'unchanged']);
    expect(calls).toEqual(['writeRow']);
  });

  it('retries a retriable index error with backoff, then compensates once the attempts are spent', async () => {
    const { snapshot, states, calls } = await runToEnd({ indexRow: (i) => (i.version === forwardVersion(42) ? Promise.reject(unavailable503()) : Promise.resolve()) });
    expect(states).toEqual(['writingRow', 'indexing', 'awaitingIndexRetry', 'indexing', 'awaitingIndexRetry', 'indexing', 'compensating', 'indexingCompensation', 'compensated']);
    expect(calls.filter((c) => c.startsWith('backoff'))).toEqual(['backoff#1', 'backoff#2']);
    expect(snapshot.context.rejection).toMatchObject({ name: 'SearchRequestError', retriable: true });
    // The compensated row goes to the index above the forward write's version.
    expect(calls.at(-1)).toBe(`indexRow@${compensationVersion(42)}:${JSON.stringify({ ...before, version: 6 })}`);
  });

  it('compensates a definitive rejection (400) at once, without retrying it', async () => {
    const { states, calls, snapshot } = await runToEnd({ indexRow: (i) => (i.version === forwardVersion(42) ? Promise.reject(rejected400()) : Promise.resolve()) });
    expect(states).toEqual(['writingRow', 'indexing', 'compensating', 'indexingCompensation', 'compensated']);
    expect(calls.some((c) => c.startsWith('backoff'))).toBe(false);
    expect(snapshot.context.rejection?.message).toContain('mapper_parsing_exception');
  });

  it('records a compensation a later write superseded as moot, and indexes nothing for it', async () => {
    const { states, calls, snapshot } = await runToEnd({
      indexRow: () => Promise.reject(rejected400()),
      compensateRow: () => Promise.resolve({ outcome: 'moot', reason: 'row 7 is at version 6, the saga wrote 5' }),
    });
    expect(states).toEqual(['writingRow', 'indexing', 'compensating', 'compensationMoot']);
    expect(calls.filter((c) => c.startsWith('indexRow'))).toHaveLength(1);
    expect(snapshot.context.compensation).toEqual({ outcome: 'moot', reason: 'row 7 is at version 6, the saga wrote 5' });
  });

  it('fails when compensation keeps failing, after its own attempts', async () => {
    const lost = () => new ConvergeError('MySQL connection failed mid-write', { definite: false, retriable: true });
    const { states, snapshot } = await runToEnd({ indexRow: () => Promise.reject(rejected400()), compensateRow: () => Promise.reject(lost()) });
    expect(states).toEqual(['writingRow', 'indexing', 'compensating', 'awaitingCompensationRetry', 'compensating', 'failed']);
    expect(snapshot.context.error?.message).toBe('MySQL connection failed mid-write');
  });

  it('leaves the data alone on a bug in a step (not a converge error): failed, no compensation', async () => {
    const { states, calls } = await runToEnd({ indexRow: () => Promise.reject(new TypeError('cannot read properties of undefined')) });
    expect(states).toEqual(['writingRow', 'indexing', 'failed']);
    expect(calls).not.toContain('compensateRow');
  });

  it('waits for the semantic lock and tries step 1 again; gives up at the deadline as aborted', async () => {
    let tries = 0;
    const waited = await runToEnd({ writeRow: () => (++tries < 3 ? Promise.reject(new SemanticLockHeldError(7)) : Promise.resolve(stepOne)) });
    expect(waited.states).toEqual(['writingRow', 'awaitingLock', 'writingRow', 'awaitingLock', 'writingRow', 'indexing', 'done']);
    const timedOut = await runToEnd({ writeRow: () => Promise.reject(new SemanticLockHeldError(7)), awaitLock: (i) => Promise.reject(new SemanticLockTimeoutError(i.rowId, i.timeoutMs)) });
    expect(timedOut.states).toEqual(['writingRow', 'awaitingLock', 'aborted']);
    expect(timedOut.snapshot.context.error).toMatchObject({ name: 'SemanticLockTimeoutError', definite: true });
  });

  it('ends aborted with step 1’s own error when MySQL refused the write', async () => {
    const duplicate = new ConvergeError('MySQL rejected the write: ER_DUP_ENTRY', { definite: true, retriable: false });
    const { states, snapshot, calls } = await runToEnd({ writeRow: () => Promise.reject(duplicate) });
    expect(states).toEqual(['writingRow', 'aborted']);
    expect(snapshot.context.error).toMatchObject({ message: duplicate.message, definite: true });
    expect(calls).toEqual(['writeRow']);
  });

  it('restores a snapshot persisted mid-step (as JSON) and re-runs the step in flight to the end', async () => {
    // First life: the index step hangs (the process is about to be killed).
    const first = scripted({ indexRow: () => new Promise<void>(() => {}) });
    const actor = createActor(first.machine, { input });
    actor.start();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(actor.getSnapshot().value).toBe('indexing');
    const stored = JSON.parse(JSON.stringify(actor.getPersistedSnapshot())) as SnapshotFrom<typeof sagaMachine>;
    actor.stop();
    // Second life: restored from the stored snapshot; step 1 is not run again, the index step is.
    const second = scripted({});
    const restored = createActor(second.machine, { snapshot: stored, input });
    restored.start();
    await toPromise(restored);
    expect(restored.getSnapshot().value).toBe('done');
    expect(second.calls).toEqual([`indexRow@${forwardVersion(42)}:${JSON.stringify(after)}`]);
  });
});
