// converge: results.json's contract — a full result validates, a figure that was not measured is
// stated as such, and an unknown schemaVersion or a missing field is refused.
import { describe, expect, it } from 'vitest';
import { resultsFileSchema, type ResultsFile, type ScenarioResult } from './schema.ts';

const result: ScenarioResult = {
  strategy: 'naive',
  scenario: 'counter-race',
  params: { increments: 10_000 },
  seed: 1,
  ops: { attempted: 10_001, ok: 10_001, failed: 0, unknown: 0 },
  throughput: { opsPerSec: 812.5 },
  latencyMs: { state: 'measured', samples: 10_001, p50: 1.1, p95: 2.3, p99: 4, max: 31 },
  lagMs: { state: 'none', samples: 0, reason: 'naive writes the index synchronously' },
  convergence: { state: 'checked', converged: true, timeMs: 0, quiet: true, missing: 0, extra: 0, mismatched: 0, sampleIds: { missing: [], extra: [], mismatched: [], extraNonNumeric: [] } },
  anomalies: { state: 'unknown', error: 'MalformedHistoryError: completion without its invocation' },
  perOpCost: { state: 'skipped', reason: 'not requested' },
  stats: { indexWrites: 10_001 },
  faults: [],
  expect: { converged: true },
  verdict: 'fail',
  expectation: { verdict: 'may-fail', reason: 'the control group diverges under races', controlGroup: true },
  reasons: ['unknown: anomalies.dirtyReads: check crashed'],
  lines: [{ check: 'anomalies.dirtyReads', outcome: 'unknown', reason: 'check crashed' }],
  history: 'history-naive-counter-race.jsonl',
};
const file: ResultsFile = {
  schemaVersion: 1,
  runId: '2026-11-26T21-00-00Z',
  startedAt: '2026-11-26T21:00:00.000Z',
  finishedAt: null,
  provider: 'local',
  engines: { mysql: 'MariaDB 11.8', search: 'OpenSearch 2.19.2' },
  interrupted: true,
  paramOverrides: {},
  results: [result],
};

describe('results.json schema', () => {
  it('accepts a complete file with absent figures stated', () => {
    expect(resultsFileSchema.parse(JSON.parse(JSON.stringify(file)))).toEqual(file);
  });

  it('accepts throughput per phase, censored lag figures and the lag sampling, and refuses an unknown lower-bound key', () => {
    const withNew: ScenarioResult = {
      ...result,
      throughput: { opsPerSec: 500, runningMs: 2_000, phases: [{ name: 'increments', ops: 1_000, ms: 2_000, opsPerSec: 500 }] },
      lagMs: { state: 'measured', samples: 10, p50: 1, p95: 2, p99: 60_000, max: 60_000, censored: 1, lowerBound: ['p99', 'max'] },
      lagSampling: { every: 10, sampled: 12, observed: 9, censored: 1, superseded: 1, unconfirmed: 1 },
    };
    const parsed = resultsFileSchema.parse(JSON.parse(JSON.stringify({ ...file, results: [withNew] })));
    expect(parsed.results[0]).toEqual(withNew);
    const badKey = { ...withNew, lagMs: { ...withNew.lagMs, lowerBound: ['p42'] } };
    expect(resultsFileSchema.safeParse({ ...file, results: [badKey] }).success).toBe(false);
  });

  it('refuses another schemaVersion, a missing figure and a figure without its state', () => {
    expect(resultsFileSchema.safeParse({ ...file, schemaVersion: 2 }).success).toBe(false);
    const { lagMs: _, ...noLag } = result;
    expect(resultsFileSchema.safeParse({ ...file, results: [noLag] }).success).toBe(false);
    expect(resultsFileSchema.safeParse({ ...file, results: [{ ...result, latencyMs: { p50: 1, p95: 1, p99: 1, max: 1 } }] }).success).toBe(false);
  });

  it("accepts a strategy's configuration as any JSON beside its figures, and its worker log's name", () => {
    const config = { connector: 'cv_x', sourceConfig: { 'database.port': '3306' }, changes: ['a → b'], sinkSettings: { batchSize: 2000, transforms: [{ alias: 'unwrap' }], nothing: null } };
    const withConfig = { ...result, config, log: 'worker-naive-counter-race.log' };
    expect(resultsFileSchema.parse({ ...file, results: [withConfig] }).results[0]).toEqual(withConfig);
    expect(resultsFileSchema.safeParse({ ...file, results: [{ ...result, config: 'connector=cv_x' }] }).success).toBe(false);
    expect(resultsFileSchema.safeParse({ ...file, results: [{ ...result, stats: { sourceConfig: { 'database.port': '3306' } } }] }).success).toBe(false);
  });
});
