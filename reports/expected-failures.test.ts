// The report shows a failure the scenario expects as "fail (expected)" with why, and not among
// what went wrong; a control group's pass where it may diverge as a note; a results.json that
// failed its own schema check at the top of what went wrong.
import { describe, expect, it } from 'vitest';
import { loadAssets } from './assets.ts';
import { resultFixture, runFixture } from './fixtures.ts';
import { renderReport } from './render-report.ts';

const render = (file: ReturnType<typeof runFixture>) => renderReport({ file, invalid: [] }, loadAssets());
const cellOf = (page: string, strategy: string, scenario: string) => new RegExp(`<td class="cell [^"]*" data-strategy="${strategy}" data-scenario="${scenario}">[\\s\\S]*?</td>`).exec(page)?.[0] ?? '';

describe('expected failures in the report', () => {
  const expectedFail = resultFixture({
    strategy: 'naive',
    scenario: 'projection',
    verdict: 'fail',
    expectation: { verdict: 'may-fail', reason: 'updates race deletes', controlGroup: true },
    lines: [{ check: 'converged', outcome: 'fail', reason: '1 extra (ids 170)' }],
  });
  const mayFailPassed = resultFixture({ strategy: 'naive', scenario: 'mixed-crud', expectation: { verdict: 'may-fail', reason: 'hot keys race', controlGroup: true } });
  const cdcPassed = resultFixture({ strategy: 'cdc', scenario: 'projection', expectation: { verdict: 'pass', controlGroup: false } });
  const cdcPassedToo = resultFixture({ strategy: 'cdc', scenario: 'mixed-crud', expectation: { verdict: 'pass', controlGroup: false } });

  it('badges an expected failure "fail (expected)" with its reason, and leaves it out of what went wrong', () => {
    const page = render(runFixture([expectedFail, mayFailPassed, cdcPassed, cdcPassedToo]));
    const cell = cellOf(page, 'naive', 'projection');
    expect(cell).toContain('<td class="cell fail expected"');
    expect(cell).toContain('<span class="badge fail expected">fail (expected)</span>');
    expect(cell).toContain('expected: updates race deletes');
    expect(page).not.toContain('What went wrong');
    expect(page).toContain('3 of 4 pairs pass, 1 fail as expected');
  });

  it("notes a control group's pass where it may diverge", () => {
    const cell = cellOf(render(runFixture([mayFailPassed])), 'naive', 'mixed-crud');
    expect(cell).toContain('<span class="badge pass">pass</span>');
    expect(cell).toContain('passed; the control group may diverge here (hot keys race)');
  });

  it('lists an unexpected failure and a results.json that failed its schema under what went wrong', () => {
    const unexpected = resultFixture({ strategy: 'cdc', scenario: 'projection', verdict: 'fail', expectation: { verdict: 'pass', controlGroup: false }, lines: [{ check: 'converged', outcome: 'fail', reason: '2 missing' }] });
    const page = render(runFixture([expectedFail, unexpected], { schemaErrors: ['results[1].ops.ok: Too small: expected number to be >=0'] }));
    expect(page).toContain('What went wrong');
    expect(page).toContain('results.json did not match its own schema when the bench wrote it (the run exited 1): results[1].ops.ok: Too small');
    expect(page).toContain('cdc × projection failed: fail converged: 2 missing');
    expect(page).not.toContain('naive × projection failed');
  });
});
