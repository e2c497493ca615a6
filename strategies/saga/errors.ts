// The saga's errors, in converge's error tree: what a client is told when a saga did not end
// `done`, and the semantic lock's two refusals. Code branches on these classes, never on text.
import { ConvergeError } from '../../harness/errors.ts';

/** Another saga on the key is in flight (its pending marker is in the log): step 1 rolled back. */
export class SemanticLockHeldError extends ConvergeError {
  constructor(readonly rowId: number) {
    super(`key ${rowId} has a saga in flight (semantic lock)`, { definite: true, retriable: true });
  }
}

/** The key's pending marker outlived `lockTimeoutMs`: the write was not applied. */
export class SemanticLockTimeoutError extends ConvergeError {
  constructor(
    readonly rowId: number,
    timeoutMs: number,
  ) {
    super(`key ${rowId} stayed locked by another saga beyond lockTimeoutMs (${timeoutMs} ms): the write was not applied`, { definite: true, retriable: false });
  }
}

/** With `ack: end`: the index refused the document, and step 1 was undone. The write did not happen. */
export class SagaCompensatedError extends ConvergeError {
  constructor(sagaId: string, reason: string) {
    super(`saga ${sagaId} was compensated (the row is back to its before-image): ${reason}`, { definite: true, retriable: false });
  }
}

/** With `ack: end`: the saga could neither finish nor compensate; what the stores hold is not known. */
export class SagaFailedError extends ConvergeError {
  constructor(sagaId: string, reason: string) {
    super(`saga ${sagaId} failed: ${reason}`, { definite: false, retriable: false });
  }
}

/** A plain, serialisable description of an error, kept in the saga's context and log. */
export interface ErrorInfo {
  name: string;
  message: string;
  definite: boolean;
  retriable: boolean;
}

export function errorInfo(error: unknown): ErrorInfo {
  if (error instanceof ConvergeError) return { name: error.name, message: error.message, definite: error.definite, retriable: error.retriable };
  const e = error instanceof Error ? error : new Error(String(error));
  return { name: e.name, message: e.message, definite: false, retriable: false };
}

/** The error a client sees for a step-1 failure described by `info`. */
export function errorFromInfo(info: ErrorInfo): ConvergeError {
  const error = new ConvergeError(info.message, { definite: info.definite, retriable: info.retriable });
  error.name = info.name;
  return error;
}
