// The fault kind contract (the nemesis's counterpart of strategies/contract.ts): one kind says
// whether it can strike in this run and why not, strikes, and hands back how to heal. Each kind
// lives in its own file under kinds/; the nemesis (nemesis.ts) decides when.
import type { Endpoints } from '../env/endpoints.ts';
import type { ServiceControl } from '../env/service-control.ts';
import type { FaultKindName, FaultSpecOf } from './fault-spec.ts';
import type { ProxiedService } from './proxied-endpoints.ts';
import type { TcpProxy } from './tcp-proxy.ts';

/** What healing did: what it waited for, how long, and every problem it met (empty when all came back). */
export interface HealReport {
  /** In words, e.g. "the engine answers and cluster health is yellow or green (yellow)". */
  waitedFor: string;
  /** From the start of the heal step until what it waited for held (or it gave up), in ms. */
  healMs: number;
  /** A connector that FAILED, a wait that timed out, a start that failed: never hidden. */
  errors: string[];
}

export interface InjectedFault {
  /** What was done, for the record: "SIGKILL opensearch", "killed 3 connections of cvw_ab12". */
  detail: string;
  /** Undo the fault and wait until the service is back (bounded). Never throws: problems go in `errors`. */
  heal(): Promise<HealReport>;
}

/** What fault kinds act on, given by the run. */
export interface FaultContext {
  /** The env's own endpoints, with admin credentials (MySQL root), never the proxied ones. */
  endpoints: Endpoints;
  services: ServiceControl;
  /** The proxies between the worker and each service, where the run put one. */
  proxies: Partial<Record<ProxiedService, TcpProxy>>;
  /** The worker's own MySQL user (see worker-user.ts); `mysql-kill-connections` kills its connections. */
  workerMysqlUser?: string;
  /**
   * SIGKILL the strategy's worker at the call, start a fresh one and run open + recover in it;
   * resolves once it is ready (StrategyWorker.restart does exactly this, holding new calls meanwhile).
   */
  crashWorker?: () => Promise<void>;
  /** Bound on every heal wait, in ms (default 180000). */
  healTimeoutMs?: number;
}

export const DEFAULT_HEAL_TIMEOUT_MS = 180_000;

export interface FaultKind<K extends FaultKindName = FaultKindName> {
  readonly kind: K;
  /** Why this fault cannot be injected in this run (provider, missing proxy or user), or null when it can. */
  unsupported(context: FaultContext, spec: FaultSpecOf<K>): string | null;
  /** Strike now; resolves once the fault is in place. Throws only when nothing was done. */
  inject(context: FaultContext, spec: FaultSpecOf<K>): Promise<InjectedFault>;
}

export function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `${error.message}${cause}`;
}
