// The nemesis tests share the live env with everyone else: whatever an assertion does, each test
// file leaves every service running and none frozen. This is the last-resort sweep its afterAll
// runs (each test also heals its own fault in a finally).
import { readFileSync } from 'node:fs';
import { LOCAL_SERVICE_OF } from '../../harness/env/local/local-service-control.ts';
import { isAlive } from '../../harness/env/local/process-service.ts';
import { serviceControlFor } from '../../harness/env/select-service-control.ts';
import { controlledServices } from '../../harness/env/service-control.ts';
import { readState } from '../../harness/env/state.ts';

function stopped(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'T';
  } catch {
    return false;
  }
}

/** SIGCONT every frozen service and start every dead one; returns what it had to do. */
export async function ensureServicesRunning(envDir: string): Promise<string[]> {
  const state = readState(envDir);
  if (state?.provider !== 'local') return [];
  const control = serviceControlFor(envDir);
  const done: string[] = [];
  for (const service of controlledServices) {
    const record = readState(envDir)!.services.find((candidate) => candidate.name === LOCAL_SERVICE_OF[service]);
    if (record?.pid === undefined) continue;
    if (!isAlive(record.pid)) {
      await control.start(service);
      done.push(`started ${service}`);
    } else if (stopped(record.pid)) {
      await control.resume(service);
      done.push(`resumed ${service}`);
    }
  }
  if (done.length > 0) process.stderr.write(`[nemesis-guard] had to repair the env: ${done.join(', ')}\n`);
  return done;
}
