// Waiting for a key's pending marker (the semantic lock) to go. The marker itself lives in the saga
// log (`pending_key`, unique), so it holds across processes and crashes; this is only how a waiting
// saga learns when to try again. Sagas of this process that hold a key's marker are counted here
// (`hold` once step 1 committed, `release` once the end is recorded): a waiter is woken by the
// release at once; while no saga here holds the key (it was released just before the waiter came,
// or the holder is elsewhere: a saga being recovered, another worker) it tries again after
// `idlePollMs`; otherwise after `pollMs` at the latest. Past the deadline, the wait fails.
import { SemanticLockTimeoutError } from './errors.ts';

export class LockWaiters {
  private readonly waiting = new Map<number, Set<() => void>>();
  private readonly holders = new Map<number, number>();

  constructor(
    private readonly pollMs = 100,
    private readonly idlePollMs = 10,
  ) {}

  /** Resolves when the key is released here or the poll interval passed; rejects once `deadline` (epoch ms) is past. */
  wait(rowId: number, deadline: number, timeoutMs: number): Promise<void> {
    const left = deadline - Date.now();
    if (left <= 0) return Promise.reject(new SemanticLockTimeoutError(rowId, timeoutMs));
    const poll = this.holders.has(rowId) ? this.pollMs : this.idlePollMs;
    return new Promise((resolve) => {
      const set = this.waiting.get(rowId) ?? new Set();
      this.waiting.set(rowId, set);
      const wake = () => {
        clearTimeout(timer);
        set.delete(wake);
        if (set.size === 0 && this.waiting.get(rowId) === set) this.waiting.delete(rowId);
        resolve();
      };
      const timer = setTimeout(wake, Math.min(left, poll));
      set.add(wake);
    });
  }

  /** A saga of this process holds the key's marker (its step 1 committed). */
  hold(rowId: number): void {
    this.holders.set(rowId, (this.holders.get(rowId) ?? 0) + 1);
  }

  /** A saga of this process that held the key ended (its end is recorded): wake the key's waiters. */
  release(rowId: number): void {
    const held = (this.holders.get(rowId) ?? 0) - 1;
    if (held > 0) this.holders.set(rowId, held);
    else this.holders.delete(rowId);
    for (const wake of [...(this.waiting.get(rowId) ?? [])]) wake();
  }

  /** Wake everyone (the strategy is closing). */
  releaseAll(): void {
    this.holders.clear();
    for (const rowId of [...this.waiting.keys()]) for (const wake of [...(this.waiting.get(rowId) ?? [])]) wake();
  }
}
