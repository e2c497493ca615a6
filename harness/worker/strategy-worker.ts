// The harness's side of a strategy's worker process: fork it, call the contract over IPC, and
// kill or restart it (a nemesis SIGKILLs it mid-flight). Calls in flight when the process dies
// fail with a WorkerCrashedError, whose outcome is unknown. The worker's stdout and stderr go to
// the pair's log file (`context.logFile`, appended across restarts), never the console; errors
// about the process name that file.
import { fork, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConvergeError } from '../errors.ts';
import type { StrategyContext, QuiesceResult, WriteOutcome } from '../../strategies/contract.ts';
import type { Op } from '../workload/op.ts';
import type { CallMessage, HarnessMessage, WorkerMessage, WorkerMethod } from './protocol.ts';

/** A child killed by a signal has a null exitCode and a signalCode: both mean it is gone. */
const hasExited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

const WORKER_ENTRY = fileURLToPath(new URL('./worker-main.ts', import.meta.url));

/** Where to look for what the worker printed, said after an error about it. */
const seeLog = (logFile: string | undefined) => (logFile ? `; its output is in ${logFile}` : '');

export class WorkerCrashedError extends ConvergeError {
  constructor(strategy: string, detail: string, logFile?: string) {
    super(`the ${strategy} worker process died (${detail}) with the call in flight${seeLog(logFile)}`, { definite: false, retriable: false });
  }
}

/** An error the strategy threw in the worker, rebuilt on this side with its flags. */
export class StrategyError extends ConvergeError {
  constructor(
    readonly originalName: string,
    message: string,
    definite: boolean,
    retriable: boolean,
  ) {
    super(message, { definite, retriable });
  }
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export class StrategyWorker {
  private child: ChildProcess | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** Calls made in this turn of the event loop, not sent yet. */
  private outbox: CallMessage[] = [];
  /** How many times the process was started. */
  starts = 0;
  /** Set while restart() runs: calls from outside wait for it, so recovery runs before any new call. */
  private restarting: Promise<void> | undefined;

  constructor(
    readonly strategy: string,
    private readonly context: StrategyContext,
  ) {}

  /** The strategy's options from the scenario (`strategies.<name>`). */
  get options(): Readonly<Record<string, unknown>> {
    return this.context.options;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** The file the worker's output goes to; undefined: it shares the harness's stdout and stderr. */
  get logFile(): string | undefined {
    return this.context.logFile;
  }

  /** Fork the worker (its output appended to the log file) and open the strategy's clients in it. */
  async start(): Promise<void> {
    const logFile = this.context.logFile;
    let output: number | 'inherit' = 'inherit';
    if (logFile) {
      mkdirSync(path.dirname(logFile), { recursive: true });
      output = openSync(logFile, 'a');
    }
    let child: ChildProcess;
    try {
      child = fork(WORKER_ENTRY, [this.strategy], {
        execArgv: ['--import', 'tsx'],
        stdio: ['ignore', output, output, 'ipc'],
        serialization: 'advanced',
      });
    } finally {
      // the child holds its own copy of the descriptor
      if (typeof output === 'number') closeSync(output);
    }
    this.child = child;
    this.starts++;
    await new Promise<void>((resolve, reject) => {
      const onMessage = (message: WorkerMessage) => {
        if (message.type === 'ready') {
          child.off('exit', onExit);
          resolve();
        }
      };
      const onExit = (code: number | null) => reject(new ConvergeError(`the ${this.strategy} worker exited during start (code ${code})${seeLog(logFile)}`));
      child.once('exit', onExit);
      child.on('message', onMessage);
    });
    child.on('message', (message: WorkerMessage) => {
      const results = message.type === 'results' ? message.results : message.type === 'result' ? [message] : [];
      for (const result of results) {
        const pending = this.pending.get(result.id);
        if (!pending) continue;
        this.pending.delete(result.id);
        if (result.ok) pending.resolve(result.value);
        else pending.reject(new StrategyError(result.error.name, result.error.message, result.error.definite, result.error.retriable));
      }
    });
    child.once('exit', (code, signal) => {
      if (this.child === child) this.child = undefined;
      const error = new WorkerCrashedError(this.strategy, signal ? `signal ${signal}` : `exit code ${code}`, logFile);
      for (const pending of this.pending.values()) pending.reject(error);
      this.pending.clear();
    });
    await this.send('open', this.context);
  }

  /** Call a contract method in the worker; during a restart, once the fresh worker has recovered. */
  call(method: WorkerMethod, ...args: unknown[]): Promise<unknown> {
    const restarting = this.restarting;
    if (restarting) return restarting.then(() => this.send(method, ...args), () => this.send(method, ...args));
    return this.send(method, ...args);
  }

  private send(method: WorkerMethod, ...args: unknown[]): Promise<unknown> {
    const child = this.child;
    if (!child?.connected) return Promise.reject(new WorkerCrashedError(this.strategy, 'not running', this.context.logFile));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.outbox.push({ type: 'call', id, method, args });
      if (this.outbox.length === 1) setImmediate(() => this.flush(child));
    });
  }

  /** Send the calls made in this turn of the event loop as one message. */
  private flush(child: ChildProcess): void {
    const calls = this.outbox;
    this.outbox = [];
    const failed = (detail: string) => {
      for (const { id } of calls) {
        const pending = this.pending.get(id);
        if (pending && this.pending.delete(id)) pending.reject(new WorkerCrashedError(this.strategy, detail, this.context.logFile));
      }
    };
    if (!child.connected) return failed('not running');
    const message: HarnessMessage = calls.length === 1 ? calls[0]! : { type: 'calls', calls };
    child.send(message, (error) => {
      if (error) failed(`send failed: ${error.message}`);
    });
  }

  write(op: Op): Promise<WriteOutcome> {
    return this.call('write', op) as Promise<WriteOutcome>;
  }

  quiesce(timeoutMs: number): Promise<QuiesceResult> {
    return this.call('quiesce', timeoutMs) as Promise<QuiesceResult>;
  }

  stats(): Promise<Record<string, unknown>> {
    return this.call('stats') as Promise<Record<string, unknown>>;
  }

  /** The strategy's configuration as it ran; undefined when the strategy reports none. */
  configuration(): Promise<Record<string, unknown> | undefined> {
    return this.call('configuration') as Promise<Record<string, unknown> | undefined>;
  }

  /** SIGKILL the worker (a crash, as a nemesis causes it); resolves once it is gone. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || hasExited(child)) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await gone;
  }

  /**
   * SIGKILL the worker (at the call, if it runs), start a fresh one and run the strategy's recovery
   * in it. Calls made meanwhile wait and go to the fresh worker after its recovery.
   */
  async restart(): Promise<void> {
    const restarting = (async () => {
      await this.kill();
      await this.start();
      await this.send('recover');
    })();
    this.restarting = restarting;
    try {
      await restarting;
    } finally {
      if (this.restarting === restarting) this.restarting = undefined;
    }
  }

  /** Close the strategy's clients and let the process end. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    try {
      await this.call('close');
    } catch {
      // it is going away anyway
    }
    const gone = new Promise<void>((resolve) => (hasExited(child) ? resolve() : child.once('exit', () => resolve())));
    if (child.connected) child.disconnect();
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await gone;
    clearTimeout(timer);
  }
}
