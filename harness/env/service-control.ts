// Control of a running env's services, for a nemesis: pause, resume, kill and start one service
// of an env found through its env.json (any process may do it, not only the one that ran `up`).
// One small interface, one implementation per provider: local processes take signals, docker
// containers take `docker pause/unpause/kill/start`, and the external provider's services are not
// converge's to touch — every action says why through `unsupported`, so a fault that needs one is
// reported skipped, never passed silently.
import type { ProviderName } from './endpoints.ts';

/** The services a nemesis can act on, named as in the endpoints. */
export const controlledServices = ['mysql', 'kafka', 'connect', 'search'] as const;
export type ControlledService = (typeof controlledServices)[number];

export const serviceActions = ['pause', 'resume', 'kill', 'start'] as const;
export type ServiceAction = (typeof serviceActions)[number];

export interface ServiceControl {
  readonly provider: ProviderName;
  /** Why this action cannot be done to this service in this env, or null when it can. */
  unsupported(action: ServiceAction, service: ControlledService): string | null;
  /** Freeze the service (SIGSTOP to its process group; `docker pause`): connections stay open, requests hang. */
  pause(service: ControlledService): Promise<void>;
  /** Let a paused service run on (SIGCONT; `docker unpause`). */
  resume(service: ControlledService): Promise<void>;
  /** Kill the service without warning (SIGKILL); resolves once it is gone. */
  kill(service: ControlledService): Promise<void>;
  /**
   * Start a killed service again on the same port with the same data. Local: resolves once it
   * answers its readiness probe. Docker: once the container runs (readiness is the heal step's).
   */
  start(service: ControlledService): Promise<void>;
}
