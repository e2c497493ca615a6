// Stopping a local service: a service a nemesis left frozen (SIGSTOP) still gets its clean SIGTERM
// shutdown, not the SIGKILL after the grace period.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { isAlive, signalGroup, stopPid } from './process-service.ts';

describe('stopPid', () => {
  it('stops a paused service cleanly within its grace period', async () => {
    // A stand-in for a JVM or mariadbd: it handles SIGTERM itself (exit 0).
    const child = spawn(process.execPath, ['-e', "process.on('SIGTERM', () => process.exit(0)); setInterval(() => {}, 1000)"], {
      detached: true,
      stdio: 'ignore',
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    await new Promise((resolve) => setTimeout(resolve, 500));
    signalGroup(child.pid!, 'SIGSTOP');
    const started = Date.now();
    await stopPid(child.pid!, 4000);
    expect(await exited).toEqual({ code: 0, signal: null });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(isAlive(child.pid!)).toBe(false);
  });
});
