// The messages between the harness and a strategy's worker process (Node IPC): the harness calls a
// contract method by name with an id; the worker answers with the value or a serialised error
// that keeps converge's `definite` and `retriable` flags.

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

export type WorkerMessage = ResultMessage | ReadyMessage;
