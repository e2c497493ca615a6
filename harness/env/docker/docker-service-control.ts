// Service control of a docker env, from its env.json: each action is one `docker` command on the
// service's container (pause/unpause freeze and thaw it like SIGSTOP/SIGCONT, kill sends SIGKILL,
// start runs the same container again: same data, and the same host port because the provider
// fixes host ports). The commands are built as data, so they are unit-tested without an engine;
// readiness after a start is left to the fault's heal step.
import { spawn } from 'node:child_process';
import { ConvergeError } from '../../errors.ts';
import type { ControlledService, ServiceAction, ServiceControl } from '../service-control.ts';
import type { EnvState } from '../state.ts';
import type { ContainerDefinition } from './container-definitions.ts';

/** The container behind each controlled service, by its definition's name. */
export const CONTAINER_OF: Readonly<Record<ControlledService, ContainerDefinition['name']>> = {
  mysql: 'mysql',
  kafka: 'kafka',
  connect: 'connect',
  search: 'elasticsearch',
};

/** The argv of one action on one container. */
export function dockerCommand(action: ServiceAction, containerId: string): string[] {
  switch (action) {
    case 'pause':
      return ['docker', 'pause', containerId];
    case 'resume':
      return ['docker', 'unpause', containerId];
    case 'kill':
      return ['docker', 'kill', '--signal', 'KILL', containerId];
    case 'start':
      return ['docker', 'start', containerId];
  }
}

/** Runs one argv; rejects with its stderr when it exits non-zero. */
export type CommandRunner = (argv: string[]) => Promise<void>;

export const runCommand: CommandRunner = (argv) =>
  new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', (error) => reject(new ConvergeError(`could not run ${argv.join(' ')}: ${error.message}`, { cause: error })));
    child.once('close', (code) => (code === 0 ? resolve() : reject(new ConvergeError(`${argv.join(' ')} exited ${code}: ${stderr.trim()}`))));
  });

export class DockerServiceControl implements ServiceControl {
  readonly provider = 'docker' as const;

  constructor(
    private readonly state: EnvState,
    private readonly run: CommandRunner = runCommand,
  ) {}

  private containerId(service: ControlledService): string | undefined {
    return this.state.services.find((record) => record.name === CONTAINER_OF[service])?.containerId;
  }

  unsupported(_action: ServiceAction, service: ControlledService): string | null {
    if (this.containerId(service) !== undefined) return null;
    return `${this.state.dir}/env.json records no container named ${CONTAINER_OF[service]} (an env started before containers were recorded by name: restart it with npm run env -- down, then up)`;
  }

  private act(action: ServiceAction, service: ControlledService): Promise<void> {
    const reason = this.unsupported(action, service);
    if (reason !== null) return Promise.reject(new ConvergeError(`cannot ${action} ${service}: ${reason}`));
    return this.run(dockerCommand(action, this.containerId(service)!));
  }

  pause(service: ControlledService): Promise<void> {
    return this.act('pause', service);
  }

  resume(service: ControlledService): Promise<void> {
    return this.act('resume', service);
  }

  kill(service: ControlledService): Promise<void> {
    return this.act('kill', service);
  }

  start(service: ControlledService): Promise<void> {
    return this.act('start', service);
  }
}
