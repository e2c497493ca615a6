// The cdc strategy's options (`strategies.cdc` in a scenario) as a zod schema, and the checks a
// schema cannot make: the phase `startCaptureAt` names and the column `versionColumn` names must
// exist in the scenario.
import { z } from 'zod';
import type { PathProblem } from '../../harness/scenario/params.ts';
import type { Scenario } from '../../harness/scenario/schema.ts';

export const cdcOptionsSchema = z.strictObject({
  /** Debezium source connector document (`{name, config}`), a path from the repository root. Default: the seed's, strategies/cdc/connectors/seed-source.json. */
  source: z.string().min(1).optional(),
  /** Elasticsearch sink connector document whose semantics the sink applies. Default: the seed's, strategies/cdc/connectors/seed-sink.json. */
  sink: z.string().min(1).optional(),
  /** Create the source connector only once phase `phase` is `fraction` (0..1) done, while writers run; default: at setup. */
  startCaptureAt: z.strictObject({ phase: z.string(), fraction: z.number().min(0).max(1) }).optional(),
  /** Version index writes by this column (e.g. `version`) instead of the change's binlog position. */
  versionColumn: z.string().optional(),
});
export type CdcOptions = z.output<typeof cdcOptionsSchema>;

/** Names the options use that the scenario does not define; paths are within `strategies.cdc`. */
export function cdcOptionProblems(raw: unknown, scenario: Scenario): PathProblem[] {
  const options = cdcOptionsSchema.parse(raw);
  const out: PathProblem[] = [];
  const phase = options.startCaptureAt?.phase;
  if (phase !== undefined && !scenario.phases.some((p) => p.name === phase)) {
    out.push({ path: ['startCaptureAt', 'phase'], message: `unknown phase "${phase}"` });
  }
  const column = options.versionColumn;
  if (column !== undefined && column !== 'version' && !(column in scenario.entity.columns)) {
    out.push({ path: ['versionColumn'], message: `unknown column "${column}"` });
  }
  return out;
}
