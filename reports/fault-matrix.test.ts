// converge report: the fault matrix — a row per scenario with faults named by its faults, a cell per
// strategy with the verdict as it stands, convergence after heal, heal times, unknown outcomes and
// the faults that went wrong, each linked to its pair's section; absent from a run without faults;
// hostile descriptions and reasons shown as text. And the fault list above a scenario's charts.
import { describe, expect, it } from 'vitest';
import type { ScenarioResult } from '../harness/results/schema.ts';
import { loadAssets } from './assets.ts';
import { faultFixture, resultFixture, runFixture, skippedResultFixture } from './fixtures.ts';
import { renderReport } from './render-report.ts';
import { runLayout } from './run-layout.ts';
import { faultMatrix, faultScenarios } from './sections/fault-matrix.ts';

const HOSTILE = '<img src=x onerror=alert(1)>';
const render = (results: ScenarioResult[]) => renderReport({ file: runFixture(results), invalid: [] }, loadAssets());
const matrixOf = (page: string) => /<section id="fault-matrix">[\s\S]*?<\/section>/.exec(page)?.[0] ?? '';
const cellOf = (markup: string, strategy: string, scenario: string) => new RegExp(`<td class="cell [^"]*" data-strategy="${strategy}" data-scenario="${scenario}"[^>]*>[\\s\\S]*?</td>`).exec(markup)?.[0] ?? '';
const converged = (afterHealMs: number | null) => ({ ...resultFixture().convergence, ...(afterHealMs === null ? { converged: false, timeMs: null } : {}), afterHealMs }) as ScenarioResult['convergence'];

const pause = faultFixture();
const quiet = [resultFixture({ strategy: 'naive', scenario: 'counter-race' }), resultFixture({ strategy: 'cdc', scenario: 'counter-race' })];
const naivePaused = resultFixture({
  strategy: 'naive',
  scenario: 'faults-search-pause',
  faults: [pause],
  ops: { attempted: 1000, ok: 990, failed: 5, unknown: 5 },
  convergence: converged(null),
  verdict: 'fail',
  expectation: { verdict: 'may-fail', reason: 'naive loses index writes while search hangs', controlGroup: true },
  lines: [{ check: 'converged', outcome: 'fail', reason: '12 missing' }],
});
const cdcPaused = resultFixture({ strategy: 'cdc', scenario: 'faults-search-pause', faults: [{ ...pause, startMs: 1600, endMs: 4100, heal: { waitedFor: 'search answering', ms: 95 } }], ops: { attempted: 1000, ok: 997, failed: 0, unknown: 3 }, convergence: converged(2300) });
const naiveSkipped = skippedResultFixture('search-restart cannot be injected on the external provider', { strategy: 'naive', scenario: 'faults-search-restart' });
const cdcNotStruck = resultFixture({
  strategy: 'cdc',
  scenario: 'faults-search-restart',
  faults: [faultFixture({ kind: 'search-restart', description: 'search-restart on search at mixed 50%', state: 'not-injected', startMs: null, endMs: null, reason: 'its phase ended at 40%', heal: undefined, writes: undefined, detail: undefined })],
  convergence: { ...resultFixture().convergence, afterHealMs: undefined } as ScenarioResult['convergence'],
  verdict: 'fail',
  lines: [{ check: 'fault[0] search-restart', outcome: 'unknown', reason: 'not injected' }],
});
const all = [...quiet, naivePaused, cdcPaused, naiveSkipped, cdcNotStruck];

describe('the fault matrix', () => {
  it('is absent from a run without faults or skipped pairs', () => {
    expect(faultScenarios(runLayout(runFixture(quiet)))).toEqual([]);
    expect(faultMatrix(runLayout(runFixture(quiet))).markup).toBe('');
    const page = render(quiet);
    expect(page).not.toContain('Fault matrix');
    expect(page).not.toContain('href="#fault-matrix"');
  });

  it('has a row per scenario with faults, named by its faults and linked to its section, and a column per strategy', () => {
    const page = render(all);
    const matrix = matrixOf(page);
    expect(page).toContain('<a href="#fault-matrix">fault matrix</a>');
    expect(faultScenarios(runLayout(runFixture(all)))).toEqual(['faults-search-pause', 'faults-search-restart']);
    expect(matrix).toContain('<thead><tr><th>faults \\ strategy</th><th scope="col">naive</th><th scope="col">cdc</th></tr></thead>');
    expect(matrix).toContain('<tr><th scope="row"><div>search-pause on search at mixed 30%</div><div class="scenario-name"><a href="#scenario-1">faults-search-pause</a></div></th>');
    expect(matrix).toContain('<div>search-restart on search at mixed 50%</div><div class="scenario-name"><a href="#scenario-2">faults-search-restart</a></div>');
    expect(matrix).not.toContain('counter-race');
    expect(matrix.match(/<td class="cell /g)).toHaveLength(4);
  });

  it('gives each cell the verdict as it stands, convergence after heal, heal times and unknown outcomes, linked to the pair', () => {
    const matrix = matrixOf(render(all));
    const naive = cellOf(matrix, 'naive', 'faults-search-pause');
    expect(naive).toContain('<td class="cell fail expected"');
    expect(naive).toContain('<a href="#scenario-1"><span class="badge fail expected">fail (expected)</span></a>');
    expect(naive).toContain('expected: naive loses index writes while search hangs');
    expect(naive).toContain('<dt>converged after heal</dt><dd class="bad" title="the stores did not converge after the last fault healed">never</dd>');
    expect(naive).toContain('<dd><span title="search-pause on search at mixed 30%: healed in 120 ms (waited for search answering)">120 ms</span></dd>');
    expect(naive).toMatch(/<dt>unknown outcomes<\/dt><dd title="[^"]*">5 \(3 in fault windows\)<\/dd>/);
    const cdc = cellOf(matrix, 'cdc', 'faults-search-pause');
    expect(cdc).toContain('<span class="badge pass">pass</span>');
    expect(cdc).toContain('<dd class="good" title="from the later of the last heal and the last acknowledged write until the stores were equal">2.3 s</dd>');
    expect(cdc).toContain('>95 ms</span>');
    expect(cdc).not.toContain('fault-problems');
  });

  it('shows a skipped pair neutral with its reason, and a fault that never struck as a problem', () => {
    const matrix = matrixOf(render(all));
    const skipped = cellOf(matrix, 'naive', 'faults-search-restart');
    expect(skipped).toContain('<td class="cell skipped" data-strategy="naive" data-scenario="faults-search-restart" title="search-restart cannot be injected on the external provider">');
    expect(skipped).toContain('<span class="badge skipped">skipped</span>');
    expect(skipped).toContain('did not run: search-restart cannot be injected on the external provider');
    const notStruck = cellOf(matrix, 'cdc', 'faults-search-restart');
    expect(notStruck).toContain('<span class="badge fail">fail</span>');
    expect(notStruck).toContain('<div class="reason">fault[0] search-restart: not injected</div>');
    expect(notStruck).toContain('<ul class="fault-problems"><li>search-restart on search at mixed 50%: not injected: its phase ended at 40%</li></ul>');
    expect(notStruck).toContain('<dd class="none" title="no fault struck: there is no heal to count from">n/a</dd>');
  });

  it('shows a pair that crashed before its faults as the failure it is, with no fault figures made up', () => {
    const crashed = resultFixture({
      strategy: 'cdc',
      scenario: 'faults-search-pause',
      faults: [],
      ops: { attempted: 0, ok: 0, failed: 0, unknown: 0 },
      convergence: { state: 'unknown', error: 'Error: setup failed' },
      verdict: 'fail',
      lines: [{ check: 'run', outcome: 'unknown', reason: 'the run crashed before it could be judged: Error: setup failed' }],
    });
    const cell = cellOf(matrixOf(render([naivePaused, crashed])), 'cdc', 'faults-search-pause');
    expect(cell).toContain('<div class="reason">run: the run crashed before it could be judged: Error: setup failed</div>');
    expect(cell).toContain('<dd class="none" title="no fault recorded for this pair">none</dd>');
    expect(cell).toContain('<dt>heal</dt><dd><span class="none">none</span></dd>');
  });

  it('shows hostile descriptions, reasons, errors and heal targets as text', () => {
    const hostileFault = faultFixture({ description: HOSTILE, errors: [HOSTILE], heal: { waitedFor: HOSTILE, ms: 10 }, detail: HOSTILE });
    const results = [
      resultFixture({ strategy: 'naive', scenario: 'faults-x', faults: [hostileFault] }),
      skippedResultFixture(HOSTILE, { strategy: 'cdc', scenario: 'faults-x' }),
    ];
    const page = render(results);
    const own = page.replace(/<script>[\s\S]*?<\/script>/g, '').replace(/<style>[\s\S]*?<\/style>/, '');
    expect(own).not.toContain('<img');
    const matrix = matrixOf(page);
    expect(matrix).toContain('<div>&lt;img src=x onerror=alert(1)&gt;</div>');
    expect(matrix).toContain('<li>&lt;img src=x onerror=alert(1)&gt;: healing met errors: &lt;img src=x onerror=alert(1)&gt;</li>');
    expect(matrix).toContain('title="&lt;img src=x onerror=alert(1)&gt;"');
    expect(page).toContain('cdc × faults-x was skipped (it did not run): &lt;img src=x onerror=alert(1)&gt;');
  });
});

describe('the fault list above a scenario’s charts', () => {
  it("lists each fault of the pairs that ran: description, window, state, heal, what was done, its window's writes, errors", () => {
    const page = render(all);
    const section = /<section class="scenario" id="scenario-1">[\s\S]*?<\/section>/.exec(page)![0];
    expect(section).toContain("<h4>Faults (times from the workload's start; those that struck are shaded on the time charts)</h4>");
    expect(section).toContain('<b>search-pause on search at mixed 30%</b> (naive): 1.5 s – 4 s · injected · healed in 120 ms (waited for search answering) · SIGSTOP opensearch (pid 1234) · writes in its window: ok 250, failed 0, unknown 3</li>');
    expect(section).toContain('<b>search-pause on search at mixed 30%</b> (cdc): 1.6 s – 4.1 s · injected · healed in 95 ms');
    const restart = /<section class="scenario" id="scenario-2">[\s\S]*?<\/section>/.exec(page)![0];
    // the skipped pair's fault never ran: its section says why, the list names only cdc's fault
    expect(restart).toContain('<li class="problem"><span class="swatch"');
    expect(restart).toContain('<b>search-restart on search at mixed 50%</b> (cdc): never struck · not-injected<div class="fault-problem">not injected: its phase ended at 40%</div></li>');
    expect(restart).not.toContain('(naive): never struck');
    expect(render(quiet)).not.toContain('<div class="faults">');
  });
});

describe("the comparison table's fault rows", () => {
  const row = (page: string, label: string) => new RegExp(`<th scope="row">${label}</th>((?:<td [^>]*>[^<]*</td>)+)</tr>`).exec(page)?.[1];

  it('say per pair how many faults struck, the heal times, convergence after heal and unknown outcomes in the windows', () => {
    const page = render([naivePaused, cdcPaused]);
    expect(row(page, 'faults injected')).toBe('<td class="fig good" title="search-pause on search at mixed 30%: injected">1/1</td><td class="fig good" title="search-pause on search at mixed 30%: injected">1/1</td>');
    expect(row(page, 'heal')).toMatch(/^<td class="fig value" title="[^"]*">120 ms<\/td><td class="fig value" title="[^"]*">95 ms<\/td>$/);
    expect(row(page, 'converged after heal')).toMatch(/^<td class="fig bad" [^>]*>never<\/td><td class="fig good" [^>]*>2.3 s<\/td>$/);
    expect(row(page, 'unknown outcomes in fault windows')).toMatch(/^<td class="fig value" [^>]*>3<\/td><td class="fig value" [^>]*>3<\/td>$/);
    expect(row(page, 'faults')).toBeUndefined();
    expect(page).not.toContain('<th scope="row">fault windows</th>');
  });

  it('shrink to one "none" row for a scenario without faults', () => {
    const page = render(quiet);
    expect(row(page, 'faults')).toBe('<td class="fig none" title="the scenario has no faults">none</td><td class="fig none" title="the scenario has no faults">none</td>');
    expect(row(page, 'faults injected')).toBeUndefined();
  });
});
