// Which provider runs: the one asked for, else `external` when CONVERGE_*_URL variables are set,
// else `docker` when a Docker daemon answers, else `local` (the default here, and CI's).
import { existsSync } from 'node:fs';
import { ConfigError } from '../errors.ts';
import { DockerProvider, dockerAvailable } from './docker/docker-provider.ts';
import { providerNames, type ProviderName } from './endpoints.ts';
import { ExternalProvider, externalRequested } from './external/external-provider.ts';
import { LocalProvider, type LocalEnvOptions } from './local/local-provider.ts';
import type { EnvProvider } from './provider.ts';

export function parseProviderName(value: string): ProviderName {
  if (!(providerNames as readonly string[]).includes(value)) {
    throw new ConfigError(`--provider: expected one of ${providerNames.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value as ProviderName;
}

export async function chooseProviderName(requested: ProviderName | undefined, env: NodeJS.ProcessEnv = process.env): Promise<ProviderName> {
  if (requested) return requested;
  if (externalRequested(env)) return 'external';
  if (env.DOCKER_HOST || existsSync('/var/run/docker.sock')) {
    if (await dockerAvailable()) return 'docker';
  }
  return 'local';
}

export function createProvider(name: ProviderName, localOptions: LocalEnvOptions = {}): EnvProvider {
  switch (name) {
    case 'local':
      return new LocalProvider(localOptions);
    case 'docker':
      return new DockerProvider();
    case 'external':
      return new ExternalProvider();
  }
}
