// The saga strategy: every write is an orchestrated saga (saga-machine.ts, one xstate actor per
// write) with a durable log in MySQL (saga-log.ts). Step 1 writes the business row and the saga's
// log row in one transaction; step 2 indexes the projected row with an external version; an index
// step the engine rejects (or whose retries are spent) is compensated by restoring the row's
// before-image, unless a later write superseded it. Lifecycle: setup creates the table, index and
// saga log; write runs a saga and answers per `ack`; quiesce waits until no saga is in flight, here
// or in the log; recover resumes every unfinished saga of the log from its persisted snapshot;
// teardown drops the log. Design decisions are in README.md.
import { randomUUID } from 'node:crypto';
import type mysql from 'mysql2/promise';
import { recreateIndex, recreateTable } from '../../harness/entity/stores-setup.ts';
import { createMysqlPool } from '../../harness/stores/mysql.ts';
import { connectSearch } from '../../harness/stores/search/connect-search.ts';
import type { SearchPort } from '../../harness/stores/search/search-port.ts';
import type { Op } from '../../harness/workload/op.ts';
import type { QuiesceResult, Strategy, StrategyContext, WriteOutcome } from '../contract.ts';
import { answerAfterStepOne, answerAtEnd } from './client-answer.ts';
import { SemanticLockTimeoutError } from './errors.ts';
import { LockWaiters } from './lock-waiters.ts';
import { parseSagaOptions, type SagaOptions } from './options.ts';
import { SagaLog, type LoggedSaga } from './saga-log.ts';
import { sagaLogTable } from './saga-log-sql.ts';
import type { SagaInput, SagaMachine } from './saga-machine.ts';
import { SagaRun } from './saga-run.ts';
import { SagaStats } from './saga-stats.ts';
import { sagaMachineFor } from './saga-steps.ts';

/** Sagas recover() resumes at once. */
const RECOVERY_PARALLELISM = 64;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

class SagaStrategy implements Strategy {
  readonly name = 'saga';
  private context!: StrategyContext;
  private options!: SagaOptions;
  private pool: mysql.Pool | undefined;
  private search: SearchPort | undefined;
  private log!: SagaLog;
  private machine!: SagaMachine;
  private readonly figures = new SagaStats();
  private readonly waiters = new LockWaiters();
  private readonly running = new Set<SagaRun>();
  private recoveredHere = 0;

  async open(context: StrategyContext): Promise<void> {
    this.context = context;
    this.options = parseSagaOptions(context.options);
    // Step 1 and compensations hold a connection each; log writes take short turns.
    this.pool = createMysqlPool(context.endpoints.mysql, { connectionLimit: Math.max(4, context.concurrency + 8) });
    this.search = await connectSearch(context.endpoints.search.url);
    this.log = new SagaLog(this.pool, sagaLogTable(context.table));
    this.machine = sagaMachineFor({
      pool: this.pool,
      search: this.search,
      entity: context.entity,
      table: context.table,
      index: context.index,
      log: this.log,
      options: this.options,
      waiters: this.waiters,
      stats: this.figures,
    });
  }

  async setup(): Promise<void> {
    await recreateTable(this.pool!, this.context.entity, this.context.table);
    await recreateIndex(this.search!, this.context.entity, this.context.index);
    await this.log.recreate();
  }

  private input(sagaId: string, op: Op): SagaInput {
    const o = this.options;
    return {
      sagaId,
      op,
      limits: {
        lockDeadline: Date.now() + o.lockTimeoutMs,
        lockTimeoutMs: o.lockTimeoutMs,
        indexAttempts: o.indexAttempts,
        compensationAttempts: o.compensationAttempts,
        retryInitialMs: o.retryInitialMs,
        retryMaxMs: o.retryMaxMs,
      },
    };
  }

  private run(input: SagaInput, snapshot?: unknown): SagaRun {
    const run = new SagaRun(this.machine, { input, ...(snapshot !== undefined ? { snapshot } : {}) }, { log: this.log, stats: this.figures, waiters: this.waiters });
    this.running.add(run);
    void run.ended.then(({ state, context }) => {
      this.running.delete(run);
      if (state === 'aborted') this.figures.writesAborted++;
      if (state === 'aborted' && context.error?.name === SemanticLockTimeoutError.name) this.figures.lockTimeouts++;
      if (state === 'unchanged') this.figures.writesUnchanged++;
    });
    return run.start();
  }

  async write(op: Op): Promise<WriteOutcome> {
    const run = this.run(this.input(randomUUID(), op));
    if (this.options.ack === 'step1') {
      const { state, context } = await run.stepOne;
      return answerAfterStepOne(state, context);
    }
    const { state, context } = await run.ended;
    return answerAtEnd(state, context);
  }

  async warmUp(timeoutMs: number): Promise<QuiesceResult> {
    return this.quiesce(timeoutMs);
  }

  /** Quiet when no saga runs in this process and the log holds no unfinished saga. */
  async quiesce(timeoutMs: number): Promise<QuiesceResult> {
    const started = Date.now();
    for (;;) {
      const unfinished = this.running.size === 0 ? (await this.log.unfinished()).length : null;
      const detail = `${this.running.size} sagas running here, ${unfinished ?? 'not counted'} unfinished in the log`;
      if (unfinished === 0) return { quiet: true, waitedMs: Date.now() - started, detail };
      if (Date.now() - started >= timeoutMs) return { quiet: false, waitedMs: Date.now() - started, detail };
      await sleep(20);
    }
  }

  /** Resume every unfinished saga of the log (a crashed predecessor's) and wait until each has ended. */
  async recover(): Promise<void> {
    const unfinished = await this.log.unfinished();
    for (let i = 0; i < unfinished.length; i += RECOVERY_PARALLELISM) {
      await Promise.all(unfinished.slice(i, i + RECOVERY_PARALLELISM).map((saga) => this.resume(saga)));
    }
  }

  private async resume(saga: LoggedSaga): Promise<void> {
    await this.log.markRecovered(saga.sagaId);
    this.recoveredHere++;
    // No snapshot yet (the crash came right after step 1 committed): start afresh; step 1 finds its log row and is not applied again.
    await this.run({ ...this.input(saga.sagaId, saga.op), resumed: true }, saga.snapshot ?? undefined).ended;
  }

  async stats(): Promise<Record<string, unknown>> {
    const counts = await this.log.counts().catch(() => null);
    const by = counts?.byStatus ?? {};
    const started = counts ? Object.values(by).reduce((sum, n) => sum + (n ?? 0), 0) : null;
    return {
      sagasStarted: started,
      sagasCompleted: counts ? (by.done ?? 0) : null,
      sagasCompensated: counts ? (by.compensated ?? 0) : null,
      compensationsMoot: counts ? (by.moot ?? 0) : null,
      sagasFailed: counts ? (by.failed ?? 0) : null,
      sagasRecovered: counts?.recovered ?? null,
      sagasRecoveredByThisWorker: this.recoveredHere,
      sagaLogRowsUnfinished: counts ? (by.active ?? 0) : null,
      sagaLogRowsFinished: counts && started !== null ? started - (by.active ?? 0) : null,
      sagasRunningHere: this.running.size,
      ...this.figures.figures(),
    };
  }

  async teardown(): Promise<void> {
    this.stopAll();
    await this.log?.drop();
  }

  private stopAll(): void {
    for (const run of this.running) run.stop();
    this.running.clear();
    this.waiters.releaseAll();
  }

  async close(): Promise<void> {
    this.stopAll();
    await this.pool?.end();
    await this.search?.close();
  }
}

export const sagaStrategy = (): Strategy => new SagaStrategy();
