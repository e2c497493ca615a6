// What a 2pc write's client is told when its transaction did not commit, in converge's error tree.
// Code branches on these classes, never on text.
import { ConvergeError } from '../../harness/errors.ts';

/**
 * The transaction aborted: no COMMIT was logged and none ever will be (presumed abort), so the
 * write took effect in neither store, even where a prepared branch or a staged document is still
 * to be cleaned up. `retriable` follows the cause (a lock wait timeout may pass; a refused document will not).
 */
export class TransactionAbortedError extends ConvergeError {
  constructor(xid: string, reason: string, options: { retriable: boolean; cause?: unknown }) {
    super(`2pc transaction ${xid} aborted: ${reason}`, { definite: true, retriable: options.retriable, cause: options.cause });
  }
}

/**
 * The transaction is in doubt in this process: COMMIT was (or may have been) logged, and phase 2
 * did not finish here. Recovery (quiesce, recover) finishes it as the log says: the outcome is unknown to the client.
 */
export class TransactionInDoubtError extends ConvergeError {
  constructor(xid: string, reason: string, cause?: unknown) {
    super(`2pc transaction ${xid} is in doubt: ${reason}`, { definite: false, retriable: false, cause });
  }
}
