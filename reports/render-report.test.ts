// converge report: the rendered page — hostile names stay text, one matrix cell per strategy ×
// scenario, what failed said plainly, unknown figures never shown as 0, inline scripts allowed by
// their CSP hashes, and a 100,000-operation run rendered small and fast.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadAssets } from './assets.ts';
import type { ChartSpec } from './chart-data.ts';
import { cdcConfigFixture, faultFixture, legacyCdcStatsFixture, resultFixture, runFixture, seriesFixture } from './fixtures.ts';
import { escapeHtml } from './escape.ts';
import { CELL_TEXT_LIMIT } from './format.ts';
import { renderReport } from './render-report.ts';

const HOSTILE = '<img src=x onerror=alert(1)>';
const render = (file: ReturnType<typeof runFixture>, invalid: string[] = []) => renderReport({ file, invalid }, loadAssets());
/** The page without its inlined assets: what the report itself wrote. */
const written = (page: string) => page.replace(/<script>[\s\S]*?<\/script>/g, '<script></script>').replace(/<style>[\s\S]*?<\/style>/, '<style></style>');
const embedded = (page: string) => JSON.parse(/<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(page)![1]!) as { charts: ChartSpec[] };
const cells = (page: string) => page.match(/<td class="cell /g) ?? [];

describe('renderReport', () => {
  it('shows hostile strings from scenarios, results and errors as text only', () => {
    const result = resultFixture({
      scenario: HOSTILE,
      strategy: `"><script>alert(2)</script>`,
      stats: { note: HOSTILE },
      lines: [{ check: HOSTILE, outcome: 'fail', reason: HOSTILE }],
      verdict: 'fail',
      convergence: { state: 'unknown', error: HOSTILE },
      faults: [faultFixture({ kind: HOSTILE, description: HOSTILE, detail: HOSTILE, heal: { waitedFor: HOSTILE, ms: 12 }, errors: [HOSTILE], startMs: 0, endMs: 10 })],
    });
    const file = runFixture([result], { runId: HOSTILE, engines: { search: HOSTILE } });
    file.context!.scenarios[0]!.text = `name: x\ndescription: ${HOSTILE}</pre></details>`;
    const page = render(file, [HOSTILE]);
    const own = written(page);
    expect(own).not.toContain('<img');
    expect(own).not.toContain('<script>alert');
    expect(own).toContain('&lt;/pre&gt;&lt;/details&gt;');
    expect(own).toContain('&lt;img src=x onerror=alert(1)&gt;');
    // the fault label travels in the chart data: escaped for the script element, intact once parsed
    expect(page).not.toMatch(/"label":"<img/);
    expect(own).toContain('<b>&lt;img src=x onerror=alert(1)&gt;</b> (&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;): 0 ms – 10 ms · injected · healed in 12 ms (waited for &lt;img src=x onerror=alert(1)&gt;)');
    expect(embedded(page).charts[0]!.bands[0]!.label).toBe(HOSTILE);
  });

  it('draws one matrix cell per strategy × scenario, a pair that did not run as not run', () => {
    const results = [
      resultFixture({ strategy: 'naive', scenario: 'counter-race' }),
      resultFixture({ strategy: 'cdc', scenario: 'counter-race' }),
      resultFixture({ strategy: 'naive', scenario: 'mixed-crud' }),
    ];
    const page = render(runFixture(results, { interrupted: true, finishedAt: null }));
    expect(cells(page)).toHaveLength(4);
    expect(page.match(/<td class="cell not-run"/g)).toHaveLength(1);
    expect(page).toContain('This run was interrupted before it finished: the figures are partial (3 of 4 strategy × scenario pairs ran).');
    expect(page).toContain('The run did not record when it finished.');
  });

  it('says plainly which pair failed, which check crashed, and which entry could not be read', () => {
    const failed = resultFixture({
      verdict: 'fail',
      lines: [
        { check: 'converged', outcome: 'fail', reason: '3 rows missing from the index' },
        { check: 'anomalies.dirtyReads', outcome: 'pass', reason: '0 seen' },
      ],
      anomalies: { state: 'unknown', error: 'history truncated' },
    });
    const page = render(runFixture([failed]), ['results[1] (cdc × counter-race) does not match the schema: latencyMs missing']);
    expect(page).toContain('What went wrong');
    expect(page).toContain('naive × counter-race failed: fail converged: 3 rows missing from the index');
    expect(page).toContain('naive × counter-race: anomaly check crashed: history truncated');
    expect(page).toContain('results[1] (cdc × counter-race) does not match the schema');
    expect(page).toMatch(/<div class="reason">converged: 3 rows missing from the index<\/div>/);
    expect(render(runFixture([resultFixture()]))).not.toContain('What went wrong');
    const logged = render(runFixture([{ ...failed, log: 'worker-naive-counter-race.log' }]));
    expect(logged).toContain('naive × counter-race failed: fail converged: 3 rows missing from the index (worker log: worker-naive-counter-race.log)');
  });

  it('shows unmeasured and crashed figures in words, never as 0', () => {
    const result = resultFixture({
      lagMs: { state: 'none', samples: 0, reason: 'no write was sampled' },
      convergence: { state: 'unknown', error: 'socket hang up' },
      perOpCost: { state: 'skipped', reason: 'not requested' },
    });
    const page = render(runFixture([result]));
    const row = (label: string) => new RegExp(`<th scope="row">${label}</th><td class="fig ([a-z]+)"[^>]*>([^<]*)</td>`).exec(page)?.slice(1);
    expect(row('time to convergence')).toEqual(['unknown', 'unknown']);
    expect(row('missing')).toEqual(['unknown', 'unknown']);
    expect(row('mean')).toEqual(['skipped', 'skipped']);
    expect(page).toContain('<td class="fig none" title="no write was sampled">none</td>');
    expect(page).toContain('convergence unknown (the check crashed)');
  });

  it('keeps the comparison table to figures: a long stat string is cut in its cell, whole only in the tooltip', () => {
    const stats = legacyCdcStatsFixture();
    const page = render(runFixture([resultFixture(), resultFixture({ strategy: 'cdc', stats })]));
    const table = /<table class="compare">[\s\S]*?<\/table>/.exec(page)![0];
    const cellTexts = [...table.matchAll(/<td [^>]*>([^<]*)<\/td>/g)].map((m) => m[1]!.replace(/&[a-z#0-9]+;/g, '&'));
    expect(cellTexts.length).toBeGreaterThan(40);
    for (const text of cellTexts) expect(Array.from(text).length, text).toBeLessThanOrEqual(CELL_TEXT_LIMIT);
    const sourceConfig = String(stats.sourceConfig);
    expect(sourceConfig.length).toBeGreaterThan(500);
    const cut = `${sourceConfig.slice(0, CELL_TEXT_LIMIT - 1)}…`;
    expect(table).toContain(`<th scope="row">sourceConfig</th><td class="fig none">not reported</td><td class="fig value prose" title="${escapeHtml(sourceConfig)}">${escapeHtml(cut)}</td>`);
  });

  it("shows each strategy's configuration in the run context, collapsed, as key/value tables, escaped, linked from the table", () => {
    const config = { ...cdcConfigFixture(), [HOSTILE]: { note: HOSTILE, list: [HOSTILE, 1, true, null] } };
    const page = render(runFixture([resultFixture(), resultFixture({ strategy: 'cdc', config })]));
    const own = written(page);
    expect(own).not.toContain('<img');
    const context = own.slice(own.indexOf('<section id="context">'));
    expect(context).toContain('<details class="config" id="scenario-0-config-1"><summary>cdc</summary><table class="config">');
    expect(context).not.toMatch(/<details class="config"[^>]* open/);
    expect(context).toContain('<tr><th scope="row">database.hostname</th><td>127.0.0.1</td></tr>');
    expect(context).toContain('<tr><th scope="row">sourceConfigChanges</th><td><ol class="config"><li>database.history.kafka.bootstrap.servers → schema.history.internal.kafka.bootstrap.servers</li>');
    expect(context).toContain('<tr><th scope="row">transforms</th><td><ol class="config"><li><table class="config"><tbody><tr><th scope="row">alias</th><td>extractKey</td></tr>');
    expect(context).toContain('<th scope="row">&lt;img src=x onerror=alert(1)&gt;</th><td><table class="config"><tbody><tr><th scope="row">note</th><td>&lt;img src=x onerror=alert(1)&gt;</td></tr>');
    expect(context).toContain('<li>&lt;img src=x onerror=alert(1)&gt;</li><li>1</li><li>true</li><li><span class="none">null</span></li>');
    // naive reports no configuration: no block for it, and the table links to cdc's alone
    expect(context.match(/<details class="config"/g)).toHaveLength(1);
    expect(own).toContain('<p class="config-links">Configuration as used, in the run context: <a href="#scenario-0-config-1">cdc</a></p>');
    expect(written(render(runFixture([resultFixture()])))).not.toContain('config-links');
  });

  it('allows exactly its two inline scripts by hash and nothing from elsewhere', () => {
    const page = render(runFixture([resultFixture()]));
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(page)![1]!.replaceAll('&#39;', "'");
    const scripts = [...page.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => `'sha256-${createHash('sha256').update(m[1]!).digest('base64')}'`);
    expect(scripts).toHaveLength(2);
    expect(csp).toBe(`default-src 'none'; script-src ${scripts.join(' ')}; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'`);
    expect(page).not.toMatch(/(src|href)="(https?:)?\/\//);
  });

  it('renders a 100,000-operation run with three strategies in well under a second and a megabyte', () => {
    const results = ['naive', 'cdc', 'saga'].map((strategy) => resultFixture({ strategy, scenario: 'seed-bulk', series: seriesFixture(100_000, 50, 10) }));
    const started = performance.now();
    const page = render(runFixture(results));
    expect(performance.now() - started).toBeLessThan(2000);
    expect(Buffer.byteLength(page)).toBeLessThan(1_500_000);
    for (const chart of embedded(page).charts) expect(chart.x.length).toBeLessThanOrEqual(3 * 2000);
  });
});
