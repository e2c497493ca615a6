// Bring an environment up, find it again, and take it down, for any provider, through its
// env.json: what the CLI, `npm run bench` and the integration tests all use.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { StartedDockerEnv } from './docker/docker-provider.ts';
import type { Endpoints, ProviderName } from './endpoints.ts';
import { localStatus, stopLocalEnv, type LocalEnvOptions } from './local/local-provider.ts';
import { isAlive } from './local/process-service.ts';
import type { StartedEnv } from './provider.ts';
import { chooseProviderName, createProvider } from './select-provider.ts';
import { DEFAULT_ENV_DIR, readState, removeState, writeState, type EnvState } from './state.ts';

export interface UpOptions extends LocalEnvOptions {
  provider?: ProviderName;
}

export interface UpResult {
  endpoints: Endpoints;
  /** False when an environment was already running from this folder and is reused as it is. */
  started: boolean;
  timings: Record<string, number>;
}

/** The endpoints of the environment running from `dir`, if every recorded service is alive. */
export function runningEnv(dir = DEFAULT_ENV_DIR): { endpoints: Endpoints; state: EnvState } | undefined {
  const state = readState(path.resolve(dir));
  if (!state?.endpoints) return undefined;
  if (state.provider === 'local' && !state.services.every((service) => service.pid !== undefined && isAlive(service.pid))) return undefined;
  return { endpoints: state.endpoints, state };
}

export async function envUp(options: UpOptions = {}): Promise<UpResult> {
  const dir = path.resolve(options.dir ?? DEFAULT_ENV_DIR);
  const running = runningEnv(dir);
  if (running) return { endpoints: running.endpoints, started: false, timings: running.state.timings };
  const name = await chooseProviderName(options.provider);
  const startedAt = Date.now();
  const env: StartedEnv = await createProvider(name, { ...options, dir }).start();
  if (name !== 'local') {
    const containers = (env as Partial<StartedDockerEnv>).containers ?? [];
    writeState({
      provider: name,
      dir,
      startedAt: new Date(startedAt).toISOString(),
      endpoints: env.endpoints,
      services: containers.map((container) => ({ name: container.name, containerId: container.id, ports: [] })),
      timings: { total: Date.now() - startedAt },
    });
  }
  return { endpoints: env.endpoints, started: true, timings: readState(dir)?.timings ?? {} };
}

export interface DownResult {
  stopped: string[];
  stillListening: number[];
}

export async function envDown(options: { dir?: string; wipe?: boolean } = {}): Promise<DownResult> {
  const dir = path.resolve(options.dir ?? DEFAULT_ENV_DIR);
  const state = readState(dir);
  if (!state) {
    if (options.wipe) await stopLocalEnv(dir, { wipe: true });
    return { stopped: [], stillListening: [] };
  }
  const stopped = state.services.map((service) => service.name);
  if (state.provider === 'docker') {
    const ids = state.services.map((service) => service.containerId).filter((id): id is string => Boolean(id));
    if (ids.length > 0) spawnSync('docker', ['rm', '-f', ...ids], { stdio: 'ignore' });
    removeState(dir);
    return { stopped, stillListening: [] };
  }
  if (state.provider === 'external') {
    removeState(dir);
    return { stopped: [], stillListening: [] };
  }
  const { stillListening } = await stopLocalEnv(dir, { wipe: options.wipe ?? false });
  return { stopped, stillListening };
}

export function envServices(dir = DEFAULT_ENV_DIR) {
  return localStatus(path.resolve(dir));
}
