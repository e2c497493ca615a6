// The strategy registry: one entry per strategy name — its factory, a one-line description,
// whether it is a control group (a strategy expected to diverge, kept to show that the checker
// catches it), and the options a scenario may give it. The CLI and the scenario loader validate
// names against it, the worker process builds strategies from it by name, the bench reads
// `controlGroup` to word an expected divergence that did not happen, and the scenario schema (and
// scenarios/schema.json) compose their `strategies:` block from the entries' `optionsSchema`, so a
// new strategy is one folder and one entry here, with no edit to harness/scenario/.
import { z } from 'zod';
import { ConfigError } from '../harness/errors.ts';
import type { PathProblem } from '../harness/scenario/params.ts';
import type { Scenario } from '../harness/scenario/schema.ts';
import type { StrategyFactory } from './contract.ts';
import { cdcOptionProblems, cdcOptionsSchema } from './cdc/options.ts';
import { cdcStrategy } from './cdc/index.ts';
import { naiveStrategy } from './naive/index.ts';
import { sagaOptionProblems, sagaOptionsSchema } from './saga/options.ts';
import { sagaStrategy } from './saga/index.ts';
import { twoPcStrategy } from './2pc/index.ts';
import { twoPcOptionsSchema } from './2pc/options.ts';

export interface StrategyEntry {
  readonly factory: StrategyFactory;
  /** What the strategy does, in one line. */
  readonly description: string;
  /**
   * A control group: no coordination, expected to diverge under races and faults. Where a scenario
   * lists it in `expect.mayFail`, its failure is the expected outcome and its pass is information.
   */
  readonly controlGroup: boolean;
  /**
   * The options a scenario may give under `strategies.<name>` (a zod object schema, with defaults;
   * `z.strictObject({})` when there are none). The strategy receives them as `context.options`.
   * Keep this module free of top-level work on harness/scenario values: the scenario schema imports
   * the registry (lazily), and a strategy may import harness/scenario modules.
   */
  readonly optionsSchema: z.ZodType<Record<string, unknown>>;
  /**
   * Optional: problems in options the schema accepted that only the whole scenario shows (a phase
   * or column they name that does not exist). Paths are within `strategies.<name>`; the loader
   * prefixes them and adds the YAML line.
   */
  readonly optionProblems?: (options: unknown, scenario: Scenario) => PathProblem[];
}

export const strategyRegistry: Readonly<Record<string, StrategyEntry>> = {
  naive: {
    factory: naiveStrategy,
    description: 'dual write: MySQL, then the index, with no coordination',
    controlGroup: true,
    optionsSchema: z.strictObject({}),
  },
  cdc: {
    factory: cdcStrategy,
    description: "the seed's pipeline: Debezium captures the binlog into Kafka, a sink applies it to the index with external versions",
    controlGroup: false,
    optionsSchema: cdcOptionsSchema,
    optionProblems: cdcOptionProblems,
  },
  saga: {
    factory: sagaStrategy,
    description: 'an orchestrated saga (xstate): row and saga log in one transaction, then a versioned index step, compensation on definite rejection, recovery from the log',
    controlGroup: false,
    optionsSchema: sagaOptionsSchema,
    optionProblems: sagaOptionProblems,
  },
  '2pc': {
    factory: twoPcStrategy,
    description: 'two-phase commit: an XA branch in MySQL and a staged document in the engine per write, a durable decision log, presumed abort, recovery of in-doubt branches',
    controlGroup: false,
    optionsSchema: twoPcOptionsSchema,
  },
};

export function strategyNames(): string[] {
  return Object.keys(strategyRegistry);
}

export function strategyEntry(name: string): StrategyEntry {
  const entry = Object.hasOwn(strategyRegistry, name) ? strategyRegistry[name] : undefined;
  if (!entry) throw new ConfigError(`--strategies: unknown strategy ${JSON.stringify(name)}; known: ${strategyNames().join(', ')}`);
  return entry;
}

export function strategyFactory(name: string): StrategyFactory {
  return strategyEntry(name).factory;
}
