// The messages between the harness and a strategy's worker process (Node IPC): the harness calls a
// contract method by name with an id; the worker answers with the value or a serialised error
// that keeps converge's `definite` and `retriable` flags. Calls (and results) made in the same turn
// of the event loop travel as one message: each message is a write on the channel, and on this
// kind of machine a write costs more than the rest of a call's IPC.

export const WORKER_METHODS = ['open', 'setup', 'write', 'quiesce', 'recover', 'stats', 'teardown', 'close', 'startCapture', 'warmUp', 'configuration'] as const;
export type WorkerMethod = (typeof WORKER_METHODS)[number];

export interface CallMessage {
  type: 'call';
  id: number;
  method: WorkerMethod;
  args: unknown[];
}

export interface SerializedError {
  name: string;
  message: string;
  definite: boolean;
  retriable: boolean;
}

export type ResultMessage = { type: 'result'; id: number; ok: true; value: unknown } | { type: 'result'; id: number; ok: false; error: SerializedError };

export interface ReadyMessage {
  type: 'ready';
  pid: number;
}

/** Calls made in one turn of the harness's event loop, sent as one message (one write on the channel). */
export interface CallBatchMessage {
  type: 'calls';
  calls: CallMessage[];
}

/** Results ready in one turn of the worker's event loop, sent as one message. */
export interface ResultBatchMessage {
  type: 'results';
  results: ResultMessage[];
}

export type WorkerMessage = ResultMessage | ResultBatchMessage | ReadyMessage;
export type HarnessMessage = CallMessage | CallBatchMessage;
