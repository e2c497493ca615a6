// What every pipeline measurement gets: the env, the run, the entity its tables use (the seed's
// columns, from the suite's scenarios), the suite's params, and a way to watch the services' CPU.
import type { Endpoints } from '../env/endpoints.ts';
import type { Entity } from '../scenario/schema.ts';
import type { UsageSampler } from '../env/service-usage.ts';
import type { PipelineParams } from './params.ts';

export interface PipelineContext {
  endpoints: Endpoints;
  envDir: string;
  runId: string;
  runDir: string;
  entity: Entity;
  params: PipelineParams;
  signal: AbortSignal;
  log: (line: string) => void;
  /** Start watching the services' CPU and RSS now; `stop()` ends the window. */
  watchUsage: () => UsageSampler;
}
