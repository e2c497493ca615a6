// A saga waiting for a key's pending marker wakes when the holder ends here, retries after the poll
// interval otherwise, and gives up past its deadline.
import { describe, expect, it } from 'vitest';
import { SemanticLockTimeoutError } from './errors.ts';
import { LockWaiters } from './lock-waiters.ts';

describe('lock waiters', () => {
  it('wakes the waiters of a key when it is released, not those of another key', async () => {
    const waiters = new LockWaiters(60_000, 60_000);
    waiters.hold(1);
    waiters.hold(2);
    const woke: number[] = [];
    const a = waiters.wait(1, Date.now() + 60_000, 60_000).then(() => woke.push(1));
    void waiters.wait(2, Date.now() + 60_000, 60_000).then(() => woke.push(2));
    waiters.release(1);
    await a;
    expect(woke).toEqual([1]);
    waiters.releaseAll();
  });

  it('polls soon when no saga here holds the key, slowly while one does, and refuses past the deadline', async () => {
    const waiters = new LockWaiters(300, 5);
    let started = Date.now();
    await waiters.wait(1, Date.now() + 60_000, 60_000);
    expect(Date.now() - started).toBeLessThan(150);
    waiters.hold(1);
    started = Date.now();
    await waiters.wait(1, Date.now() + 60_000, 60_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    await expect(waiters.wait(1, Date.now() - 1, 500)).rejects.toBeInstanceOf(SemanticLockTimeoutError);
  });
});
