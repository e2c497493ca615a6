// The console summary: a line per pair (an expected failure as such, with why, and a control
// group's pass where it may diverge as a note, never as an error), then per pair its throughput
// per phase and its lag, with `>` marking a figure that is only a lower bound.
import { describe, expect, it } from 'vitest';
import { resultFixture } from '../../reports/fixtures.ts';
import { summaryTable } from './summary-table.ts';

describe('summary table', () => {
  it('marks expected failures and passes where a strategy may fail', () => {
    const table = summaryTable([
      resultFixture({ strategy: 'naive', scenario: 'projection', verdict: 'fail', expectation: { verdict: 'may-fail', reason: 'updates race deletes', controlGroup: true }, lines: [{ check: 'converged', outcome: 'fail', reason: '1 extra' }] }),
      resultFixture({ strategy: 'naive', scenario: 'mixed-crud', verdict: 'pass', expectation: { verdict: 'may-fail', reason: 'hot keys race', controlGroup: true } }),
      resultFixture({ strategy: 'cdc', scenario: 'mixed-crud', verdict: 'fail', expectation: { verdict: 'pass', controlGroup: false }, lines: [{ check: 'converged', outcome: 'fail', reason: '2 missing' }] }),
    ]);
    const rows = table.split('\n');
    expect(rows[2]).toMatch(/^naive\s+projection\s+FAIL \(expected\)\s/);
    expect(rows[3]).toMatch(/^naive\s+mixed-crud\s+PASS \(may fail\)\s/);
    expect(rows[4]).toMatch(/^cdc\s+mixed-crud\s+FAIL\s/);
    expect(table).toContain('naive × projection: failed as expected: updates race deletes');
    expect(table).toContain('naive × mixed-crud: passed; the control group may diverge here (hot keys race)');
  });

  it('shows throughput per phase and lag lower bounds with the censored and untimed counts', () => {
    const result = resultFixture({
      throughput: {
        opsPerSec: 500,
        runningMs: 2_400,
        phases: [
          { name: 'insert-all', ops: 600, ms: 1_000, opsPerSec: 600 },
          { name: 'delete-all', ops: 600, ms: 1_400, opsPerSec: 428.57 },
        ],
      },
      lagMs: { state: 'measured', samples: 120, p50: 4.25, p95: 20, p99: 60_001, max: 60_020, censored: 2, lowerBound: ['p99', 'max'] },
      lagSampling: { every: 10, sampled: 121, observed: 118, censored: 2, superseded: 0, unconfirmed: 1 },
    });
    const text = summaryTable([result]);
    const lines = text.split('\n');
    expect(lines[2]).toContain('4.3/>60001.0');
    expect(lines.slice(4)).toEqual([
      'naive/counter-race',
      '  throughput ops/s: insert-all 600, delete-all 429, total 500 over 2.40 s running',
      '  lag: p50 4.3, p95 20.0, p99 >60001.0, max >60020.0 ms over 120 samples (2 censored); not timed: 0 superseded, 1 unconfirmed deletes',
    ]);
  });

  it('says why there is no lag figure, and reads results written before per-phase throughput existed', () => {
    const result = resultFixture({ throughput: { opsPerSec: 226.7 }, lagMs: { state: 'none', samples: 0, reason: 'no acknowledged write was sampled' } });
    const lines = summaryTable([result]).split('\n');
    expect(lines.slice(4)).toEqual(['naive/counter-race', '  throughput ops/s: total 227', '  lag: none (no acknowledged write was sampled)']);
  });
});
