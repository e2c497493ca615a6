// converge report: a pair skipped because its provider cannot inject a fault of the scenario is
// neither a pass nor a failure — a neutral cell with why, counted apart in the summary, listed among
// what went wrong (not as the crashed checks its empty figures would look like), its verdict row
// "skipped" and every other figure "—" with why, and its reason said in its scenario's section.
import { describe, expect, it } from 'vitest';
import { loadAssets } from './assets.ts';
import { faultFixture, resultFixture, runFixture, skippedResultFixture } from './fixtures.ts';
import { renderReport, runStatus } from './render-report.ts';
import { comparisonGroups } from './sections/comparison-table.ts';

const REASON = 'search-restart cannot be injected on the external provider (no process to kill)';
const skipped = skippedResultFixture(REASON, { strategy: 'naive', scenario: 'faults-search-restart' });
const ran = resultFixture({ strategy: 'cdc', scenario: 'faults-search-restart', faults: [faultFixture()] });
const render = (results: ReturnType<typeof resultFixture>[]) => renderReport({ file: runFixture(results), invalid: [] }, loadAssets());
const cellOf = (page: string, strategy: string, scenario: string) => new RegExp(`<td class="cell [^"]*" data-strategy="${strategy}" data-scenario="${scenario}"[^>]*>[\\s\\S]*?</td>`).exec(page)?.[0] ?? '';
const verdictsOf = (page: string) => /<section id="verdicts">[\s\S]*?<\/section>/.exec(page)![0];

describe('a skipped pair in the report', () => {
  it('has a neutral cell in the verdict matrix, its reason in the title and the cell', () => {
    const cell = cellOf(verdictsOf(render([skipped, ran])), 'naive', 'faults-search-restart');
    expect(cell).toContain(`<td class="cell skipped" data-strategy="naive" data-scenario="faults-search-restart" title="${REASON}">`);
    expect(cell).toContain('<a href="#scenario-0"><span class="badge skipped">skipped</span></a>');
    expect(cell).toContain(`<div class="reason">did not run: ${REASON}</div>`);
    expect(cell).not.toContain('convergence unknown');
  });

  it('is counted apart from passes and failures in the summary', () => {
    expect(runStatus({ results: [skipped, ran], interrupted: false })).toBe('1 of 1 pairs pass, 1 skipped (not run)');
    const expectedFail = resultFixture({ verdict: 'fail', expectation: { verdict: 'may-fail', reason: 'control group', controlGroup: true }, lines: [{ check: 'converged', outcome: 'fail', reason: '1 missing' }] });
    expect(runStatus({ results: [skipped, ran, expectedFail], interrupted: true })).toBe('1 of 2 pairs pass, 1 fail as expected, 1 skipped (not run) — interrupted, partial');
    expect(runStatus({ results: [ran], interrupted: false })).toBe('1 of 1 pairs pass');
    expect(render([skipped, ran])).toContain('<p class="subtitle">1 of 1 pairs pass, 1 skipped (not run) ·');
  });

  it('is listed among what went wrong with its reason, not as crashed checks', () => {
    const page = render([skipped, ran]);
    expect(page).toContain(`<li>naive × faults-search-restart was skipped (it did not run): ${REASON}</li>`);
    expect(page).not.toContain('check crashed');
    expect(page).not.toContain('naive × faults-search-restart failed');
  });

  it('shows "skipped" in its verdict row and "—" with why in every other row of the comparison table', () => {
    const page = render([skipped, ran]);
    const table = /<table class="compare">[\s\S]*?<\/table>/.exec(page)![0];
    expect(table).toContain(`<th scope="row">verdict</th><td class="fig skipped" title="did not run: ${REASON}">skipped</td><td class="fig good">pass</td>`);
    const rows = comparisonGroups([skipped, ran]).flatMap(([, groupRows]) => groupRows).length;
    const dashes = table.match(new RegExp(`<td class="fig skipped" title="not run: ${REASON.replace(/[()]/g, '\\$&')}">—</td>`, 'g')) ?? [];
    expect(dashes).toHaveLength(rows - 1);
    // zero operations and crashed-looking checks are how the empty result is stored, not what it shows
    expect(table).toContain(`<th scope="row">attempted</th><td class="fig skipped" title="not run: ${REASON}">—</td>`);
    expect(table).not.toContain('>unknown<');
  });

  it("says in its scenario's section that it did not run and why", () => {
    const section = /<section class="scenario"[\s\S]*?<\/section>/.exec(render([skipped, ran]))![0];
    expect(section).toContain(`<p class="skipped-pair"><b>naive: skipped</b> — it did not run: ${REASON}</p>`);
    expect(section).toContain('<summary>cdc: pass — 1 checks, seed 1</summary>');
  });
});
