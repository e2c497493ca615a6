// The record of a running environment, kept as `<dir>/env.json` so that `npm run env -- status`
// and `down` (other processes than the one that ran `up`) can find and stop what `up` started.
// It is written as each service becomes ready, so an interrupted start can still be cleaned up.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Endpoints, ProviderName } from './endpoints.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DEFAULT_ENV_DIR = path.join(REPO_ROOT, '.converge', 'env');
export const DEFAULT_JVM_CACHE = path.join(REPO_ROOT, '.cache', 'jvm');

export interface ServiceRecord {
  name: string;
  /** Local process group leader, when the service is a local process. */
  pid?: number;
  /** Container id, when the service is a container. */
  containerId?: string;
  /** Local: when the nemesis last started this service again (ISO time), and how many times. */
  restartedAt?: string;
  restarts?: number;
  ports: number[];
  logFile?: string;
  startMs?: number;
}

export interface EnvState {
  provider: ProviderName;
  dir: string;
  startedAt: string;
  /** Local provider: the JVM artifact cache the services run from (a restart reuses it). */
  jvmCache?: string;
  /** Present once every service is ready. */
  endpoints?: Endpoints;
  services: ServiceRecord[];
  /** How long the start took, by step, in ms. */
  timings: Record<string, number>;
}

export function stateFile(dir: string): string {
  return path.join(dir, 'env.json');
}

export function readState(dir: string): EnvState | undefined {
  const file = stateFile(dir);
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as EnvState;
}

export function writeState(state: EnvState): void {
  mkdirSync(state.dir, { recursive: true });
  const file = stateFile(state.dir);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}

export function removeState(dir: string): void {
  rmSync(stateFile(dir), { force: true });
}
