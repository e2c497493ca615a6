// A local service as a child process: spawned detached (its own process group, so it outlives the
// CLI that started it and can be stopped as a group), output to a log file, a pid file, a readiness
// probe with a deadline, and a clean stop: SIGTERM to the group, SIGKILL after a grace period.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { ConvergeError, ServiceStartError } from '../../errors.ts';
import { retry } from '../../retry.ts';

export interface ProcessSpec {
  /** Service name, used in messages and file names (`mariadb`, `kafka`, ...). */
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
  logFile: string;
  pidFile: string;
  /** TCP ports the service binds on 127.0.0.1; `down` checks that none still listens. */
  ports: number[];
  /** Resolves once the service answers; throws (retriable) while it does not. */
  probe: () => Promise<void>;
  /** Deadline for readiness in ms. */
  readyTimeoutMs: number;
  /** Grace between SIGTERM and SIGKILL in ms (default 15000). */
  stopGraceMs?: number;
}

export interface RunningProcess {
  readonly name: string;
  readonly pid: number;
  readonly ports: number[];
  readonly logFile: string;
  stop(): Promise<void>;
}

/** Whether a pid is a live process (a zombie counts as dead). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** Send a signal to the process group led by `pid` (the whole service), or to `pid` alone if it leads none. */
export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

/** Resolves true once `pid` is gone, false if it is still alive after `timeoutMs`. */
export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(50);
  return !isAlive(pid);
}

/**
 * SIGTERM the process group of `pid`, wait up to `graceMs`, then SIGKILL. Resolves once it is gone.
 * A SIGCONT follows the SIGTERM, so a service a nemesis left paused still shuts down cleanly.
 */
export async function stopPid(pid: number, graceMs = 15_000): Promise<void> {
  if (!isAlive(pid)) return;
  signalGroup(pid, 'SIGTERM');
  signalGroup(pid, 'SIGCONT');
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(100);
  if (isAlive(pid)) {
    signalGroup(pid, 'SIGKILL');
    const killDeadline = Date.now() + 10_000;
    while (isAlive(pid) && Date.now() < killDeadline) await sleep(50);
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The last lines of a log file, for error messages. */
export function tailOf(file: string, lines = 15): string {
  if (!existsSync(file)) return '(no log)';
  const text = readFileSync(file, 'utf8').trimEnd().split('\n');
  return text.slice(-lines).join('\n');
}

export async function startProcess(spec: ProcessSpec): Promise<RunningProcess> {
  const log = openSync(spec.logFile, 'a');
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  let child;
  try {
    child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: spec.env ?? process.env,
      detached: true,
      stdio: ['ignore', log, log],
    });
  } finally {
    closeSync(log);
  }
  const spawnError = await new Promise<Error | undefined>((resolve) => {
    child.once('spawn', () => resolve(undefined));
    child.once('error', (error) => resolve(error));
  });
  if (spawnError || child.pid === undefined) {
    throw new ServiceStartError(spec.name, `could not run ${spec.command}: ${spawnError?.message ?? 'no pid'}`, {
      cause: spawnError,
    });
  }
  const pid = child.pid;
  child.once('exit', (code, signal) => {
    exited = { code, signal };
  });
  child.unref();
  writeFileSync(spec.pidFile, `${pid}\n`);
  const stop = async () => {
    await stopPid(pid, spec.stopGraceMs);
    rmSync(spec.pidFile, { force: true });
  };
  try {
    await retry(
      async (_attempt, bail) => {
        if (exited) {
          bail(
            new ServiceStartError(
              spec.name,
              `exited during start (code ${exited.code}, signal ${exited.signal}); last log lines of ${spec.logFile}:\n${tailOf(spec.logFile)}`,
            ),
          );
        }
        try {
          await spec.probe();
        } catch (error) {
          // Any probe failure means "not ready yet" (fetch reports a refused connection as a TypeError).
          throw new ConvergeError(`${spec.name} not ready`, { retriable: true, definite: false, cause: error });
        }
      },
      { timeoutMs: spec.readyTimeoutMs, initialDelayMs: 250, maxDelayMs: 1000, description: `${spec.name} readiness` },
    );
  } catch (error) {
    await stop();
    if (error instanceof ServiceStartError) throw error;
    throw new ServiceStartError(
      spec.name,
      `not ready within ${spec.readyTimeoutMs} ms (${describeCause(error)}); last log lines of ${spec.logFile}:\n${tailOf(spec.logFile)}`,
      { cause: error },
    );
  }
  return { name: spec.name, pid, ports: spec.ports, logFile: spec.logFile, stop };
}

function describeCause(error: unknown): string {
  let current: unknown = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  return current instanceof Error ? current.message : String(current);
}
