// What every `<service>-restart` kind shares: note what runs before the fault, SIGKILL the service
// (inject), then start it again on the same port and data and wait until it serves what it served
// before (heal). The scheduler holds the fault for its `durationMs` between the two: the down time.
import type { ControlledService } from '../../env/service-control.ts';
import { DEFAULT_HEAL_TIMEOUT_MS, errorText, type FaultContext, type FaultKind, type HealReport, type InjectedFault } from '../fault-kind.ts';
import type { FaultSpecOf } from '../fault-spec.ts';

type RestartKindName = 'search-restart' | 'kafka-restart' | 'connect-restart' | 'mysql-restart';

export interface Readiness {
  /** Extra words for `waitedFor` (e.g. the health reached, how many topics were checked). */
  detail?: string;
  errors: string[];
}

export interface RestartSteps<S> {
  /** What healing waits for, in words. */
  waitedFor: string;
  /** Before the kill: what the service serves now (topics, running connectors), to wait for again. */
  before(context: FaultContext): Promise<S>;
  /** After the start: wait (at most `timeoutMs`) until the service serves it again. */
  ready(context: FaultContext, before: S | undefined, timeoutMs: number): Promise<Readiness>;
}

export function restartKind<K extends RestartKindName, S>(kind: K, service: ControlledService, steps: RestartSteps<S>): FaultKind<K> {
  return {
    kind,
    unsupported(context: FaultContext): string | null {
      return context.services.unsupported('kill', service) ?? context.services.unsupported('start', service);
    },
    async inject(context: FaultContext, _spec: FaultSpecOf<K>): Promise<InjectedFault> {
      const errors: string[] = [];
      const before = await steps.before(context).catch((error: unknown) => {
        errors.push(`before the fault, could not note what ${service} serves: ${errorText(error)}`);
        return undefined;
      });
      // A kill that fails half-way (signalled, but slow to vanish) still gets its heal: a service
      // must never be left dead because its fault's record went wrong.
      let killed = true;
      await context.services.kill(service).catch((error: unknown) => {
        killed = false;
        errors.push(`the kill of ${service} failed: ${errorText(error)}`);
      });
      return {
        detail: killed ? `SIGKILL ${service}` : `SIGKILL ${service} failed`,
        heal: async (): Promise<HealReport> => {
          const started = performance.now();
          let detail: string | undefined;
          try {
            await context.services.start(service);
            const remaining = (context.healTimeoutMs ?? DEFAULT_HEAL_TIMEOUT_MS) - (performance.now() - started);
            const ready = await steps.ready(context, before, Math.max(remaining, 1000));
            detail = ready.detail;
            errors.push(...ready.errors);
          } catch (error) {
            errors.push(`${service} did not come back: ${errorText(error)}`);
          }
          return { waitedFor: `${service} started again; ${steps.waitedFor}${detail ? ` (${detail})` : ''}`, healMs: Math.round(performance.now() - started), errors };
        },
      };
    },
  };
}
