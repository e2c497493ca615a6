// converge: expectations become verdict lines; a run passes only when every line passes or was not
// judged and the convergence line passed; a crashed check is `unknown`, which fails the run instead
// of passing it silently; a check that judged nothing says so instead of passing.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario/load.ts';
import type { AnomalyReport } from './anomalies.ts';
import type { ConvergenceReport } from './convergence.ts';
import type { LostWriteReport } from './lost-writes.ts';
import { judge, settle, type Observations } from './verdict.ts';

const scenario = parseScenario(
  `
name: v
description: v
params: { increments: 10 }
entity:
  table: v
  columns: { counter: { type: bigint }, note: { type: text } }
  projection: { rename: { counter: count }, drop: [note] }
phases: [{ name: p, ops: 1, mix: { read: 1 }, checkpoint: true }]
expect:
  finalValues:
    - { id: 1, values: { counter: "\${2*increments+1}", note: hi } }
    - { id: 2, absent: true }
  anomalies: { dirtyReads: 0, staleReads: 5 }
  maxLagMs: { p99: 100 }
`,
  {},
  'v.yaml',
);

const agree: ConvergenceReport = {
  converged: true,
  rows: 1,
  docs: 1,
  missing: 0,
  extra: 0,
  mismatched: 0,
  misplaced: 0,
  sampleIds: { missing: [], extra: [], mismatched: [], extraNonNumeric: [] },
  mismatchedFields: [],
};
const none: AnomalyReport = {
  reads: 4,
  judged: { dirtyReads: 3, resurrections: 3, versionRegressions: 4, staleReads: 4 },
  finalKeysJudged: 0,
  failedReads: 0,
  unjudgedReads: 0,
  dirtyReads: 0,
  resurrections: 0,
  versionRegressions: 0,
  staleReads: 2,
  staleness: { versions: { state: 'none', samples: 0, reason: '' }, ms: { state: 'none', samples: 0, reason: '' } },
  unverifiableReads: 0,
  unjudgedKeys: 0,
  samples: { dirtyReads: [], resurrections: [], versionRegressions: [], staleReads: [] },
  phantoms: null,
};
const kept: LostWriteReport = { acknowledged: 30, judgedKeys: 2, unjudgedKeys: 0, lost: 0, samples: [] };
const good: Observations = {
  convergence: { state: 'done', value: agree },
  checkpoints: [{ after: 'p', result: { state: 'done', value: agree } }],
  finalValues: { state: 'done', value: [{ id: 1, mysql: { id: 1, counter: '21', note: 'hi', version: 12 }, index: { id: 1, count: 21 } }, { id: 2, mysql: null, index: null }] },
  anomalies: { state: 'done', value: none },
  lostWrites: { state: 'done', value: kept },
  lag: { state: 'done', value: { state: 'measured', samples: 9, p50: 3, p95: 20, p99: 40, max: 41 } },
};

describe('judge', () => {
  it('passes when every expectation holds, with one line each', () => {
    const v = judge(scenario, good);
    expect(v.verdict).toBe('pass');
    expect(v.lines.map((l) => `${l.outcome} ${l.check}`)).toEqual([
      'pass converged after p',
      'pass converged',
      'pass finalValues[0].counter',
      'pass finalValues[0].note',
      'pass finalValues[1].absent',
      'pass anomalies.dirtyReads',
      'pass anomalies.staleReads',
      'pass acknowledgedWrites',
      'pass maxLagMs.p99',
    ]);
    expect(v.reasons[3]).toBe('pass: finalValues[0].note: id 1 holds "hi" in MySQL (dropped from the index)');
  });

  it('fails with the reasons: divergence with ids, wrong values, too many anomalies, lag', () => {
    const diverged = { ...agree, converged: false, missing: 1, extra: 2, mismatched: 2, sampleIds: { missing: [4], extra: [9], mismatched: [1, 7], extraNonNumeric: ['x1'] } };
    const v = judge(scenario, {
      ...good,
      convergence: { state: 'done', value: diverged },
      finalValues: { state: 'done', value: [{ id: 1, mysql: { id: 1, counter: 21, note: 'hi' }, index: { id: 1, count: 20 } }, { id: 2, mysql: null, index: { id: 2 } }] },
      anomalies: { state: 'done', value: { ...none, dirtyReads: 1, samples: { ...none.samples, dirtyReads: [{ id: 3, read: 8 }] } } },
      lag: { state: 'done', value: { state: 'measured', samples: 9, p50: 3, p95: 20, p99: 400, max: 410 } },
    });
    expect(v.verdict).toBe('fail');
    expect(v.reasons.filter((r) => r.startsWith('fail'))).toEqual([
      'fail: converged: 1 missing (ids 4), 2 extra (ids 9, "x1"), 2 mismatched (ids 1, 7)',
      'fail: finalValues[0].counter: id 1: expected 21; the index has 20',
      'fail: finalValues[1].absent: id 2 is still in the index',
      'fail: anomalies.dirtyReads: 1 seen (ids 3) over 3 judged reads, at most 0 allowed',
      'fail: maxLagMs.p99: p99 lag 400.0 ms over 9 samples, at most 100 ms allowed',
    ]);
  });

  it('says how many reads an anomaly line judged', () => {
    const v = judge(scenario, { ...good, anomalies: { state: 'done', value: { ...none, unverifiableReads: 3, failedReads: 1, unjudgedReads: 2 } } });
    expect(v.reasons.filter((r) => r.includes('anomalies'))).toEqual([
      'pass: anomalies.dirtyReads: 0 seen over 3 judged reads (3 unverifiable, 1 failed read), at most 0 allowed',
      'pass: anomalies.staleReads: 2 seen over 4 judged reads (3 unverifiable, 1 failed read, 2 on keys with more than one lifetime), at most 5 allowed',
    ]);
  });

  it('shows a check with nothing judged as not judged, which neither passes nor fails the run', () => {
    const nothing: AnomalyReport = { ...none, reads: 0, failedReads: 2, staleReads: 0, judged: { dirtyReads: 0, resurrections: 0, versionRegressions: 0, staleReads: 0 } };
    const v = judge(scenario, { ...good, anomalies: { state: 'done', value: nothing } });
    expect(v.lines.filter((l) => l.check.startsWith('anomalies')).map((l) => `${l.outcome}: ${l.check}: ${l.reason}`)).toEqual([
      'not-judged: anomalies.dirtyReads: nothing to judge: 0 seen over 0 judged reads (2 failed reads)',
      'not-judged: anomalies.staleReads: nothing to judge: 0 seen over 0 judged reads (2 failed reads)',
    ]);
    expect(v.verdict).toBe('pass');
    // Not judged never hides a failure elsewhere, and the convergence line must have been judged.
    expect(judge(scenario, { ...good, anomalies: { state: 'done', value: nothing }, convergence: { state: 'done', value: { ...agree, converged: false, missing: 1 } } }).verdict).toBe('fail');
  });

  it('turns a crashed check into unknown lines and a failed run', async () => {
    const crashed = await settle(() => {
      throw new TypeError('socket hang up');
    });
    expect(crashed).toEqual({ state: 'crashed', error: 'TypeError: socket hang up' });
    const v = judge(scenario, { ...good, anomalies: crashed, lag: { state: 'done', value: { state: 'none', samples: 0, reason: 'nothing sampled' } } });
    expect(v.verdict).toBe('fail');
    expect(v.lines.filter((l) => l.outcome === 'unknown').map((l) => l.check)).toEqual(['anomalies.dirtyReads', 'anomalies.staleReads', 'maxLagMs.p99']);
    const lostCrashed = judge(scenario, { ...good, lostWrites: crashed });
    expect(lostCrashed.verdict).toBe('fail');
    expect(lostCrashed.lines.find((l) => l.check === 'acknowledgedWrites')).toEqual({ check: 'acknowledgedWrites', outcome: 'unknown', reason: 'check crashed: TypeError: socket hang up' });
    expect(await settle(() => 3)).toEqual({ state: 'done', value: 3 });
  });

  it('fails the run on an acknowledged write lost in MySQL, naming the ids, the acked versions and the final rows', () => {
    const line = (value: LostWriteReport) => judge(scenario, { ...good, lostWrites: { state: 'done', value } }).lines.find((l) => l.check === 'acknowledgedWrites');
    expect(line({ ...kept, unjudgedKeys: 3 })).toEqual({
      check: 'acknowledgedWrites',
      outcome: 'pass',
      reason: 'MySQL holds every acknowledged write over 2 judged keys (3 keys not judged: a delete may have removed what was acknowledged, or nothing was)',
    });
    const lost: LostWriteReport = {
      ...kept,
      judgedKeys: 40,
      lost: 3,
      samples: [
        { id: 2, acked: { kind: 'seed', version: 1, entry: null }, final: null },
        { id: 5, acked: { kind: 'update', version: 3, entry: 17 }, final: 2 },
        { id: 9, acked: { kind: 'delete', version: 4, entry: 30 }, final: 4 },
      ],
    };
    const v = judge(scenario, { ...good, lostWrites: { state: 'done', value: lost } });
    expect(v.verdict).toBe('fail');
    expect(v.reasons).toContain('fail: acknowledgedWrites: 3 lost (id 2: seed row v1, MySQL has no row; id 5: acknowledged update v3, MySQL has v2; id 9: acknowledged delete of v4, MySQL has v4) over 40 judged keys');
    // beyond five, the other sampled ids, and an ellipsis for those not sampled
    const many = Array.from({ length: 7 }, (_, i) => ({ id: i + 1, acked: { kind: 'insert' as const, version: 1, entry: i }, final: null }));
    expect(line({ ...lost, lost: 9, samples: many })?.reason).toBe(
      '9 lost (id 1: acknowledged insert v1, MySQL has no row; id 2: acknowledged insert v1, MySQL has no row; id 3: acknowledged insert v1, MySQL has no row; id 4: acknowledged insert v1, MySQL has no row; id 5: acknowledged insert v1, MySQL has no row; 4 more: ids 6, 7, …) over 40 judged keys',
    );
  });

  it('shows the acknowledged writes as not judged when no acknowledged write obliges a final row', () => {
    const v = judge(scenario, { ...good, lostWrites: { state: 'done', value: { acknowledged: 4, judgedKeys: 0, unjudgedKeys: 2, lost: 0, samples: [] } } });
    expect(v.verdict).toBe('pass');
    expect(v.lines.find((l) => l.check === 'acknowledgedWrites')).toEqual({
      check: 'acknowledgedWrites',
      outcome: 'not-judged',
      reason: 'nothing to judge: no acknowledged write obliges a final row; 4 acknowledged writes (2 keys not judged: a delete may have removed what was acknowledged, or nothing was)',
    });
  });

  it('judges a lag figure that is only a lower bound: fail above the limit, unknown within it, never pass', () => {
    const lag = (p99: number) => ({ state: 'done' as const, value: { state: 'measured' as const, samples: 100, p50: 3, p95: 20, p99, max: 60_000, censored: 2, lowerBound: ['p99' as const, 'max' as const] } });
    const above = judge(scenario, { ...good, lag: lag(60_000) }).lines.find((l) => l.check === 'maxLagMs.p99');
    expect(above).toEqual({ check: 'maxLagMs.p99', outcome: 'fail', reason: 'p99 lag > 60000.0 ms (a lower bound) over 100 samples (2 censored: not seen while watched), at most 100 ms allowed' });
    const within = judge(scenario, { ...good, lag: lag(40) }).lines.find((l) => l.check === 'maxLagMs.p99');
    expect(within).toMatchObject({ outcome: 'unknown' });
    expect(within?.reason).toBe('p99 lag > 40.0 ms is only a lower bound over 100 samples (2 censored: not seen while watched); the true value may exceed 100 ms allowed');
  });
});
