// strategy-crash: SIGKILL the strategy's worker process mid-flight; the harness starts a fresh one
// and runs open + recover in it before any new call reaches it (the run's `crashWorker`). What was
// in flight completes as `unknown` in the history. Healed once the fresh worker is ready.
import { errorText, type FaultKind } from '../fault-kind.ts';

export const strategyCrash: FaultKind<'strategy-crash'> = {
  kind: 'strategy-crash',
  unsupported: (context) => (context.crashWorker === undefined ? 'the run gives the nemesis no way to crash and restart its worker' : null),
  inject(context) {
    // The kill happens at the call; the promise is the restart and the recovery.
    const restarted = context.crashWorker!();
    restarted.catch(() => {}); // awaited in heal
    return Promise.resolve({
      detail: 'SIGKILL the worker',
      heal: async () => {
        const started = performance.now();
        const errors: string[] = [];
        await restarted.catch((error: unknown) => errors.push(`the worker did not come back: ${errorText(error)}`));
        return { waitedFor: 'a fresh worker ran open + recover', healMs: Math.round(performance.now() - started), errors };
      },
    });
  },
};
