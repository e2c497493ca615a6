// Integration tests' global setup: start one private local env (its own folder, free ports) for
// the whole run, hand its endpoints to the tests, and stop and wipe it afterwards. While developing,
// CONVERGE_TEST_REUSE_ENV=1 runs the tests against the env already up from `npm run env -- up`
// instead (left running); CI always starts its own.
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import type { Endpoints } from '../../harness/env/endpoints.ts';
import { envDown, envUp, runningEnv } from '../../harness/env/env-control.ts';
import { DEFAULT_ENV_DIR, REPO_ROOT } from '../../harness/env/state.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    endpoints: Endpoints;
    envDir: string;
  }
}

export const TEST_ENV_DIR = path.join(REPO_ROOT, '.converge', 'test-env');

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = Date.now();
  const reusable = process.env.CONVERGE_TEST_REUSE_ENV === '1' ? runningEnv() : undefined;
  if (reusable) {
    process.stderr.write(`[test-env] reusing the env running from ${DEFAULT_ENV_DIR}\n`);
    project.provide('endpoints', reusable.endpoints);
    project.provide('envDir', DEFAULT_ENV_DIR);
    return () => Promise.resolve();
  }
  await envDown({ dir: TEST_ENV_DIR, wipe: true });
  const result = await envUp({ provider: 'local', dir: TEST_ENV_DIR, log: (line) => process.stderr.write(`[test-env] ${line}\n`) });
  process.stderr.write(`[test-env] up in ${Date.now() - started} ms\n`);
  project.provide('endpoints', result.endpoints);
  project.provide('envDir', TEST_ENV_DIR);
  return async () => {
    const down = await envDown({ dir: TEST_ENV_DIR, wipe: true });
    if (down.stillListening.length > 0) throw new Error(`test env left ports listening: ${down.stillListening.join(', ')}`);
  };
}
