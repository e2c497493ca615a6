// converge: the scenario file's shape as a zod schema (structure only; cross-references such as
// "this column exists" are checked in references.ts). Types for the rest of the harness come from here.
import { z } from 'zod';
import { fieldNameProblem, identifierProblem } from './identifiers.ts';
import { INDEX_FIELD_TYPES } from './index-types.ts';

/** Column types a scenario may declare; `varchar` also takes `length`. */
export const COLUMN_TYPES = ['int', 'bigint', 'varchar', 'text', 'double', 'boolean', 'datetime'] as const;
export type ColumnType = (typeof COLUMN_TYPES)[number];

/** Operation kinds a phase mixes. */
export const OP_KINDS = ['insert', 'update', 'increment', 'delete', 'read'] as const;
export type OpKind = (typeof OP_KINDS)[number];

const sqlIdentifier = z.string().check((ctx) => {
  const problem = identifierProblem(ctx.value);
  if (problem !== null) ctx.issues.push({ code: 'custom', message: problem, input: ctx.value });
});
const fieldName = z.string().check((ctx) => {
  const problem = fieldNameProblem(ctx.value);
  if (problem !== null) ctx.issues.push({ code: 'custom', message: problem, input: ctx.value });
});

/** A row key: the harness's `id` column is a BIGINT primary key, kept within JS's safe integers. */
export const rowId = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
/** A scalar column value as written in a scenario file (datetimes as `YYYY-MM-DD HH:MM:SS`, UTC). */
export const scalar = z.union([z.number(), z.string(), z.boolean(), z.null()]);
export type Scalar = z.infer<typeof scalar>;

const columnSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('varchar'),
    /** Maximum length in characters, 1..16383. */
    length: z.number().int().min(1).max(16383),
    nullable: z.boolean().default(false),
  }),
  z.strictObject({
    type: z.enum(['int', 'bigint', 'text', 'double', 'boolean', 'datetime']),
    nullable: z.boolean().default(false),
    /**
     * The index field type this numeric column is mapped to, when not its default (long for int and
     * bigint, double for double): e.g. `integer` for a bigint column, so that a value MySQL holds can
     * be out of the index's range (see phases[].poison).
     */
    indexType: z.enum(INDEX_FIELD_TYPES).optional(),
  }),
]);
export type Column = z.output<typeof columnSchema>;

/**
 * A computed field: a literal, a column of the MySQL row (`{col: name}`), or one of six functions.
 * `concat` joins as text (null counts as ""), `upper`/`lower` keep null, `add`/`multiply` are null
 * when any argument is null, `coalesce` is its first non-null argument.
 */
export type Expr =
  | string
  | number
  | boolean
  | null
  | { col: string }
  | { concat: Expr[] }
  | { upper: Expr }
  | { lower: Expr }
  | { add: Expr[] }
  | { multiply: Expr[] }
  | { coalesce: Expr[] };

export const exprSchema: z.ZodType<Expr> = z.lazy(() =>
  z.union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    z.strictObject({ col: z.string() }),
    z.strictObject({ concat: z.array(exprSchema).min(1) }),
    z.strictObject({ upper: exprSchema }),
    z.strictObject({ lower: exprSchema }),
    z.strictObject({ add: z.array(exprSchema).min(1) }),
    z.strictObject({ multiply: z.array(exprSchema).min(1) }),
    z.strictObject({ coalesce: z.array(exprSchema).min(1) }),
  ]),
);

const projectionSchema = z.strictObject({
  /** MySQL column → index field name. */
  rename: z.record(z.string(), fieldName).default({}),
  /** Columns left out of the index document. */
  drop: z.array(z.string()).default([]),
  /** Index fields computed from the row (evaluated on MySQL column names, before renaming). */
  computed: z.record(fieldName, exprSchema).default({}),
});
export type Projection = z.output<typeof projectionSchema>;

const entitySchema = z.strictObject({
  table: sqlIdentifier,
  /** Column name → type; `id` (BIGINT primary key) and `version` (BIGINT) are added by the harness. */
  columns: z.record(sqlIdentifier, columnSchema),
  projection: projectionSchema.default({ rename: {}, drop: [], computed: {} }),
});
export type Entity = z.output<typeof entitySchema>;

const seedSchema = z.strictObject({
  /** Explicit rows: `id` plus column values; unspecified columns get generated values. */
  rows: z.array(z.looseObject({ id: rowId }).catchall(scalar)).default([]),
  /** `count` more rows with generated values, ids `firstId`, `firstId + 1`, … */
  generate: z.strictObject({ count: z.number().int().min(0), firstId: rowId.default(1) }).optional(),
});
export type Seed = z.output<typeof seedSchema>;

const weight = z.number().min(0).default(0);
const keysSchema = z.discriminatedUnion('select', [
  /** Ascending ids: fresh ids for inserts, the live keys in id order (cycling) for the rest. */
  z.strictObject({ select: z.literal('sequential') }),
  z.strictObject({ select: z.literal('uniform') }),
  /** Zipf over the live keys by rank; rank 1 is hottest. */
  z.strictObject({ select: z.literal('zipf'), exponent: z.number().positive().max(10).default(1) }),
  /** With probability `hotWeight`, one of the first `hotFraction` of the live keys. */
  z.strictObject({
    select: z.literal('hot'),
    hotFraction: z.number().gt(0).lt(1).default(0.1),
    hotWeight: z.number().min(0).max(1).default(0.9),
  }),
  /** Uniform over exactly these ids, live or not. */
  z.strictObject({ select: z.literal('list'), ids: z.array(rowId).min(1) }),
]);
export type KeySelection = z.output<typeof keysSchema>;

const phaseSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'expected a kebab-case name'),
  description: z.string().optional(),
  /** Number of operations. Exactly one of `ops` and `durationMs`. */
  ops: z.number().int().min(1).optional(),
  /** Run for this many milliseconds. Exactly one of `ops` and `durationMs`. */
  durationMs: z.number().int().min(1).optional(),
  /** Concurrent clients (1..256), default 1. */
  concurrency: z.number().int().min(1).max(256).default(1),
  /** Rate limit over the whole phase in ops/s; unlimited when absent. */
  rate: z.number().positive().optional(),
  /** Relative weights of the operation kinds; absent kinds weigh 0. */
  mix: z.strictObject({ insert: weight, update: weight, increment: weight, delete: weight, read: weight }),
  keys: keysSchema.default({ select: 'uniform' }),
  /** Columns an update sets (fresh generated values); default all columns. */
  update: z.strictObject({ columns: z.array(z.string()).min(1) }).optional(),
  /** `column = column + delta` for increments; required when the mix has increments. */
  increment: z.strictObject({ column: z.string(), delta: z.number().default(1) }).optional(),
  /** Fraction of inserts that reuse a live id (expected to be rejected by MySQL), default 0. */
  insert: z.strictObject({ duplicateFraction: z.number().min(0).max(1).default(0) }).optional(),
  /**
   * Poison writes: this fraction (0..1] of the phase's inserts and updates set `column` to `value`,
   * a value MySQL accepts but the column's index type cannot hold, so the search engine itself
   * rejects the document (400). Such ops carry `poison: true` in the history. Same ops for every
   * strategy.
   */
  poison: z.strictObject({ fraction: z.number().gt(0).max(1), column: z.string(), value: scalar }).optional(),
  /** Name of an earlier phase this one runs beside (they form a group that ends when all end). */
  beside: z.string().optional(),
  /** With `beside`: start once the other phase is this fraction (0..1) done. Default 0. */
  startAt: z.number().min(0).lt(1).optional(),
  /** Quiesce and check convergence after this phase's group ends. */
  checkpoint: z.boolean().default(false),
});
export type Phase = z.output<typeof phaseSchema>;

const limit = z.number().int().min(0).optional();
const lagLimit = z.number().positive().optional();
const expectSchema = z.strictObject({
  /** The stores must agree at the end (and at every checkpoint). Default true. */
  converged: z.boolean().default(true),
  /** How long to wait for convergence after the last acknowledged write, in ms. Default 60000. */
  convergenceTimeoutMs: z.number().int().min(0).default(60_000),
  /** Final column values of given keys, checked in MySQL and (through the projection) the index. */
  finalValues: z
    .array(
      z.strictObject({
        id: rowId,
        /** Column → expected value; may use params, e.g. `"${2*increments+1}"`. */
        values: z.record(z.string(), scalar).optional(),
        /** The key must be absent from both stores. */
        absent: z.boolean().optional(),
      }),
    )
    .default([]),
  /** Most anomalies of each kind allowed; an absent limit is reported but not judged. */
  anomalies: z
    .strictObject({ dirtyReads: limit, versionRegressions: limit, resurrections: limit, staleReads: limit })
    .default({ dirtyReads: 0, versionRegressions: 0, resurrections: 0 }),
  /** Upper bounds on replication lag percentiles, in ms. */
  maxLagMs: z.strictObject({ p50: lagLimit, p95: lagLimit, p99: lagLimit, max: lagLimit }).optional(),
  /**
   * Strategy name → why it may fail this scenario (e.g. the control group diverging under a race).
   * Its failure is then expected (the bench still exits 0) and its pass is information; every other
   * strategy must pass. A crash is never expected.
   */
  mayFail: z.record(z.string(), z.string().min(1, 'say why this strategy may fail here')).default({}),
});
export type Expect = z.output<typeof expectSchema>;

/** The cdc strategy's options (see strategies/cdc/). */
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

/** The whole file. `params` here are the resolved values (defaults with overrides applied). */
export const scenarioSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'expected a kebab-case name'),
  description: z.string().min(1),
  /** Param name → default (number, string or boolean); referenced elsewhere as `${name}`. */
  params: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])).default({}),
  entity: entitySchema,
  seed: seedSchema.default({ rows: [] }),
  phases: z.array(phaseSchema).min(1),
  /** Filled by the fault issue; only `[]` is accepted for now. */
  faults: z
    .array(z.unknown())
    .max(0, 'faults are not supported yet (the fault issue defines their kinds); use []')
    .default([]),
  /** Per-strategy options, handed to that strategy only. */
  strategies: z.strictObject({ cdc: cdcOptionsSchema.optional() }).optional(),
  expect: expectSchema.default({
    converged: true,
    convergenceTimeoutMs: 60_000,
    finalValues: [],
    anomalies: { dirtyReads: 0, versionRegressions: 0, resurrections: 0 },
    mayFail: {},
  }),
});
export type Scenario = z.output<typeof scenarioSchema>;
