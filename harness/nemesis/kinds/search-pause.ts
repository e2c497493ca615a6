// search-pause: freeze the search engine (SIGSTOP to its process group; `docker pause`): its port
// still accepts connections, but nothing answers, so every request hangs. Healed by SIGCONT, once
// the engine answers again.
import { DEFAULT_HEAL_TIMEOUT_MS, errorText, type FaultKind } from '../fault-kind.ts';
import { waitSearchAnswers } from '../service-readiness.ts';

export const searchPause: FaultKind<'search-pause'> = {
  kind: 'search-pause',
  unsupported: (context) => context.services.unsupported('pause', 'search') ?? context.services.unsupported('resume', 'search'),
  async inject(context) {
    await context.services.pause('search');
    return {
      detail: 'SIGSTOP search',
      heal: async () => {
        const started = performance.now();
        const errors: string[] = [];
        try {
          await context.services.resume('search');
          await waitSearchAnswers(context.endpoints.search.url, context.healTimeoutMs ?? DEFAULT_HEAL_TIMEOUT_MS);
        } catch (error) {
          errors.push(`search did not answer again: ${errorText(error)}`);
        }
        return { waitedFor: 'SIGCONT, then the engine answers GET /', healMs: Math.round(performance.now() - started), errors };
      },
    };
  },
};
