// converge: the rule of convergence, on scripted comparisons and a virtual clock — equal, then the
// strategy's quiesce, then a confirming comparison at least the settle delay later that is equal
// still. An equal moment followed by a divergence (a late or replayed write) is not convergence.
import { describe, expect, it } from 'vitest';
import type { ConvergenceReport } from '../checker/convergence.ts';
import type { QuiesceResult } from '../../strategies/contract.ts';
import { waitForConvergence, type ConvergenceProbe } from './final-read.ts';

const report = (missing: number): ConvergenceReport => ({
  converged: missing === 0,
  rows: 10,
  docs: 10 - missing,
  missing,
  extra: 0,
  mismatched: 0,
  misplaced: 0,
  sampleIds: { missing: [], extra: [], mismatched: [], extraNonNumeric: [] },
  mismatchedFields: [],
});

/** A run whose comparisons return `script` in turn (then its last), each taking 50 ms of virtual time. */
function scripted(script: readonly number[], quiesce: (timeoutMs: number) => Promise<QuiesceResult> = () => Promise.resolve({ quiet: true, waitedMs: 0 })) {
  let clock = 1_000;
  const log: string[] = [];
  let i = 0;
  const probe: ConvergenceProbe = {
    compare: () => {
      const missing = script[Math.min(i++, script.length - 1)] as number;
      log.push(`compare@${clock}=${missing}`);
      clock += 50;
      return Promise.resolve(report(missing));
    },
    quiesce: (timeoutMs) => {
      log.push(`quiesce@${clock}(${timeoutMs})`);
      return quiesce(timeoutMs);
    },
  };
  const options = {
    since: 1_000,
    timeoutMs: 5_000,
    now: () => clock,
    settleMs: 1_000,
    intervalMs: 250,
    sleep: (ms: number) => {
      clock += ms;
      return Promise.resolve();
    },
  };
  return { probe, options, log };
}

describe('waitForConvergence', () => {
  it('does not call an equal moment that diverges again converged', async () => {
    const { probe, options, log } = scripted([0, 3]);
    const wait = await waitForConvergence(probe, options);
    expect(wait).toMatchObject({ converged: false, timeMs: null, quiet: true });
    expect(wait.report.missing).toBe(3);
    expect(log.slice(0, 3)).toEqual(['compare@1000=0', 'quiesce@1050(4950)', 'compare@2050=3']);
  });

  it('converges on equal, quiet, then equal again, timed from the first of that pair', async () => {
    const { probe, options, log } = scripted([5, 0, 2, 0, 0]);
    const wait = await waitForConvergence(probe, options);
    expect(wait).toMatchObject({ converged: true, quiet: true, checks: 5 });
    expect(wait.report.converged).toBe(true);
    // 5 missing, then an equal moment refuted by its confirmation, then the confirmed pair
    expect(log).toEqual(['compare@1000=5', 'compare@1300=0', 'quiesce@1350(4650)', 'compare@2350=2', 'compare@2650=0', 'quiesce@2700(3300)', 'compare@3700=0']);
    expect(wait.timeMs).toBe(1_650);
  });

  it('records a strategy that did not say it was quiet, and one whose quiesce threw, as not quiet', async () => {
    const late = scripted([0, 0], () => Promise.resolve({ quiet: false, waitedMs: 4_950 }));
    expect(await waitForConvergence(late.probe, late.options)).toMatchObject({ converged: true, quiet: false, timeMs: 0 });
    const broken = scripted([0, 0], () => Promise.reject(new Error('worker gone')));
    expect(await waitForConvergence(broken.probe, broken.options)).toMatchObject({ converged: true, quiet: false });
  });

  it('never asks for quiet when the stores never agree, and stops at the timeout', async () => {
    const { probe, options, log } = scripted([4]);
    const wait = await waitForConvergence(probe, options);
    expect(wait).toMatchObject({ converged: false, timeMs: null, quiet: null });
    expect(log.some((line) => line.startsWith('quiesce'))).toBe(false);
    expect(log.at(-1)).toBe('compare@6100=4'); // the first comparison to start 5 s or more after `since`
  });

  it('counts time to convergence to an earlier confirmed equality when nothing diverged since', async () => {
    const confirmed = scripted([0, 0]);
    expect(await waitForConvergence(confirmed.probe, { ...confirmed.options, since: 500, equalSince: 700 })).toMatchObject({ converged: true, timeMs: 200 });
    // a divergence in between voids it: the time runs to the wait's own confirmed pair
    const refuted = scripted([2, 0, 0]);
    expect(await waitForConvergence(refuted.probe, { ...refuted.options, since: 500, equalSince: 700 })).toMatchObject({ converged: true, timeMs: 800 });
  });

  it('finishes a confirmation begun before the timeout, even when it ends after it', async () => {
    const { probe, options } = scripted([7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 0, 0]);
    const wait = await waitForConvergence(probe, { ...options, timeoutMs: 4_500 });
    expect(wait).toMatchObject({ converged: true, timeMs: 4_500 });
  });
});
