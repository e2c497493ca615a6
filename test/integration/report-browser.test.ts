// The HTML report in a real browser: a small real run (naive through two scenarios on the real
// services, one renamed to a hostile name) rendered by `npm run report`, opened from disk in
// Debian's chromium — no console error, no request but the page itself, no dialog or injected
// element, one matrix cell per strategy × scenario, every chart drawn with its data; and the same
// run marked interrupted, with a crashed check, a pair missing and a fault window, still renders,
// says so, and shades the fault on the time charts; a fault run with a skipped pair shows the fault
// matrix, the fault list and the shading, hostile descriptions as text; and with cdc's long configs
// and stats beside it, every strategy's column fits on a 1,400 px screen while the configs sit,
// collapsed, in the run context.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { REPO_ROOT } from '../../harness/env/state.ts';
import { resultsFileSchema, type ResultsFile } from '../../harness/results/schema.ts';
import { runStrategy } from '../../harness/run/run-strategy.ts';
import { loadScenario } from '../../harness/scenario/load.ts';
import { cdcConfigFixture, cdcStatsFixture, faultFixture, legacyCdcStatsFixture, skippedResultFixture } from '../../reports/fixtures.ts';
import { launchChromium, type Browser } from './chromium.ts';

const HOSTILE = '<img src=x onerror=alert(1)>';
/** Faint pixels that make a shaded band (a band covers tens of thousands; line edges, under a hundred). */
const BAND_PIXELS = 1000;
const endpoints = inject('endpoints');
const workDir = mkdtempSync(path.join(os.tmpdir(), 'converge-report-'));

/** A real run of naive through small counter-race and duplicate-keys, the latter renamed to HOSTILE. */
async function realRun(runDir: string): Promise<ResultsFile> {
  const planned: { file: string; params: Record<string, string> }[] = [
    { file: 'counter-race', params: { increments: '150' } },
    { file: 'duplicate-keys', params: { keys: '40', ops: '160' } },
  ];
  const startedAt = new Date();
  const results = [];
  const scenarios = [];
  for (const { file, params } of planned) {
    const scenarioFile = path.join(REPO_ROOT, 'scenarios', `${file}.yaml`);
    const scenario = await loadScenario(scenarioFile, params);
    const { result } = await runStrategy({ strategy: 'naive', scenario, seed: 3, endpoints, runId: 'report-browser', runDir, signal: new AbortController().signal, log: () => {}, skipPerOpCost: true });
    results.push(result);
    scenarios.push({ name: scenario.name, file: `scenarios/${file}.yaml`, description: scenario.description, params: scenario.params, text: readFileSync(scenarioFile, 'utf8') });
  }
  const hostile = (name: string) => (name === 'duplicate-keys' ? HOSTILE : name);
  return resultsFileSchema.parse({
    schemaVersion: 1,
    runId: 'report-browser',
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    provider: endpoints.provider,
    engines: { mysql: `${endpoints.mysql.flavor} ${endpoints.mysql.version}`, search: `${endpoints.search.engine} ${endpoints.search.version}` },
    interrupted: false,
    paramOverrides: {},
    results: results.map((r) => ({ ...r, scenario: hostile(r.scenario), stats: { ...r.stats, note: HOSTILE } })),
    context: {
      machine: { cores: os.cpus().length, memoryBytes: os.totalmem(), platform: os.platform(), node: process.version },
      converge: { version: '0.1.0', commit: null },
      durationMs: Date.now() - startedAt.getTime(),
      scenarios: scenarios.map((s) => ({ ...s, name: hostile(s.name), text: `${s.text}\n# ${HOSTILE}</pre>\n` })),
    },
  });
}

/** `npm run report -- RUN_DIR`, as a user runs it; returns the page's path from its last line. */
function report(runDir: string): string {
  const out = spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'reports', 'cli.ts'), runDir], { cwd: REPO_ROOT, encoding: 'utf8' });
  expect(out.stderr).toBe('');
  expect(out.status).toBe(0);
  const last = out.stdout.trim().split('\n').at(-1)!;
  expect(last).toBe(`report: ${path.join(runDir, 'index.html')}`);
  return last.slice('report: '.length);
}

interface Visit {
  requests: string[];
  consoleErrors: string[];
  dialogs: string[];
  page: Awaited<ReturnType<Browser['context']['newPage']>>;
}

async function visit(browser: Browser, file: string, viewport?: { width: number; height: number }): Promise<Visit> {
  const visit: Visit = { requests: [], consoleErrors: [], dialogs: [], page: await browser.context.newPage() };
  const { page } = visit;
  if (viewport) await page.setViewportSize(viewport);
  page.on('request', (request) => visit.requests.push(request.url()));
  page.on('console', (message) => {
    if (message.type() === 'error') visit.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => visit.consoleErrors.push(error.message));
  page.on('dialog', (dialog) => {
    visit.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(pathToFileURL(file).href);
  await page.waitForSelector('body[data-charts-drawn]', { timeout: 20_000 });
  return visit;
}

/** The little of the DOM the pixel count uses (the test program is typed for Node, not the DOM). */
interface PageCanvas {
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
}
interface PageDocument {
  getElementById(id: string): { textContent: string | null; querySelector(selector: 'canvas'): PageCanvas | null } | null;
}

/**
 * Per chart: its id, how many canvas pixels carry one of its series' colours (data, not axes or
 * grid), and how many carry it faintly — thousands where a fault band is shaded, a few dozen from
 * anti-aliased line edges otherwise.
 */
function drawnPixels(v: Visit) {
  return v.page.evaluate(() => {
    const document = (globalThis as unknown as { document: PageDocument }).document;
    const data = JSON.parse(document.getElementById('report-data')!.textContent!) as { charts: { id: string; series: { color: string }[] }[] };
    const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
    return data.charts.map((chart) => {
      const canvas = document.getElementById(chart.id)?.querySelector('canvas');
      if (!canvas) return { id: chart.id, pixels: -1, bandPixels: -1 };
      const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      const colors = chart.series.map((s) => rgb(s.color));
      let count = 0;
      let band = 0;
      for (let i = 0; i < pixels.length; i += 4) {
        const alpha = pixels[i + 3]!;
        if (!colors.some(([r, g, b]) => Math.abs(pixels[i]! - r!) + Math.abs(pixels[i + 1]! - g!) + Math.abs(pixels[i + 2]! - b!) < 60)) continue;
        if (alpha >= 200) count++;
        else if (alpha >= 30 && alpha <= 45) band++; // the strategy's colour, faint: a fault band (or a line's anti-aliased edge)
      }
      return { id: chart.id, pixels: count, bandPixels: band };
    });
  });
}

/** The little of the DOM the layout check uses. */
interface Box {
  left: number;
  right: number;
}
interface PageElement {
  textContent: string | null;
  scrollWidth: number;
  clientWidth: number;
  getBoundingClientRect(): Box;
  closest(selector: string): PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
}

/**
 * Per comparison table: its strategy headers, and every header or cell that reaches outside the
 * visible part of its column (its scrolling container, clipped to the viewport); and whether the
 * page itself or any table's column scrolls sideways.
 */
function horizontalFit(v: Visit) {
  return v.page.evaluate(() => {
    const document = (globalThis as unknown as { document: PageElement & { documentElement: PageElement } }).document;
    const root = document.documentElement;
    const tables = Array.from(document.querySelectorAll('table.compare')).map((table) => {
      const column = table.closest('.figures')!;
      const visible = { left: Math.max(0, column.getBoundingClientRect().left), right: Math.min(root.clientWidth, column.getBoundingClientRect().right) };
      const outside = Array.from(table.querySelectorAll('th, td'))
        .filter((cell) => cell.getBoundingClientRect().left < visible.left - 1 || cell.getBoundingClientRect().right > visible.right + 1)
        .map((cell) => `${(cell.textContent ?? '').slice(0, 40)} [${Math.round(cell.getBoundingClientRect().left)}, ${Math.round(cell.getBoundingClientRect().right)}] outside [${Math.round(visible.left)}, ${Math.round(visible.right)}]`);
      return {
        strategies: Array.from(table.querySelectorAll('thead th[scope=col]')).map((th) => th.textContent),
        outside,
        columnScrolls: column.scrollWidth > column.clientWidth,
      };
    });
    return { tables, pageScrolls: root.scrollWidth > root.clientWidth };
  });
}

describe('the HTML report in chromium', () => {
  let browser: Browser;
  let run: ResultsFile;
  const runDir = path.join(workDir, 'run');

  beforeAll(async () => {
    mkdirSync(runDir);
    run = await realRun(runDir);
    writeFileSync(path.join(runDir, 'results.json'), JSON.stringify(run));
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.[Symbol.asyncDispose]();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('opens from disk with no console error, no request but the page, and every chart drawn', async () => {
    const file = report(runDir);
    const v = await visit(browser, file);
    expect(v.consoleErrors).toEqual([]);
    expect(v.requests).toEqual([pathToFileURL(file).href]);
    expect(v.dialogs).toEqual([]);

    const charts = await drawnPixels(v);
    expect(charts.length).toBeGreaterThanOrEqual(2 * 4);
    expect(await v.page.locator('.chart').count()).toBe(charts.length);
    expect(await v.page.getAttribute('body', 'data-charts-drawn')).toBe(String(charts.length));
    for (const chart of charts) expect(chart.pixels, `chart ${chart.id} draws its data`).toBeGreaterThan(0);
    expect(charts.filter((chart) => chart.bandPixels > BAND_PIXELS)).toEqual([]);
  });

  it('shows one matrix cell per strategy × scenario and the hostile name as text, injecting nothing', async () => {
    const v = await visit(browser, path.join(runDir, 'index.html'));
    const strategies = new Set(run.results.map((r) => r.strategy));
    const scenarios = new Set(run.results.map((r) => r.scenario));
    expect(await v.page.locator('#verdicts table.matrix td.cell').count()).toBe(strategies.size * scenarios.size);
    expect(await v.page.locator('#verdicts table.matrix td.cell.not-run').count()).toBe(0);
    expect(await v.page.locator('#verdicts table.matrix thead th').allTextContents()).toContain(HOSTILE);
    expect(await v.page.locator('section.scenario h2').allTextContents()).toContain(`Scenario ${HOSTILE}`);
    expect(await v.page.locator('img').count()).toBe(0);
    expect(await v.page.locator('script').count()).toBe(3);
    expect(v.dialogs).toEqual([]);
    expect(v.consoleErrors).toEqual([]);
  });

  it('renders an interrupted run with a crashed check, a pair missing and a fault window: says what failed, shades the fault', async () => {
    const partialDir = path.join(workDir, 'partial');
    mkdirSync(partialDir);
    const [first] = run.results;
    // a fault from the start until after the last comparison: it overlaps every time chart's range
    // (the divergence chart spans only the comparisons, which come after the workload)
    const faultEndMs = Math.max(600, ...(first!.series?.divergence.map((d) => d.atMs + 100) ?? []));
    const partial: ResultsFile = {
      ...run,
      interrupted: true,
      finishedAt: null,
      results: [
        { ...first!, strategy: 'crashed', verdict: 'fail', convergence: { state: 'unknown', error: `socket hang up ${HOSTILE}` }, series: undefined },
        { ...first!, faults: [faultFixture({ startMs: 0, endMs: faultEndMs })] },
        ...run.results.slice(1),
      ],
    };
    writeFileSync(path.join(partialDir, 'results.json'), JSON.stringify(partial));
    const v = await visit(browser, report(partialDir));
    expect(v.consoleErrors).toEqual([]);
    expect(v.requests).toHaveLength(1);
    const problems = await v.page.locator('#problems li').allTextContents();
    expect(problems[0]).toMatch(/^This run was interrupted before it finished: the figures are partial \(3 of 4 strategy × scenario pairs ran\)\./);
    expect(problems).toContain(`crashed × counter-race: convergence check crashed: socket hang up ${HOSTILE}`);
    expect(await v.page.locator('#verdicts table.matrix td.cell').count()).toBe(4);
    expect(await v.page.locator('#verdicts table.matrix td.cell.not-run').count()).toBe(1);
    expect(await v.page.locator('img').count()).toBe(0);
    const charts = await drawnPixels(v);
    for (const chart of charts) expect(chart.pixels, `chart ${chart.id} draws its data`).toBeGreaterThan(0);
    // the fault window of naive × counter-race is shaded on its time charts, not on the CDF
    const shaded = charts.filter((chart) => chart.bandPixels > BAND_PIXELS).map((chart) => chart.id);
    expect(shaded).toEqual(['c0-throughput', 'c0-latency', 'c0-lag', 'c0-divergence'].filter((id) => charts.some((chart) => chart.id === id)));
    expect(shaded.length).toBeGreaterThanOrEqual(3);
  });

  it('renders a fault run: the fault matrix with a skipped pair beside one that ran, the faults listed above the charts and shaded, hostile descriptions as text', async () => {
    const faultDir = path.join(workDir, 'faults');
    mkdirSync(faultDir);
    const [first] = run.results;
    const faultEndMs = Math.max(600, ...(first!.series?.divergence.map((d) => d.atMs + 100) ?? []));
    const convergence = first!.convergence.state === 'checked' ? { ...first!.convergence, afterHealMs: 40 } : first!.convergence;
    const faulted: ResultsFile = {
      ...run,
      results: [
        { ...first!, faults: [faultFixture({ description: HOSTILE, startMs: 0, endMs: faultEndMs, errors: [HOSTILE] })], convergence },
        skippedResultFixture(`cannot inject ${HOSTILE}`, { strategy: 'cdc', scenario: first!.scenario, seed: first!.seed }),
        ...run.results.slice(1),
      ],
    };
    writeFileSync(path.join(faultDir, 'results.json'), JSON.stringify(resultsFileSchema.parse(faulted)));
    const v = await visit(browser, report(faultDir));
    expect(v.consoleErrors).toEqual([]);
    expect(v.requests).toHaveLength(1);
    expect(v.dialogs).toEqual([]);
    expect(await v.page.locator('img').count()).toBe(0);
    // one fault row (the faulted scenario), a cell per strategy; the skipped one neutral with its reason on hover
    expect(await v.page.locator('#fault-matrix tbody tr').count()).toBe(1);
    expect(await v.page.locator('#fault-matrix tbody th[scope=row] div').first().textContent()).toBe(HOSTILE);
    expect(await v.page.locator('#fault-matrix td.cell').count()).toBe(2);
    const skipped = v.page.locator('#fault-matrix td.cell.skipped');
    expect(await skipped.getAttribute('title')).toBe(`cannot inject ${HOSTILE}`);
    expect(await skipped.locator('.badge').textContent()).toBe('skipped');
    expect(await v.page.locator('#verdicts table.matrix td.cell.skipped').count()).toBe(1);
    expect(await v.page.locator('#fault-matrix td.cell.pass, #fault-matrix td.cell.fail').locator('ul.fault-problems li').allTextContents()).toEqual([`${HOSTILE}: healing met errors: ${HOSTILE}`]);
    expect(await v.page.locator('#problems li').allTextContents()).toContain(`cdc × counter-race was skipped (it did not run): cannot inject ${HOSTILE}`);
    expect(await v.page.locator('.subtitle').textContent()).toMatch(/ 1 skipped \(not run\) /);
    // the fault is listed above its scenario's charts and shaded on its time charts
    expect(await v.page.locator('#scenario-0 div.faults li b').allTextContents()).toEqual([HOSTILE]);
    const shaded = (await drawnPixels(v)).filter((chart) => chart.bandPixels > BAND_PIXELS).map((chart) => chart.id);
    expect(shaded.filter((id) => id.startsWith('c0-'))).not.toContain('c0-lag-cdf');
    expect(shaded.filter((id) => id.startsWith('c0-')).length).toBeGreaterThanOrEqual(3);
    expect(shaded.filter((id) => !id.startsWith('c0-'))).toEqual([]);
  });

  it("fits every strategy's column at 1,400 px beside cdc's long stats, and shows its configs collapsed in the run context", async () => {
    const wideDir = path.join(workDir, 'wide');
    mkdirSync(wideDir);
    const config = { ...cdcConfigFixture(), note: HOSTILE };
    // Beside each real naive result: cdc's stats as results.json held them before configs left
    // them (one string ~1,300 characters long), and a second cdc-like column with figures only.
    const wide: ResultsFile = {
      ...run,
      results: run.results.flatMap((r) => [r, { ...r, strategy: 'cdc', stats: legacyCdcStatsFixture(), config }, { ...r, strategy: 'cdc-figures-only', stats: cdcStatsFixture(), config }]),
    };
    writeFileSync(path.join(wideDir, 'results.json'), JSON.stringify(wide));
    const v = await visit(browser, report(wideDir), { width: 1400, height: 900 });
    expect(v.consoleErrors).toEqual([]);
    expect(v.dialogs).toEqual([]);
    expect(await v.page.locator('img').count()).toBe(0);

    const fit = await horizontalFit(v);
    expect(fit.tables).toHaveLength(2);
    for (const table of fit.tables) {
      expect(table.strategies).toEqual(['naive', 'cdc', 'cdc-figures-only']);
      expect(table.outside).toEqual([]);
      expect(table.columnScrolls).toBe(false);
    }
    expect(fit.pageScrolls).toBe(false);
    // a cut cell says the rest on hover
    const tooltips = await v.page.locator('table.compare td.prose[title]').evaluateAll((cells) => cells.map((cell) => (cell as unknown as { title: string }).title));
    expect(tooltips).toContain(legacyCdcStatsFixture().sourceConfig);

    // the configs: one collapsed block per cdc-like pair, readable once opened, still no sideways scroll
    const blocks = v.page.locator('#context details.config');
    expect(await blocks.count()).toBe(2 * 2);
    for (let i = 0; i < 4; i++) expect(await blocks.nth(i).getAttribute('open')).toBeNull();
    expect(await v.page.locator('#context table.config').first().isVisible()).toBe(false);
    await v.page.locator('#context details.config summary').first().click();
    expect(await v.page.locator('#context details.config').first().locator('th', { hasText: 'sourceConfigChanges' }).isVisible()).toBe(true);
    await v.page.locator('#context details.config summary').nth(1).click();
    expect((await horizontalFit(v)).pageScrolls).toBe(false);
    expect(await v.page.locator('img').count()).toBe(0);
  });
});
