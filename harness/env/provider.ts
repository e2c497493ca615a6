// The environment provider contract (the testcontainers shape, STYLE.md §7): a provider is a
// definition; `start()` returns a StartedEnv whose endpoints exist only once every service is ready;
// `stop()` ends what was started. Where services come from is the provider's business alone.
import type { Endpoints, ProviderName } from './endpoints.ts';

export interface StopOptions {
  /** Delete the services' data as well (local provider: the data folder). Default false. */
  wipe?: boolean;
}

export interface ServiceStatus {
  name: string;
  running: boolean;
  pid?: number;
  detail?: string;
}

export interface StartedEnv {
  readonly endpoints: Endpoints;
  stop(options?: StopOptions): Promise<void>;
  status(): Promise<ServiceStatus[]>;
}

export interface EnvProvider {
  readonly name: ProviderName;
  start(): Promise<StartedEnv>;
}
