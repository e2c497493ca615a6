// The strategy contract (Jepsen's client): how one consistency strategy opens its clients, sets up
// its table, index and background machinery, applies one write, waits until its propagation is
// done, recovers after its process crashed, reports its own figures, and tears down. A strategy
// runs inside a worker process the harness can SIGKILL; it never writes the history and never
// decides a verdict.
import type { Endpoints } from '../harness/env/endpoints.ts';
import type { Entity } from '../harness/scenario/schema.ts';
import type { Op } from '../harness/workload/op.ts';

export interface StrategyContext {
  endpoints: Endpoints;
  runId: string;
  /** The scenario's entity (columns and projection). */
  entity: Entity;
  /** Physical MySQL table for this strategy in this run. */
  table: string;
  /** Search index for this strategy in this run. */
  index: string;
  /** Largest number of writes the harness will have in flight at once. */
  concurrency: number;
  /** Strategy-specific options from the scenario (`strategies.<name>`), validated by the strategy. */
  options: Record<string, unknown>;
  /**
   * This pair's log file (in the run folder), where the worker's stdout and stderr and the
   * strategy's client logs (kafkajs, …) go; never the console. Strategies may name it in errors.
   * Absent when no run folder holds the pair (some tests): output goes where the worker's does.
   */
  logFile?: string;
}

/** The row after a write, as MySQL holds it (`id`, `version`, columns), or null when none was affected. */
export type RowValue = Record<string, unknown> & { id: number; version: number };

export interface WriteOutcome {
  /** The row after an insert/update/increment; for a delete, the row that was deleted. */
  value: RowValue | null;
  /** The row version after the write (for a delete, the deleted row's); null when no row was affected. */
  version: number | null;
}

export interface QuiesceResult {
  /** True when the strategy knows everything acknowledged has propagated. */
  quiet: boolean;
  waitedMs: number;
  detail?: string;
}

export interface Strategy {
  readonly name: string;
  /** Open clients; runs at every worker start (also after a crash). */
  open(context: StrategyContext): Promise<void>;
  /** Create the table, the index and any background machinery; once per run, before the workload. */
  setup(): Promise<void>;
  /** Apply one insert/update/increment/delete. Throw a ConvergeError: `definite` true means it did not happen. */
  write(op: Op): Promise<WriteOutcome>;
  /** Wait, at most `timeoutMs`, until every acknowledged write has reached the index. */
  quiesce(timeoutMs: number): Promise<QuiesceResult>;
  /**
   * Optional: after the seed rows are written and before the workload, wait (at most `timeoutMs`)
   * until the background machinery has caught up with them, so the workload's lag is measured in
   * steady state rather than during the machinery's start. A strategy whose scenario defers its
   * machinery returns at once. Absent: nothing to warm up.
   */
  warmUp?(timeoutMs: number): Promise<QuiesceResult>;
  /** Finish or undo what a crashed predecessor left in flight; runs after a restart, before writes. */
  recover(): Promise<void>;
  /**
   * The strategy's own figures for results.json (events applied, retries, bytes, ...): numbers and
   * booleans, a short identifier at most. Configuration belongs in `configuration`.
   */
  stats(): Promise<Record<string, unknown>>;
  /**
   * Optional: the strategy's configuration as it ran, for the report's run context (JSON: effective
   * configs with secrets redacted, what was changed from the documents given, names of the
   * connectors, topics, groups and users it created). Asked once, after the workload, before
   * teardown. Absent: nothing to show beyond the scenario's options.
   */
  configuration?(): Promise<Record<string, unknown>>;
  /**
   * Optional: start capturing changes now. A strategy whose options defer its capture
   * (`startCaptureAt: { phase, fraction }`) is called once the phase runner sees that phase that far
   * done, while the writers keep running.
   */
  startCapture?(): Promise<void>;
  /**
   * Remove the background machinery (connectors, topics, consumers); the harness drops the table
   * and index. Idempotent and tolerant of a partial setup: it also runs in a fresh worker (after
   * `open` only) to clean up after a run that was killed, when any part may be gone or was never
   * created. May resolve to what it removed, one short phrase each (`connector cv_…`).
   */
  teardown(): Promise<string[] | void>;
  /** Close clients. */
  close(): Promise<void>;
}

export type StrategyFactory = () => Strategy;
