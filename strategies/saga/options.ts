// The saga strategy's options (`strategies.saga` in a scenario), as a zod schema with their
// defaults, the check the schema cannot make (the backoff's bounds in order), and their parsing:
// a bad option is a ConfigError naming it.
import { z } from 'zod';
import type { PathProblem } from '../../harness/scenario/params.ts';
import { optionsError, parseStrategyOptions } from '../parse-options.ts';

export const sagaOptionsSchema = z.strictObject({
  /**
   * When the client is answered. `end` (default): once the saga has ended, so a compensated write is
   * a definite `fail` and an acknowledged one is in both stores. `step1`: once the MySQL transaction
   * (step 1) committed; the index step and any compensation follow in the background.
   */
  ack: z.enum(['step1', 'end']).default('end'),
  /**
   * `semantic-lock` (default): a key with a saga in flight carries a pending marker in the saga log,
   * and a second saga on that key waits until the first has ended (at most `lockTimeoutMs`, then it
   * fails without writing). `none`: sagas on one key overlap; a compensation that a later write
   * superseded is moot.
   */
  isolation: z.enum(['none', 'semantic-lock']).default('semantic-lock'),
  /** How long a saga waits for a key's pending marker, in ms; 0 fails fast. Default 5000. */
  lockTimeoutMs: z.number().int().min(0).max(600_000).default(5000),
  /** Attempts of an index step (retriable errors: 429, 5xx, connection) before compensating. Default 5. */
  indexAttempts: z.number().int().min(1).max(1000).default(5),
  /** Attempts of each compensation step (MySQL, then index) before the saga is `failed`. Default 20. */
  compensationAttempts: z.number().int().min(1).max(1000).default(20),
  /** First backoff delay between attempts in ms (exponential, full jitter). Default 50. */
  retryInitialMs: z.number().int().min(1).max(60_000).default(50),
  /** Largest backoff delay in ms. Default 2000. */
  retryMaxMs: z.number().int().min(1).max(600_000).default(2000),
  /**
   * `wait_for`: an index step returns once its document is searchable (the engine's refresh),
   * so with `ack: end` a client reads its own write from the index. Default `none`.
   */
  indexRefresh: z.enum(['none', 'wait_for']).default('none'),
});
export type SagaOptions = z.output<typeof sagaOptionsSchema>;

/** What the schema cannot check in options it accepted; paths are within `strategies.saga`. */
export function sagaOptionProblems(raw: unknown): PathProblem[] {
  const { retryInitialMs, retryMaxMs } = sagaOptionsSchema.parse(raw);
  if (retryMaxMs < retryInitialMs) return [{ path: ['retryMaxMs'], message: `${retryMaxMs} is below retryInitialMs (${retryInitialMs})` }];
  return [];
}

/** The options from `context.options`, defaults applied; a ConfigError naming every bad option. */
export function parseSagaOptions(raw: unknown): SagaOptions {
  const options = parseStrategyOptions('saga', sagaOptionsSchema, raw);
  const problems = sagaOptionProblems(options);
  if (problems.length > 0) throw optionsError('saga', problems.map((p) => `strategies.saga.${p.path.join('.')}: ${p.message}`));
  return options;
}
