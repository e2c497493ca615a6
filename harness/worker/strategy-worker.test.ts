// The worker's output goes to the pair's log file, not the console, and an error about the worker
// process names that file: a worker that cannot even build its strategy (no services needed).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Endpoints } from '../env/endpoints.ts';
import type { StrategyContext } from '../../strategies/contract.ts';
import { StrategyWorker } from './strategy-worker.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'converge-worker-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const context = (logFile: string): StrategyContext => ({
  // never reached: the worker dies before the harness opens the strategy
  endpoints: {} as Endpoints,
  runId: 'worker-log',
  entity: { table: 't', columns: {}, projection: { rename: {}, drop: [], computed: {} } },
  table: 't',
  index: 't',
  concurrency: 1,
  options: {},
  logFile,
});

describe('the worker log', () => {
  it('holds what a dying worker printed, and the error names it', async () => {
    const logFile = path.join(dir, 'run', 'worker-no-such-strategy-s.log');
    const worker = new StrategyWorker('no-such-strategy', context(logFile));
    await expect(worker.start()).rejects.toThrow(`the no-such-strategy worker exited during start (code 1); its output is in ${logFile}`);
    const log = readFileSync(logFile, 'utf8');
    expect(log).toContain('ConfigError: --strategies: unknown strategy "no-such-strategy"');
    // a restart appends to the same file
    await expect(worker.start()).rejects.toThrow(/exited during start/);
    expect(readFileSync(logFile, 'utf8').match(/unknown strategy "no-such-strategy"/g)).toHaveLength(2);
  });
});
