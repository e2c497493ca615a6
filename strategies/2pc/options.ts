// The 2pc strategy's options (`strategies.2pc` in a scenario), as a zod schema with their
// defaults, and their parsing: a bad option is a ConfigError naming it.
import { z } from 'zod';
import { optionsError, parseStrategyOptions } from '../parse-options.ts';

/** Where a held write stops: both participants prepared (no decision yet), or COMMIT logged (phase 2 not begun). */
export const HOLD_POINTS = ['after-prepare', 'after-decision'] as const;
export type HoldPoint = (typeof HOLD_POINTS)[number];

/** A row id, as the scenario schema takes one (not imported from it: the scenario schema is composed from this registry's schemas). */
const rowId = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

export const twoPcOptionsSchema = z.strictObject({
  /**
   * MySQL's `innodb_lock_wait_timeout` for the coordinator's connections, in seconds: how long a
   * write waits for a row lock (held by another transaction, a prepared branch among them) before
   * it fails, definitely, with nothing applied. Default 10.
   */
  lockWaitTimeoutS: z.number().int().min(1).max(3600).default(10),
  /** Attempts to stage a document (prepare of the search participant) on a retriable error (429, 5xx, connection) before voting no. Default 3. */
  prepareAttempts: z.number().int().min(1).max(100).default(3),
  /**
   * Attempts of each phase-2 step (index apply, XA COMMIT, staging drop; the same for an abort) on
   * a retriable error. Once spent, the transaction stays in doubt, the client is told its outcome
   * is unknown, and quiesce or recover finishes it from the decision log. Default 40.
   */
  phaseTwoAttempts: z.number().int().min(1).max(10_000).default(40),
  /** First backoff delay between attempts in ms (exponential, full jitter). Default 20. */
  retryInitialMs: z.number().int().min(1).max(60_000).default(20),
  /** Largest backoff delay in ms. Default 1000. */
  retryMaxMs: z.number().int().min(1).max(600_000).default(1000),
  /**
   * For crash tests only: a write to one of `ids` stops at `point` and never goes on, holding its
   * prepared branch (and row lock) and staged document, until the worker process is killed. The
   * kill itself comes from outside (the harness's SIGKILL). Default: none.
   */
  holdAt: z.strictObject({ point: z.enum(HOLD_POINTS), ids: z.array(rowId).min(1) }).optional(),
});
export type TwoPcOptions = z.output<typeof twoPcOptionsSchema>;

/** The options from `context.options`, defaults applied; a ConfigError naming every bad option. */
export function parseTwoPcOptions(raw: unknown): TwoPcOptions {
  const options = parseStrategyOptions('2pc', twoPcOptionsSchema, raw);
  const { retryInitialMs, retryMaxMs } = options;
  if (retryMaxMs < retryInitialMs) throw optionsError('2pc', [`strategies.2pc.retryMaxMs: ${retryMaxMs} is below retryInitialMs (${retryInitialMs})`]);
  return options;
}
