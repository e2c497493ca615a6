// A test's helper: one strategy × scenario pair run in a process of its own, the way `npm run
// bench` runs it (converge's progress lines on stderr), so a test reads exactly what reaches the
// console. argv[2] is the job as JSON; the result is written to <runDir>/result.json.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Endpoints } from '../../harness/env/endpoints.ts';
import { runStrategy } from '../../harness/run/run-strategy.ts';
import { loadScenario } from '../../harness/scenario/load.ts';

export interface PairJob {
  strategy: string;
  scenarioFile: string;
  params: Record<string, string>;
  runDir: string;
  runId: string;
  endpoints: Endpoints;
}

const job = JSON.parse(process.argv[2]!) as PairJob;
const scenario = await loadScenario(job.scenarioFile, job.params);
const { result } = await runStrategy({
  strategy: job.strategy,
  scenario,
  seed: 1,
  endpoints: job.endpoints,
  runId: job.runId,
  runDir: job.runDir,
  signal: new AbortController().signal,
  log: (line) => process.stderr.write(`converge: ${line}\n`),
  skipPerOpCost: true,
});
writeFileSync(path.join(job.runDir, 'result.json'), JSON.stringify(result));
