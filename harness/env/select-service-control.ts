// The service control of the env recorded in a folder's env.json, chosen by its provider.
import path from 'node:path';
import { ConfigError } from '../errors.ts';
import { DockerServiceControl } from './docker/docker-service-control.ts';
import { ExternalServiceControl } from './external/external-service-control.ts';
import { LocalServiceControl } from './local/local-service-control.ts';
import type { PlanOptions } from './local/local-services.ts';
import type { ServiceControl } from './service-control.ts';
import { DEFAULT_ENV_DIR, readState } from './state.ts';

export function serviceControlFor(dir = DEFAULT_ENV_DIR, options: PlanOptions = {}): ServiceControl {
  const resolved = path.resolve(dir);
  const state = readState(resolved);
  if (!state) throw new ConfigError(`no env is recorded in ${resolved}/env.json; start one with npm run env -- up`);
  switch (state.provider) {
    case 'local':
      return new LocalServiceControl(resolved, options);
    case 'docker':
      return new DockerServiceControl(state);
    case 'external':
      return new ExternalServiceControl();
  }
}
