// Service control as data: the docker commands each action runs on which container (no engine
// here), where each provider's control comes from, and the external provider refusing everything.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DockerServiceControl, dockerCommand } from './docker/docker-service-control.ts';
import { ExternalServiceControl } from './external/external-service-control.ts';
import { LocalServiceControl } from './local/local-service-control.ts';
import { portsFromState } from './local/local-services.ts';
import { serviceControlFor } from './select-service-control.ts';
import { controlledServices, serviceActions } from './service-control.ts';
import { writeState, type EnvState } from './state.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function envDir(state: Omit<EnvState, 'dir'> & { dir?: string }): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'converge-control-'));
  dirs.push(dir);
  writeState({ ...state, dir });
  return dir;
}

const dockerState = (dir = '/x'): EnvState => ({
  provider: 'docker',
  dir,
  startedAt: '2026-01-01T00:00:00Z',
  services: [
    { name: 'mysql', containerId: 'c-mysql', ports: [] },
    { name: 'elasticsearch', containerId: 'c-es', ports: [] },
    { name: 'kafka', containerId: 'c-kafka', ports: [] },
    { name: 'connect', containerId: 'c-connect', ports: [] },
  ],
  timings: {},
});

describe('docker service control', () => {
  it('builds one docker command per action', () => {
    expect(serviceActions.map((action) => dockerCommand(action, 'abc'))).toEqual([
      ['docker', 'pause', 'abc'],
      ['docker', 'unpause', 'abc'],
      ['docker', 'kill', '--signal', 'KILL', 'abc'],
      ['docker', 'start', 'abc'],
    ]);
  });

  it('runs each action on the container recorded for the service', async () => {
    const ran: string[][] = [];
    const control = new DockerServiceControl(dockerState(), (argv) => {
      ran.push(argv);
      return Promise.resolve();
    });
    await control.pause('search');
    await control.resume('search');
    await control.kill('kafka');
    await control.start('kafka');
    await control.kill('mysql');
    await control.start('connect');
    expect(ran).toEqual([
      ['docker', 'pause', 'c-es'],
      ['docker', 'unpause', 'c-es'],
      ['docker', 'kill', '--signal', 'KILL', 'c-kafka'],
      ['docker', 'start', 'c-kafka'],
      ['docker', 'kill', '--signal', 'KILL', 'c-mysql'],
      ['docker', 'start', 'c-connect'],
    ]);
    for (const service of controlledServices) expect(control.unsupported('kill', service)).toBeNull();
  });

  it('says why when env.json has no container for the service, and runs nothing', async () => {
    const state = dockerState();
    state.services = state.services.filter((record) => record.name !== 'connect');
    const ran: string[][] = [];
    const control = new DockerServiceControl(state, (argv) => {
      ran.push(argv);
      return Promise.resolve();
    });
    expect(control.unsupported('kill', 'connect')).toMatch(/records no container named connect/);
    await expect(control.kill('connect')).rejects.toThrow(/records no container named connect/);
    expect(ran).toEqual([]);
  });
});

describe('external service control', () => {
  it('supports no action and says so for each', async () => {
    const control = new ExternalServiceControl();
    for (const service of controlledServices) {
      for (const action of serviceActions) expect(control.unsupported(action, service)).toMatch(/run by the user, not by converge/);
    }
    await expect(control.kill('search')).rejects.toThrow(/cannot kill it/);
  });
});

describe('service control of a recorded env', () => {
  it('is chosen by the provider env.json names', () => {
    const local = envDir({ provider: 'local', startedAt: '', services: [{ name: 'mariadb', pid: 1, ports: [3307] }], timings: {} });
    expect(serviceControlFor(local)).toBeInstanceOf(LocalServiceControl);
    expect(serviceControlFor(envDir(dockerState()))).toBeInstanceOf(DockerServiceControl);
    expect(serviceControlFor(envDir({ provider: 'external', startedAt: '', services: [], timings: {} }))).toBeInstanceOf(ExternalServiceControl);
    expect(() => serviceControlFor(path.join(tmpdir(), 'converge-no-such-env'))).toThrow(/no env is recorded/);
  });

  it('local: a service missing from env.json is unsupported with the reason', () => {
    const dir = envDir({ provider: 'local', startedAt: '', services: [{ name: 'mariadb', pid: 1, ports: [3307] }], timings: {} });
    const control = new LocalServiceControl(dir);
    expect(control.unsupported('kill', 'mysql')).toBeNull();
    expect(control.unsupported('kill', 'search')).toMatch(/records no process for opensearch/);
    // It could be killed, but not started again on the same ports: env.json lacks the others' ports.
    expect(control.unsupported('start', 'mysql')).toMatch(/mariadb could not be started again: .*records no 2 ports for kafka/);
  });

  it('local: rebuilds every port from the records, in each process spec’s order', () => {
    const state: EnvState = {
      provider: 'local',
      dir: '/x',
      startedAt: '',
      services: [
        { name: 'mariadb', pid: 1, ports: [1001] },
        { name: 'kafka', pid: 2, ports: [1002, 1003] },
        { name: 'opensearch', pid: 3, ports: [1004, 1005] },
        { name: 'connect', pid: 4, ports: [1006] },
      ],
      timings: {},
    };
    expect(portsFromState(state)).toEqual({ mysql: 1001, kafka: 1002, kafkaController: 1003, search: 1004, searchTransport: 1005, connect: 1006 });
    state.services[1]!.ports = [1002];
    expect(() => portsFromState(state)).toThrow(/records no 2 ports for kafka/);
  });
});
