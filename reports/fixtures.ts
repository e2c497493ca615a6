// converge report tests: results.json fixtures — a pair that passed with every figure measured, a
// run around it, series of any length (to render a 100,000-operation run without services), faults
// as the nemesis records them, a pair skipped for a fault its provider cannot inject, and the
// configuration and stats of a real cdc run (as written before configs left the stats).
import type { FaultRecordResult, JsonValue, ResultsFile, ScenarioResult, Series } from '../harness/results/schema.ts';

/** Per-second series of a run of `ops` operations at `rate` ops/s, with a lag sample every `lagEvery` ops. */
export function seriesFixture(ops: number, rate = 1000, lagEvery = 50): Series {
  const seconds = Math.ceil(ops / rate);
  const second = Array.from({ length: seconds }, (_, i) => i);
  return {
    timeline: {
      second,
      ok: second.map((s) => Math.min(rate, ops - s * rate) - (s % 7 === 3 ? 2 : 0)),
      failed: second.map((s) => (s % 7 === 3 ? 2 : 0)),
      unknown: second.map(() => 0),
      latencyP50Ms: second.map((s) => 2 + (s % 5) * 0.1),
      latencyP99Ms: second.map((s) => (s === 1 ? null : 9 + (s % 11))),
    },
    lag: Array.from({ length: Math.floor(ops / lagEvery) }, (_, i) => ({ atMs: (i * lagEvery * 1000) / rate, lagMs: 1 + ((i * 37) % 100) / 10 })),
    divergence: [
      { atMs: seconds * 1000 + 10, missing: 12, extra: 1, mismatched: 3 },
      { atMs: seconds * 1000 + 260, missing: 2, extra: 0, mismatched: 0 },
      { atMs: seconds * 1000 + 510, missing: 0, extra: 0, mismatched: 0 },
    ],
    phases: [{ name: 'insert-all', ops, ms: seconds * 1000 }],
    checkpoints: [{ after: 'insert-all', converged: true, missing: 0, extra: 0, mismatched: 0 }],
  };
}

export function resultFixture(over: Partial<ScenarioResult> = {}): ScenarioResult {
  return {
    strategy: 'naive',
    scenario: 'counter-race',
    params: { increments: 300 },
    seed: 1,
    ops: { attempted: 301, ok: 301, failed: 0, unknown: 0 },
    throughput: { opsPerSec: 226.7 },
    latencyMs: { state: 'measured', samples: 301, p50: 3.185, p95: 11.335, p99: 16.719, max: 20.49 },
    lagMs: { state: 'measured', samples: 31, p50: 0.097, p95: 0.198, p99: 2.937, max: 2.94 },
    convergence: { state: 'checked', converged: true, timeMs: 1.69, quiet: true, missing: 0, extra: 0, mismatched: 0, sampleIds: { missing: [], extra: [], mismatched: [], extraNonNumeric: [] } },
    anomalies: {
      state: 'checked',
      reads: 30,
      judged: { dirtyReads: 30, versionRegressions: 30, resurrections: 30, staleReads: 30 },
      finalKeysJudged: 0,
      failedReads: 0,
      unjudgedReads: 0,
      dirtyReads: 0,
      versionRegressions: 0,
      resurrections: 0,
      staleReads: 0,
      staleness: { versions: { state: 'none', samples: 0, reason: 'no stale reads' }, ms: { state: 'none', samples: 0, reason: 'no stale reads' } },
      unverifiableReads: 0,
      unjudgedKeys: 0,
    },
    perOpCost: { state: 'measured', task: 'update one row', iterations: 465, opsPerSec: 353.4, meanMs: 3.23, p50Ms: 2.75, p99Ms: 10.78, rmePercent: 4.5 },
    stats: { mysqlWrites: 864, indexWrites: 864 },
    faults: [],
    expect: { converged: true },
    verdict: 'pass',
    expectation: { verdict: 'pass', controlGroup: true },
    reasons: ['pass: converged: 1 rows and 1 documents agree'],
    lines: [{ check: 'converged', outcome: 'pass', reason: '1 rows and 1 documents agree' }],
    history: 'history-naive-counter-race.jsonl',
    series: seriesFixture(301, 226),
    ...over,
  };
}

/** A fault that struck at 1.5 s, held, and healed by 4 s, as the nemesis records it. */
export function faultFixture(over: Partial<FaultRecordResult> = {}): FaultRecordResult {
  return {
    kind: 'search-pause',
    target: 'search',
    description: 'search-pause on search at mixed 30%',
    state: 'injected',
    startMs: 1500,
    endMs: 4000,
    detail: 'SIGSTOP opensearch (pid 1234)',
    heal: { waitedFor: 'search answering', ms: 120 },
    errors: [],
    writes: { ok: 250, failed: 0, unknown: 3 },
    ...over,
  };
}

/**
 * A pair that did not run because its provider cannot inject the scenario's fault: as the bench
 * writes it (harness/run/crashed-result.ts is the model), zero operations, figures that say why,
 * verdict `skipped` with the reason.
 */
export function skippedResultFixture(reason: string, over: Partial<ScenarioResult> = {}): ScenarioResult {
  const base = resultFixture();
  return {
    ...base,
    ops: { attempted: 0, ok: 0, failed: 0, unknown: 0 },
    throughput: { opsPerSec: 0 },
    latencyMs: { state: 'none', samples: 0, reason },
    lagMs: { state: 'none', samples: 0, reason },
    convergence: { state: 'unknown', error: reason },
    anomalies: { state: 'unknown', error: reason },
    perOpCost: { state: 'skipped', reason },
    stats: {},
    faults: [{ kind: 'search-restart', target: 'search', description: 'search-restart on search at mixed 50%', state: 'not-injected', startMs: null, endMs: null, errors: [], reason }],
    verdict: 'skipped',
    skipped: { reason },
    reasons: [],
    lines: [],
    series: undefined,
    ...over,
  };
}

export function runFixture(results: ScenarioResult[], over: Partial<ResultsFile> = {}): ResultsFile {
  const names = [...new Set(results.map((r) => r.scenario))];
  return {
    schemaVersion: 1,
    runId: '2026-11-26_21-13-39',
    startedAt: '2026-11-26T21:13:39.896Z',
    finishedAt: '2026-11-26T21:13:51.343Z',
    provider: 'local',
    engines: { mysql: 'mariadb 10.11.19', search: 'opensearch 2.19.1' },
    interrupted: false,
    paramOverrides: {},
    results,
    context: {
      machine: { cores: 2, memoryBytes: 8 * 2 ** 30, platform: 'linux 6.1', node: 'v20.20.2' },
      converge: { version: '0.1.0', commit: 'abc123' },
      durationMs: 11_447,
      scenarios: names.map((name) => ({ name, file: `scenarios/${name}.yaml`, description: `the ${name} scenario`, params: {}, text: `name: ${name}\n` })),
    },
    ...over,
  };
}

const CDC_PREFIX = 'cv_2026-11-27_20-38-25_counter_race_cdc_54d44b';

/** The configuration a real cdc × counter-race run reported (strategies/cdc: `configuration()`). */
export function cdcConfigFixture(): Record<string, JsonValue> {
  return {
    connector: CDC_PREFIX,
    topic: `${CDC_PREFIX}.converge.counter_race_cdc_54d44b`,
    deadLetterTopic: `${CDC_PREFIX}.dlq`,
    consumerGroup: `connect-es_sink_connector-${CDC_PREFIX}`,
    captureUser: 'cvcdc_7624d85355',
    captureStartedAt: '2026-11-27T20:38:34.380Z',
    sourceDocument: 'strategies/cdc/connectors/seed-source.json',
    sinkDocument: 'strategies/cdc/connectors/seed-sink.json',
    sourceConfig: {
      'connector.class': 'io.debezium.connector.mariadb.MariaDbConnector',
      'tasks.max': '1',
      'database.hostname': '127.0.0.1',
      'database.port': '34441',
      'database.user': 'cvcdc_7624d85355',
      'database.password': '********',
      'database.allowPublicKeyRetrieval': 'true',
      'database.server.id': '982226163',
      'database.include.list': 'converge',
      'table.include.list': 'converge.counter_race_cdc_54d44b',
      'schema.history.internal.kafka.bootstrap.servers': '127.0.0.1:34003',
      'schema.history.internal.kafka.topic': `${CDC_PREFIX}.schema-history`,
      'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'time.precision.mode': 'connect',
      'database.connectionTimeZone': 'Asia/Seoul',
      'topic.prefix': CDC_PREFIX,
      'heartbeat.interval.ms': '1000',
    },
    sourceConfigChanges: [
      'database.history.kafka.bootstrap.servers → schema.history.internal.kafka.bootstrap.servers',
      'database.history.kafka.topic → schema.history.internal.kafka.topic',
      'database.server.name (sink) → topic.prefix',
      'connector.class: io.debezium.connector.mysql.MySqlConnector → io.debezium.connector.mariadb.MariaDbConnector (the mariadb connector)',
      'database.hostname: my-mysql → 127.0.0.1 (this environment)',
      'database.port: 3306 → 34441 (this environment)',
      "database.user: root → cvcdc_7624d85355 (the capture's own user, so its statements can be counted)",
      "database.password: ******** → ******** (the capture's own user)",
      'database.server.id: 12000 → 982226163 (unique among the replicas of this server)',
      `topic.prefix: (unset) → ${CDC_PREFIX} (per-run topic prefix)`,
      'database.include.list: community → converge (this environment)',
      "table.include.list: community.communities → converge.counter_race_cdc_54d44b (this run's table)",
      'schema.history.internal.kafka.bootstrap.servers: localhost:9092 → 127.0.0.1:34003 (this environment)',
      `schema.history.internal.kafka.topic: schema-changes.mysql.sink → ${CDC_PREFIX}.schema-history (per-run history topic)`,
      'heartbeat.interval.ms: (unset) → 1000 (offsets follow the binlog while the table is quiet (quiesce))',
    ],
    sinkSettings: {
      name: 'es_sink_connector',
      keyIgnore: false,
      writeMethod: 'upsert',
      nullValues: 'delete',
      batchSize: 2000,
      maxInFlight: 5,
      maxRetries: 5,
      retryBackoffMs: 100,
      flushTimeoutMs: 180_000,
      keySchemas: true,
      valueSchemas: true,
      dropInvalid: false,
      deadLetterName: 'dlq',
      transforms: [
        { alias: 'extractKey', kind: 'extract-field', on: 'key', field: 'id' },
        { alias: 'unwrap', kind: 'unwrap', dropTombstones: false, deletes: 'drop' },
      ],
      inert: [
        'tasks.max: one sink consumer per run; Debezium writes one partition',
        'type.name: mapping types are gone from Elasticsearch 7+ and OpenSearch',
        'connection.url: the environment’s search engine is used',
        'topics: the sink reads this run’s change topic',
      ],
    },
    figuresFrom: { captureStatements: 'information_schema.USER_STATISTICS', snapshot: "Debezium's lines in the Connect log /work/main/.converge/env/connect/connect.log" },
  };
}

/** The cdc run's figures (stats as cdc reports them now: numbers only). */
export function cdcStatsFixture(): Record<string, number> {
  return {
    eventsReceived: 378,
    tombstonesReceived: 0,
    snapshotEvents: 0,
    applied: 370,
    rejectedStale: 0,
    deadLettered: 0,
    bulkRequests: 28,
    bulkRetries: 0,
    consumerCrashes: 0,
    keyBytes: 84_582,
    valueBytesWithSchema: 1_192_055,
    valueBytesWithoutSchema: 243_275,
    bytesPerEventWithSchema: 3154,
    bytesPerEventWithoutSchema: 644,
    keyBytesPerEvent: 224,
    captureStatements: 25,
    captureSelects: 6,
    captureStatementsBySnapshotEnd: 25,
    snapshotLockMs: 914,
    snapshotDurationMs: 1017,
  };
}

/**
 * The same run's stats as results.json held them before configs left the stats: the configuration
 * flattened into strings (one of them ~1,300 characters) beside the figures. Old run folders, and
 * any strategy that still reports strings, look like this.
 */
export function legacyCdcStatsFixture(): Record<string, number | string> {
  const config = cdcConfigFixture();
  const sink = config.sinkSettings as Record<string, JsonValue> & { transforms: { alias: string }[] };
  return {
    connector: CDC_PREFIX,
    topic: config.topic as string,
    consumerGroup: config.consumerGroup as string,
    sourceConfig: JSON.stringify(config.sourceConfig),
    sourceConfigChanges: JSON.stringify(config.sourceConfigChanges),
    sinkSettings: JSON.stringify({ ...sink, transforms: sink.transforms.map((t) => t.alias) }),
    ...cdcStatsFixture(),
    captureUser: 'cvcdc_7624d85355',
    captureStatementsSource: 'information_schema.USER_STATISTICS',
    snapshotStatsSource: 'Connect log /work/main/.converge/env/connect/connect.log',
    captureStartedAt: '2026-11-27T20:38:34.380Z',
  };
}
