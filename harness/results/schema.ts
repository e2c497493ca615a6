// converge: the contract of results.json (schemaVersion 1) — one run, and per strategy × scenario
// its figures and verdict. Figures that may not exist are unions discriminated on `state`, in the
// manner of tinybench: a figure is present only where it was measured. Reports are pure functions
// of this file.
import { z } from 'zod';
import { pipelineResultSchema } from './pipeline-schema.ts';

export const SCHEMA_VERSION = 1;

const count = z.number().int().min(0);

export const PERCENTILE_KEYS = ['p50', 'p95', 'p99', 'max'] as const;
export type PercentileKey = (typeof PERCENTILE_KEYS)[number];

/**
 * Percentiles of a set of millisecond samples. `none`: nothing was sampled. `censored` of the
 * `samples` are known only to exceed a bound (e.g. lag samples never seen before the harness
 * stopped watching); the figures named in `lowerBound` fall among them: the true value is at
 * least the figure. Both are absent when no sample is censored.
 */
export const percentilesSchema = z.discriminatedUnion('state', [
  z.strictObject({
    state: z.literal('measured'),
    samples: z.number().int().min(1),
    p50: z.number(),
    p95: z.number(),
    p99: z.number(),
    max: z.number(),
    censored: count.optional(),
    lowerBound: z.array(z.enum(PERCENTILE_KEYS)).optional(),
  }),
  z.strictObject({ state: z.literal('none'), samples: z.literal(0), reason: z.string() }),
]);
export type Percentiles = z.infer<typeof percentilesSchema>;

/** A check that crashed is `unknown`, with the error; it never passes silently. */
const crashed = z.strictObject({ state: z.literal('unknown'), error: z.string() });

const sampleIds = z.strictObject({
  missing: z.array(z.number()),
  extra: z.array(z.number()),
  mismatched: z.array(z.number()),
  /** Extra documents whose `_id` is not a row id (a canonical positive integer), as the engine spells it. */
  extraNonNumeric: z.array(z.string()),
});

export const convergenceResultSchema = z.discriminatedUnion('state', [
  z.strictObject({
    state: z.literal('checked'),
    converged: z.boolean(),
    /**
     * Confirmed convergence: equal, then the strategy's quiesce returned, then equal again on a
     * confirming comparison. timeMs: from the last acknowledged write to the first comparison of
     * that pair; null if there was none.
     */
    timeMs: z.number().min(0).nullable(),
    /** Whether the strategy reported quiet when last asked (null: never asked, the stores never agreed). */
    quiet: z.boolean().nullable(),
    /**
     * With faults: from the later of the last fault's heal and the last acknowledged write to the
     * first comparison of the confirmed pair (0 when the stores were already equal then): the time
     * to converge once the faults had healed and the writes stopped. Null when they did not
     * converge; absent when no fault was injected. (How soon the index caught up while writes went
     * on is each fault's `catchUpMs`.)
     */
    afterHealMs: z.number().min(0).nullable().optional(),
    missing: count,
    extra: count,
    mismatched: count,
    sampleIds,
  }),
  crashed,
]);
export type ConvergenceResult = z.infer<typeof convergenceResultSchema>;

export const anomaliesResultSchema = z.discriminatedUnion('state', [
  z.strictObject({
    state: z.literal('checked'),
    /** Reads that completed ok. */
    reads: count,
    /** Per anomaly kind, the reads its test ran on; 0 means the kind was not judged. */
    judged: z.strictObject({ dirtyReads: count, versionRegressions: count, resurrections: count, staleReads: count }),
    /** Deleted keys whose absence from the final index was checked (resurrections). */
    finalKeysJudged: count,
    /** Reads that failed or whose outcome is unknown: they saw nothing and judge nothing. */
    failedReads: count,
    /** Ok reads on keys with more than one lifetime: judged for dirty reads only. */
    unjudgedReads: count,
    dirtyReads: count,
    versionRegressions: count,
    resurrections: count,
    staleReads: count,
    /** How far behind the stale reads were, in versions and in ms since the first missed ack. */
    staleness: z.strictObject({ versions: percentilesSchema, ms: percentilesSchema }),
    /** Reads whose key had a write of unknown outcome that may explain what they saw. */
    unverifiableReads: count,
    /** Keys with more than one lifetime (deleted and inserted again): judged for dirty reads only. */
    unjudgedKeys: count,
    /**
     * Present when the workload had xaRollback ops (XA branches the harness wrote, prepared and
     * rolled back): the reads and final index documents that showed a rolled-back row, with the
     * documents as the index showed them. Phantom reads are dirty reads too.
     */
    phantoms: z
      .strictObject({
        /** xaRollback ops in the history. */
        branches: count,
        /** Branches that wrote a row (the rolled-back states a phantom can show). */
        rolledBackRows: count,
        /** Reads that saw a rolled-back row. */
        reads: count,
        /** Documents of the final index that hold a rolled-back row. */
        finalDocs: count,
        /** Whether the final index was read (false when re-judged from the history alone). */
        finalIndexRead: z.boolean(),
        /** Up to 20 phantoms, final index first: the key, the read's history entry (null: final index), the document. */
        samples: z.array(z.strictObject({ id: z.number(), read: z.number().int().nullable(), doc: z.record(z.string(), z.json()) })),
      })
      .optional(),
  }),
  crashed,
]);
export type AnomaliesResult = z.infer<typeof anomaliesResultSchema>;

/**
 * Acknowledged writes MySQL no longer holds at the end (harness/checker/lost-writes.ts): an `ok`
 * write whose row is absent or at a lower version, or an `ok` delete whose row is still there,
 * where no delete (or, for a delete, no insert) not definitely failed may have come after it.
 */
export const lostWritesResultSchema = z.discriminatedUnion('state', [
  z.strictObject({
    state: z.literal('checked'),
    /** `ok` writes that affected a row (deletes included). */
    acknowledged: count,
    /** Keys whose final row a rule applies to; 0 means nothing was judged. */
    judgedKeys: count,
    /** Keys the history touched (or seeded) that no rule applies to: a delete may have removed what was acknowledged, or nothing was. */
    unjudgedKeys: count,
    /** Judged keys whose final row lost an acknowledged write. */
    lost: count,
    /** Some lost keys, in id order: the write acknowledged (kind, version, history index of its completion; null for a seed row) and the final row's version (null: no row). */
    samples: z.array(
      z.strictObject({
        id: z.number(),
        acked: z.strictObject({ kind: z.enum(['seed', 'insert', 'update', 'increment', 'delete']), version: z.number().int(), entry: count.nullable() }),
        final: z.number().int().nullable(),
      }),
    ),
  }),
  crashed,
]);
export type LostWritesResult = z.infer<typeof lostWritesResultSchema>;

/** A single write measured with tinybench (warm-up, then timed iterations). */
export const perOpCostSchema = z.discriminatedUnion('state', [
  z.strictObject({
    state: z.literal('measured'),
    /** What was measured, e.g. "insert one row". */
    task: z.string(),
    iterations: z.number().int().min(1),
    opsPerSec: z.number(),
    meanMs: z.number(),
    p50Ms: z.number(),
    p99Ms: z.number(),
    /** Relative margin of error of the mean, in percent. */
    rmePercent: z.number(),
  }),
  z.strictObject({ state: z.literal('skipped'), reason: z.string() }),
  crashed,
]);
export type PerOpCost = z.infer<typeof perOpCostSchema>;

/**
 * A fault of the scenario as it went (harness/nemesis/): times in ms since the workload began, the
 * clock of every series. `injected`: struck, held, healed (`heal` says what healing waited for and
 * how long; `errors` every problem it met, empty when the service came back); `inject-failed`: the
 * strike itself threw; `not-injected`: its trigger never came (`reason`), so the pair did not see it.
 */
export const faultRecordSchema = z.strictObject({
  kind: z.string(),
  target: z.string(),
  /** One line: "search-pause on search at mixed 30%". */
  description: z.string(),
  state: z.enum(['injected', 'inject-failed', 'not-injected']),
  /** When the strike began; null when it never did. */
  startMs: z.number().nullable(),
  /** When the heal step ended (the service answered again, or the heal gave up: see `errors`); null when it never began. */
  endMs: z.number().nullable(),
  /** What was done, e.g. "SIGSTOP opensearch (pid 1234)". */
  detail: z.string().optional(),
  heal: z.strictObject({ waitedFor: z.string(), ms: z.number().min(0) }).optional(),
  errors: z.array(z.string()),
  /** Why it was not injected. */
  reason: z.string().optional(),
  /** Outcomes of the writes in flight at some moment of the window (invoked before `endMs`, completed after `startMs`): `unknown` ones are those whose fate the client never learnt. */
  writes: z.strictObject({ ok: count, failed: count, unknown: count }).optional(),
  /**
   * How long after this fault's heal the index was current again: from its `endMs` until the first
   * lag sample acknowledged after it, with a lag within the normal lag (the p99 before the first
   * fault, at least 1 s), was seen in the index. Null: no such sample (the index never caught up
   * while the workload ran, or no write was sampled after the heal).
   */
  catchUpMs: z.number().min(0).nullable().optional(),
});
export type FaultRecordResult = z.infer<typeof faultRecordSchema>;

export const verdictLineSchema = z.strictObject({
  /** Which expectation, e.g. `converged`, `finalValues[0].counter`, `anomalies.dirtyReads`. */
  check: z.string(),
  /**
   * `not-judged`: the check had nothing to judge (e.g. no read it applies to); it neither passes
   * nor fails the run. A run passes when every line is `pass` or `not-judged` and the `converged`
   * line passed.
   */
  outcome: z.enum(['pass', 'fail', 'unknown', 'not-judged']),
  reason: z.string(),
});
export type VerdictLine = z.infer<typeof verdictLineSchema>;

const nullableNumbers = z.array(z.number().nullable());

/** What the report draws: per-second completions and latency, lag samples, divergence while converging. */
export const seriesSchema = z.strictObject({
  /** Per second since the workload began. */
  timeline: z.strictObject({
    second: z.array(z.number()),
    ok: z.array(z.number()),
    failed: z.array(z.number()),
    unknown: z.array(z.number()),
    latencyP50Ms: nullableNumbers,
    latencyP99Ms: nullableNumbers,
  }),
  /** Lag samples: acknowledgement time (ms since the workload began) and lag in ms; at most a few thousand, evenly thinned. */
  lag: z.array(z.strictObject({ atMs: z.number(), lagMs: z.number() })),
  /** Each comparison while waiting to converge: ms since the workload began and what differed. */
  divergence: z.array(z.strictObject({ atMs: z.number(), missing: count, extra: count, mismatched: count })),
  /** The phases as they ran. */
  phases: z.array(z.strictObject({ name: z.string(), ops: count, ms: z.number() })),
  /** Convergence at each checkpoint (null: the check crashed). */
  checkpoints: z.array(z.strictObject({ after: z.string(), converged: z.boolean().nullable(), missing: count, extra: count, mismatched: count })),
});
export type Series = z.infer<typeof seriesSchema>;

/**
 * What the scenario expects of this strategy: `pass`, or `may-fail` with the scenario's reason
 * (`expect.mayFail.<strategy>`). `controlGroup` is the registry's flag. A pair whose verdict is not
 * what is expected makes `npm run bench` exit 1 (see standing.ts).
 */
export const expectationSchema = z.strictObject({
  verdict: z.enum(['pass', 'may-fail']),
  reason: z.string().optional(),
  controlGroup: z.boolean(),
});
export type Expectation = z.infer<typeof expectationSchema>;

/** One strategy run through one scenario. */
export const scenarioResultSchema = z.strictObject({
  strategy: z.string(),
  scenario: z.string(),
  /** The scenario's params as used (defaults with overrides applied). */
  params: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])),
  /** The generator's run seed. */
  seed: z.number().int(),
  ops: z.strictObject({ attempted: count, ok: count, failed: count, unknown: count }),
  /**
   * Operations per second over the phases' own running time (checkpoint waits and the warm-up
   * excluded): `runningMs` is the sum of the phase groups' wall times (groups run one after
   * another, the phases of a group side by side), and each phase's rate is over its own time.
   * `runningMs` and `phases` are absent in results written before they existed.
   */
  throughput: z.strictObject({
    opsPerSec: z.number().min(0),
    runningMs: z.number().min(0).optional(),
    phases: z.array(z.strictObject({ name: z.string(), ops: count, ms: z.number().min(0), opsPerSec: z.number().min(0) })).optional(),
  }),
  latencyMs: percentilesSchema,
  lagMs: percentilesSchema,
  /**
   * How the lag was sampled and what became of the samples: every `every`-th operation of a phase,
   * if a write, was sampled; `sampled` were acknowledged; `observed` + `censored` are `lagMs`'s
   * samples; `superseded` (a later delete of the key came before they were seen) and `unconfirmed`
   * (deletes whose document was never seen in the index) cannot be timed and are not in `lagMs`.
   * Absent in results written before it existed.
   */
  lagSampling: z
    .strictObject({ every: z.number().int().min(1), sampled: count, observed: count, censored: count, superseded: count, unconfirmed: count })
    .optional(),
  convergence: convergenceResultSchema,
  anomalies: anomaliesResultSchema,
  /** Acknowledged writes lost in MySQL; absent in results written before it existed. */
  lostWrites: lostWritesResultSchema.optional(),
  perOpCost: perOpCostSchema,
  /** What the strategy reports about itself (events relayed, retries, …): informative, never judged. */
  stats: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])),
  /** The strategy's configuration as it ran (any JSON: effective configs, secrets redacted, names it created); absent when it reports none. */
  config: z.record(z.string(), z.json()).optional(),
  /** The scenario's faults as they went (empty when it has none). */
  faults: z.array(faultRecordSchema),
  /** Present when the pair did not run: why (e.g. a fault this provider cannot inject). Its verdict is then `skipped`. */
  skipped: z.strictObject({ reason: z.string() }).optional(),
  /** The scenario's `expect` block, resolved. */
  expect: z.record(z.string(), z.unknown()),
  /** `skipped`: the pair did not run (see `skipped`); it neither passes nor fails. */
  verdict: z.enum(['pass', 'fail', 'skipped']),
  expectation: expectationSchema,
  /** One line per expectation: `pass|fail|unknown|not-judged: check: reason`. */
  reasons: z.array(z.string()),
  lines: z.array(verdictLineSchema),
  /** The history file of this pair, relative to the run folder. */
  history: z.string(),
  /** The pair's worker log (its output and its clients' logs), relative to the run folder; absent in results written before it existed. */
  log: z.string().optional(),
  /** Time series for the report's charts; absent in results written before they existed. */
  series: seriesSchema.optional(),
});
export type ScenarioResult = z.infer<typeof scenarioResultSchema>;
export type JsonValue = z.infer<ReturnType<typeof z.json>>;
export type Throughput = ScenarioResult['throughput'];
export type LagSampling = NonNullable<ScenarioResult['lagSampling']>;

/** results.json. */
export const resultsFileSchema = z.strictObject({
  schemaVersion: z.literal(SCHEMA_VERSION),
  runId: z.string(),
  /** ISO 8601. */
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  /** Where the services came from: local, docker or external. */
  provider: z.enum(['local', 'docker', 'external']),
  /** Engine name → version, e.g. { mysql: "MariaDB 11.8.3", search: "OpenSearch 2.19.2", kafka: "4.3.0" }. */
  engines: z.record(z.string(), z.string()),
  /** The run was stopped early (Ctrl-C): results are partial. */
  interrupted: z.boolean(),
  /** `--param` overrides as given. */
  paramOverrides: z.record(z.string(), z.string()),
  results: z.array(scenarioResultSchema),
  /** Raw rates of the services measured in the same run, to read the strategies' figures as ratios. */
  baselines: z
    .strictObject({
      mysqlInsert: z.strictObject({ concurrency: z.number().int(), rows: count, opsPerSec: z.number() }),
      searchBulkIndex: z.strictObject({ docs: count, batchSize: z.number().int(), docsPerSec: z.number() }),
    })
    .optional(),
  /** `--suite pipeline`: the cdc pipeline's throughput and lag targets beside their raw rates (pipeline-schema.ts). */
  pipeline: pipelineResultSchema.optional(),
  /** Present only when this file failed its own schema check as written: it is kept, marked invalid. */
  schemaErrors: z.array(z.string()).optional(),
  /** Where and how the run happened, for the report's context section. */
  context: z
    .strictObject({
      machine: z.strictObject({ cores: z.number().int(), memoryBytes: z.number(), platform: z.string(), node: z.string() }),
      converge: z.strictObject({ version: z.string(), commit: z.string().nullable() }),
      durationMs: z.number(),
      scenarios: z.array(z.strictObject({ name: z.string(), file: z.string(), description: z.string(), params: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])), text: z.string() })),
    })
    .optional(),
});
export type ResultsFile = z.infer<typeof resultsFileSchema>;
