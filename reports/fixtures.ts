// converge report tests: results.json fixtures — a pair that passed with every figure measured, a
// run around it, and series of any length (to render a 100,000-operation run without services).
import type { ResultsFile, ScenarioResult, Series } from '../harness/results/schema.ts';

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
    reasons: ['pass: converged: 1 rows and 1 documents agree'],
    lines: [{ check: 'converged', outcome: 'pass', reason: '1 rows and 1 documents agree' }],
    history: 'history-naive-counter-race.jsonl',
    series: seriesFixture(301, 226),
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
