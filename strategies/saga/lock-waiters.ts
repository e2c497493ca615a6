// Waiting for a key's pending marker (the semantic lock) to go. The marker itself lives in the saga
// log (`pending_key`, unique), so it holds across processes and crashes; this is only how a waiting
// saga learns early that it may try again: a saga that ends in this process wakes the waiters of
// its key at once, and every waiter also retries after `pollMs` in case the holder was elsewhere
// (a saga being recovered, another worker). Past the deadline, the wait fails.
import { SemanticLockTimeoutError } from './errors.ts';

export class LockWaiters {
  private readonly waiting = new Map<number, Set<() => void>>();

  constructor(private readonly pollMs = 100) {}

  /** Resolves when the key is released here or `pollMs` passed; rejects once `deadline` (epoch ms) is past. */
  wait(rowId: number, deadline: number, timeoutMs: number): Promise<void> {
    const left = deadline - Date.now();
    if (left <= 0) return Promise.reject(new SemanticLockTimeoutError(rowId, timeoutMs));
    return new Promise((resolve) => {
      const set = this.waiting.get(rowId) ?? new Set();
      this.waiting.set(rowId, set);
      const wake = () => {
        clearTimeout(timer);
        set.delete(wake);
        if (set.size === 0 && this.waiting.get(rowId) === set) this.waiting.delete(rowId);
        resolve();
      };
      const timer = setTimeout(wake, Math.min(left, this.pollMs));
      set.add(wake);
    });
  }

  /** The key's saga ended in this process: wake its waiters. */
  release(rowId: number): void {
    for (const wake of [...(this.waiting.get(rowId) ?? [])]) wake();
  }

  /** Wake everyone (the strategy is closing). */
  releaseAll(): void {
    for (const rowId of [...this.waiting.keys()]) this.release(rowId);
  }
}
