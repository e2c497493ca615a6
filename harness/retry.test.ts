// The retry helper: backoff under an injected clock, bail, no retry of programming errors or of
// non-retriable converge errors, and a TimeoutError carrying the last cause.
import { describe, expect, it } from 'vitest';
import { ConvergeError, TimeoutError } from './errors.ts';
import { retry, type Clock } from './retry.ts';

function fakeClock(): Clock & { sleeps: number[] } {
  let now = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: (ms) => {
      sleeps.push(ms);
      now += ms;
      return Promise.resolve();
    },
  };
}

describe('retry', () => {
  it('retries until success with growing, capped delays', async () => {
    const clock = fakeClock();
    const result = await retry(
      (attempt) => (attempt < 5 ? Promise.reject(new Error('not yet')) : Promise.resolve(attempt)),
      { clock, random: () => 1, initialDelayMs: 100, maxDelayMs: 300 },
    );
    expect(result).toBe(5);
    expect(clock.sleeps).toEqual([100, 200, 300, 300]);
  });

  it('gives up at the deadline with a TimeoutError that keeps the cause', async () => {
    const clock = fakeClock();
    const failure = retry(() => Promise.reject(new Error('refused')), { clock, random: () => 1, timeoutMs: 1000, description: 'probe' });
    await expect(failure).rejects.toBeInstanceOf(TimeoutError);
    await expect(failure).rejects.toMatchObject({ cause: { message: 'refused' }, definite: false });
  });

  it('never retries a programming error or a non-retriable converge error', async () => {
    let calls = 0;
    await expect(retry(() => (calls++, Promise.reject(new TypeError('bug'))), { clock: fakeClock() })).rejects.toBeInstanceOf(TypeError);
    expect(calls).toBe(1);
    await expect(retry(() => (calls++, Promise.reject(new ConvergeError('definite', { retriable: false }))), { clock: fakeClock() })).rejects.toThrow('definite');
    expect(calls).toBe(2);
  });

  it('stops at once when the attempt bails', async () => {
    let calls = 0;
    const bailed = retry((_attempt, bail) => {
      calls++;
      return bail(new Error('fatal'));
    }, { clock: fakeClock() });
    await expect(bailed).rejects.toThrow('fatal');
    expect(calls).toBe(1);
  });
});
