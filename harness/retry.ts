// converge's one retry helper: exponential backoff with full jitter, a cap on the delay, a deadline,
// `bail()` to stop early with an error, and an injectable clock so tests need not sleep.
// Programming errors (TypeError and kin) are never retried; a ConvergeError with retriable=false
// is not retried either.
import { ConvergeError, TimeoutError, isProgrammingError } from './errors.ts';

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface RetryOptions {
  /** First delay in ms (default 100). */
  initialDelayMs?: number;
  /** Largest delay between attempts in ms (default 2000). */
  maxDelayMs?: number;
  /** Growth factor of the delay (default 2). */
  factor?: number;
  /** Give up after this many attempts (default unlimited while the deadline allows). */
  maxAttempts?: number;
  /** Give up once this many ms have passed since the first attempt (default 30000). */
  timeoutMs?: number;
  /** What the attempts are for, used in the timeout message. */
  description?: string;
  clock?: Clock;
  random?: () => number;
}

class Bail extends Error {
  constructor(readonly error: unknown) {
    super('bail');
  }
}

/** The delay after failed attempt `attempt` (from 1): exponential from `initialMs`, capped at `maxMs`, full jitter. */
export function backoffDelay(attempt: number, initialMs: number, maxMs: number, factor = 2, random: () => number = Math.random): number {
  return Math.min(maxMs, initialMs * factor ** (attempt - 1)) * random();
}

export type AttemptFn<T> = (attempt: number, bail: (error: unknown) => never) => Promise<T>;

export async function retry<T>(fn: AttemptFn<T>, options: RetryOptions = {}): Promise<T> {
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const initial = options.initialDelayMs ?? 100;
  const cap = options.maxDelayMs ?? 2000;
  const factor = options.factor ?? 2;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxAttempts = options.maxAttempts ?? Number.POSITIVE_INFINITY;
  const started = clock.now();
  const bail = (error: unknown): never => {
    throw new Bail(error);
  };
  let lastError: unknown;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt, bail);
    } catch (error) {
      if (error instanceof Bail) throw error.error;
      if (isProgrammingError(error)) throw error;
      if (error instanceof ConvergeError && !error.retriable) throw error;
      lastError = error;
    }
    const delay = backoffDelay(attempt, initial, cap, factor, random);
    const elapsed = clock.now() - started;
    if (attempt >= maxAttempts || elapsed + delay > timeoutMs) {
      const what = options.description ?? 'operation';
      throw new TimeoutError(`${what} did not succeed after ${attempt} attempts in ${elapsed} ms`, { cause: lastError });
    }
    await clock.sleep(delay);
  }
}
