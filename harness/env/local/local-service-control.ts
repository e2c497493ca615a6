// Service control of a local env, from its env.json: SIGSTOP, SIGCONT and SIGKILL to a service's
// process group, and a start of that one service again from the plan `up` used (same folder, same
// ports, same JVM bundles), whose new pid is written back to env.json so that `npm run env -- down`
// still stops everything. Works from any process, whether or not it started the env.
import { ConvergeError } from '../../errors.ts';
import type { ControlledService, ServiceAction, ServiceControl } from '../service-control.ts';
import { readState, writeState, type EnvState, type ServiceRecord } from '../state.ts';
import { isListening } from './ports.ts';
import { planFromState, startLocalService, type LocalServiceName, type PlanOptions } from './local-services.ts';
import { isAlive, signalGroup, waitForExit } from './process-service.ts';

/** The local process behind each controlled service. */
export const LOCAL_SERVICE_OF: Readonly<Record<ControlledService, LocalServiceName>> = {
  mysql: 'mariadb',
  kafka: 'kafka',
  connect: 'connect',
  search: 'opensearch',
};

/** How long a killed service may take to vanish and free its ports, in ms. */
const GONE_TIMEOUT_MS = 15_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class LocalServiceControl implements ServiceControl {
  readonly provider = 'local' as const;

  constructor(
    readonly dir: string,
    private readonly options: PlanOptions = {},
  ) {}

  private state(): EnvState {
    const state = readState(this.dir);
    if (!state) throw new ConvergeError(`no env is recorded in ${this.dir}/env.json`);
    return state;
  }

  private record(service: ControlledService): ServiceRecord {
    const name = LOCAL_SERVICE_OF[service];
    const record = this.state().services.find((candidate) => candidate.name === name);
    if (record?.pid === undefined) throw new ConvergeError(`${this.dir}/env.json records no process for ${name}`);
    return record;
  }

  unsupported(action: ServiceAction, service: ControlledService): string | null {
    const state = readState(this.dir);
    if (!state) return `no env is recorded in ${this.dir}/env.json`;
    if (state.provider !== 'local') return `the env in ${this.dir} is a ${state.provider} env, not a local one`;
    const name = LOCAL_SERVICE_OF[service];
    const record = state.services.find((candidate) => candidate.name === name);
    if (record?.pid === undefined) return `${this.dir}/env.json records no process for ${name}`;
    if (action === 'start') {
      // A fault must not kill what it cannot start again: the tools, bundles and ports must all be there.
      try {
        planFromState(state, this.options);
      } catch (error) {
        return `${name} could not be started again: ${error instanceof Error ? error.message : String(error)}`;
      }
    }
    return null;
  }

  private signalLive(service: ControlledService, signal: NodeJS.Signals): number {
    const { pid } = this.record(service);
    if (!isAlive(pid!)) throw new ConvergeError(`${LOCAL_SERVICE_OF[service]} (pid ${pid}) is not running; cannot send ${signal}`);
    signalGroup(pid!, signal);
    return pid!;
  }

  pause(service: ControlledService): Promise<void> {
    this.signalLive(service, 'SIGSTOP');
    return Promise.resolve();
  }

  resume(service: ControlledService): Promise<void> {
    this.signalLive(service, 'SIGCONT');
    return Promise.resolve();
  }

  async kill(service: ControlledService): Promise<void> {
    const record = this.record(service);
    const pid = this.signalLive(service, 'SIGKILL');
    if (!(await waitForExit(pid, GONE_TIMEOUT_MS))) throw new ConvergeError(`${record.name} (pid ${pid}) is still alive ${GONE_TIMEOUT_MS} ms after SIGKILL`);
    // The kernel closes a dead process's sockets; wait for that so a start finds its ports free.
    const deadline = Date.now() + GONE_TIMEOUT_MS;
    for (const port of record.ports) {
      while ((await isListening(port)) && Date.now() < deadline) await sleep(50);
    }
  }

  async start(service: ControlledService): Promise<void> {
    const name = LOCAL_SERVICE_OF[service];
    const before = this.record(service);
    if (isAlive(before.pid!)) throw new ConvergeError(`${name} (pid ${before.pid}) is still running; kill it before starting it again`);
    const started = await startLocalService(name, planFromState(this.state(), this.options));
    // Read env.json again: another service may have been restarted meanwhile.
    const state = this.state();
    const record = state.services.find((candidate) => candidate.name === name)!;
    record.pid = started.process.pid;
    record.logFile = started.process.logFile;
    record.restartedAt = new Date().toISOString();
    record.restarts = (record.restarts ?? 0) + 1;
    writeState(state);
  }
}
