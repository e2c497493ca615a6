// converge: the fault machinery of one pair, set up only when its scenario has faults:
//   - a TCP proxy the harness owns between the worker and each service a `network` fault targets
//     (the worker is given the proxied endpoints; pass-through until the fault strikes);
//   - the worker's own MySQL user when a `mysql-kill-connections` fault is listed (so the fault
//     kills the worker's connections, never the harness's or a capture's);
//   - the env's service control (from its env.json), which pauses, kills and restarts services;
//   - the worker crash hook, bound to the pair's worker once it exists.
// `unsupported` lists the faults this provider cannot inject: the pair is then skipped, and
// everything set up here is closed again before anything else starts.
import type mysql from 'mysql2/promise';
import type { Endpoints } from '../env/endpoints.ts';
import { serviceControlFor } from '../env/select-service-control.ts';
import type { FaultContext } from '../nemesis/fault-kind.ts';
import type { FaultSpec } from '../nemesis/fault-spec.ts';
import { unsupportedFaults } from '../nemesis/nemesis.ts';
import { closeProxies, proxiedEndpoints, proxiedServices, startProxies, type ProxiedService } from '../nemesis/proxied-endpoints.ts';
import { createWorkerUser, dropWorkerUser, workerUserName } from '../nemesis/worker-user.ts';

export interface PairFaultsInput {
  faults: readonly FaultSpec[];
  /** The env's own endpoints (admin credentials). */
  endpoints: Endpoints;
  /** The env folder whose env.json names the provider (service control). */
  envDir: string;
  runId: string;
  strategy: string;
  /** An admin pool on the env's MySQL, to create and drop the worker's user. */
  admin: mysql.Pool;
  /** Crash the pair's worker and bring it back (open + recover); bound late, once the worker exists. */
  crashWorker: () => Promise<void>;
}

export interface PairFaults {
  context: FaultContext;
  /** What the worker is given: through the proxies, as its own MySQL user where one was made. */
  workerEndpoints: Endpoints;
  /** Faults this run cannot inject, with the reasons: the pair is skipped. */
  unsupported: { index: number; kind: string; reason: string }[];
  /** Close the proxies and drop the worker's user. Never throws; problems are returned. */
  close(): Promise<string[]>;
}

/** The services a `network` fault of the list targets that converge can proxy. */
function proxiedTargets(faults: readonly FaultSpec[]): ProxiedService[] {
  const targets = new Set<ProxiedService>();
  for (const fault of faults) {
    if (fault.kind === 'network' && (proxiedServices as readonly string[]).includes(fault.target)) targets.add(fault.target as ProxiedService);
  }
  return [...targets];
}

export async function preparePairFaults(input: PairFaultsInput): Promise<PairFaults> {
  const services = serviceControlFor(input.envDir);
  const proxies = await startProxies(input.endpoints, proxiedTargets(input.faults));
  const user = input.faults.some((fault) => fault.kind === 'mysql-kill-connections') ? workerUserName(input.runId, input.strategy) : undefined;
  const context: FaultContext = {
    endpoints: input.endpoints,
    services,
    proxies,
    ...(user ? { workerMysqlUser: user } : {}),
    crashWorker: input.crashWorker,
  };
  let userMade = false;
  const close = async (): Promise<string[]> => {
    const problems: string[] = [];
    await closeProxies(proxies).catch((error: unknown) => problems.push(`closing the fault proxies: ${String(error)}`));
    if (user && userMade) await dropWorkerUser(input.admin, user).catch((error: unknown) => problems.push(`dropping the worker's MySQL user ${user}: ${String(error)}`));
    return problems;
  };
  const unsupported = unsupportedFaults(input.faults, context);
  let workerEndpoints = proxiedEndpoints(input.endpoints, proxies);
  if (unsupported.length === 0 && user) {
    try {
      // Every privilege: a strategy may create users and set globals itself (cdc does); only the
      // user's identity matters to the fault.
      const mysqlEndpoint = await createWorkerUser(input.admin, workerEndpoints.mysql, user, 'admin');
      userMade = true;
      workerEndpoints = { ...workerEndpoints, mysql: mysqlEndpoint };
    } catch (error) {
      await close();
      throw error;
    }
  }
  return { context, workerEndpoints, unsupported, close };
}
