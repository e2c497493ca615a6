// The console summary shows an expected failure as such, with why, and a control group's pass
// where it may diverge as a note, never as an error.
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
});
