// Errors of the search port, in converge's error tree: a version conflict is definite (the write
// did not apply), an unreachable engine is retriable with an unknown outcome, any other rejection
// is definite and not retriable (a mapping error, a bad request).
import { ConvergeError } from '../../errors.ts';

export class VersionConflictError extends ConvergeError {
  constructor(
    readonly index: string,
    readonly id: string,
    reason: string,
  ) {
    super(`version conflict on ${index}/${id}: ${reason}`, { definite: true, retriable: false });
  }
}

export class SearchRequestError extends ConvergeError {
  constructor(
    readonly status: number,
    readonly type: string,
    reason: string,
    options: { retriable: boolean; definite: boolean; cause?: unknown },
  ) {
    super(`search engine answered ${status} ${type}: ${reason}`, options);
  }
}

/** 429 and 5xx may pass; a 4xx will not. A connection error (status 0) has an unknown outcome. */
export function searchErrorFor(status: number, body: unknown, cause?: unknown): SearchRequestError {
  const error = (body as { error?: { type?: string; reason?: string } | string } | undefined)?.error;
  const type = typeof error === 'object' ? (error.type ?? 'error') : 'error';
  const reason = typeof error === 'object' ? (error.reason ?? JSON.stringify(body)) : (error ?? (body === undefined ? 'no response' : JSON.stringify(body)));
  const retriable = status === 0 || status === 429 || status >= 500;
  return new SearchRequestError(status, type, reason, { retriable, definite: status !== 0 && status < 500, cause });
}
