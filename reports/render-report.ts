// converge report: results.json → one self-contained index.html. A pure function of the results
// and the inlined assets: what went wrong (if anything), the verdict matrix, the fault matrix (when
// some pair had faults or was skipped), the pipeline targets (a `--suite pipeline` run, which has
// no pairs and so no verdict matrix), then per scenario a comparison table and its charts (the
// faults listed above them), then the run's context. The chart data is embedded as JSON; a
// Content-Security-Policy allows only the two inline scripts (by hash), so the page can make no
// request even if something tried.
import { createHash } from 'node:crypto';
import type { ResultsFile } from '../harness/results/schema.ts';
import { standing } from '../harness/results/standing.ts';
import type { ReportAssets } from './assets.ts';
import { isEmptyChart, scenarioCharts, strategyColors, type Chart, type ChartSpec } from './chart-data.ts';
import { jsonForScript } from './escape.ts';
import { html, trusted, type SafeHtml } from './html.ts';
import { pipelineStatus } from './pipeline-figures.ts';
import type { ReadResults } from './read-results.ts';
import { runLayout, type RunLayout } from './run-layout.ts';
import { comparisonTable, verdictLines } from './sections/comparison-table.ts';
import { faultLegend } from './sections/fault-legend.ts';
import { faultMatrix } from './sections/fault-matrix.ts';
import { pipelineSection } from './sections/pipeline.ts';
import { runContext } from './sections/run-context.ts';
import { problemsBanner, runProblems } from './sections/run-problems.ts';
import { configLinks } from './sections/strategy-config.ts';
import { verdictMatrix } from './sections/verdict-matrix.ts';

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** Inline script text cannot contain `</script` (it would end the element early). */
function scriptText(source: string): string {
  return source.replace(/<\/script/gi, '<\\/script');
}

function chartBox(chart: Chart): SafeHtml {
  if (isEmptyChart(chart)) return html`<div class="chart-box"><h4>${chart.title}</h4><p class="empty">No data: ${chart.empty}.</p></div>`;
  return html`<div class="chart-box"><h4>${chart.title}</h4><div class="chart" id="${chart.id}"></div>${chart.note ? html`<p class="chart-note">${chart.note}</p>` : ''}</div>`;
}

function scenarioSection(layout: RunLayout, scenario: string, index: number, colors: Map<string, string>, specs: ChartSpec[]): SafeHtml {
  const results = layout.resultsOf(scenario);
  const info = layout.info(scenario);
  const charts = scenarioCharts(`c${index}`, results, colors);
  specs.push(...charts.filter((chart): chart is ChartSpec => !isEmptyChart(chart)));
  return html`<section class="scenario" id="${layout.anchor(scenario)}">
    <h2>Scenario ${scenario}</h2>
    ${info ? html`<p>${info.description}</p>` : ''}
    ${results.length === 0
      ? html`<p class="problem">No strategy ran this scenario.</p>`
      : html`<div class="scenario-body"><div class="figures">${comparisonTable(results)}${configLinks(layout, scenario)}</div><div class="charts">${faultLegend(results, colors)}${charts.map(chartBox)}</div></div>${verdictLines(results)}`}
  </section>`;
}

/** The line under the title: how many pairs pass of those that ran, fail as expected, were skipped; for a pipeline run, how many goals the medians met. */
export function runStatus(file: Pick<ResultsFile, 'results' | 'interrupted' | 'pipeline'>): string {
  const kinds = file.results.map((r) => standing(r).kind);
  const passed = file.results.filter((r) => r.verdict === 'pass').length;
  const expectedFailures = kinds.filter((kind) => kind === 'expected-fail').length;
  const skipped = kinds.filter((kind) => kind === 'skipped').length;
  const pairs = [
    `${passed} of ${file.results.length - skipped} pairs pass`,
    expectedFailures > 0 ? `, ${expectedFailures} fail as expected` : '',
    skipped > 0 ? `, ${skipped} skipped (not run)` : '',
  ].join('');
  // a pipeline run has no pairs: "0 of 0 pairs pass" would be its headline
  const parts = [file.pipeline === undefined || file.results.length > 0 ? pairs : null, file.pipeline ? pipelineStatus(file.pipeline) : null];
  return `${parts.filter((part) => part !== null).join(' · ')}${file.interrupted ? ' — interrupted, partial' : ''}`;
}

export function renderReport({ file, invalid }: ReadResults, assets: ReportAssets): string {
  const layout = runLayout(file);
  const colors = strategyColors(layout.strategies);
  const problems = runProblems(file, layout, invalid);
  const specs: ChartSpec[] = [];
  const sections = layout.scenarios.map((scenario, i) => scenarioSection(layout, scenario, i, colors, specs));
  const status = runStatus(file);
  const faults = faultMatrix(layout);
  const pipeline = pipelineSection(file.pipeline);
  // a pipeline run (no pairs, a pipeline block) has no verdicts to show: its targets are its verdicts
  const pairsShown = file.results.length > 0 || file.pipeline === undefined;
  const shape = pairsShown ? ` · ${layout.strategies.length} strategies × ${layout.scenarios.length} scenarios` : '';
  const chartLibrary = scriptText(assets.chartLibrary);
  const pageScript = scriptText(assets.pageScript);
  const csp = `default-src 'none'; script-src ${sha256(chartLibrary)} ${sha256(pageScript)}; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'`;

  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>converge run ${file.runId}</title>
<style>${trusted(assets.chartLibraryCss)}
${trusted(assets.pageCss)}</style>
</head>
<body>
<header>
  <h1>converge run ${file.runId}</h1>
  <p class="subtitle">${status}${shape} · started ${file.startedAt} · ${file.provider} services</p>
  <nav class="toc">${pairsShown ? html`<a href="#verdicts">verdicts</a>` : ''}${faults.markup ? html`<a href="#fault-matrix">fault matrix</a>` : ''}${pipeline.markup ? html`<a href="#pipeline">pipeline targets</a>` : ''}${layout.scenarios.map((s) => html`<a href="#${layout.anchor(s)}">${s}</a>`)}<a href="#context">context</a></nav>
</header>
${problemsBanner(problems)}
${pairsShown ? html`<section id="verdicts"><h2>Verdicts</h2>${verdictMatrix(layout)}</section>` : ''}
${faults}
${pipeline}
${sections}
<section id="context"><h2>Run context</h2>${runContext(file, layout)}</section>
<script type="application/json" id="report-data">${trusted(jsonForScript({ charts: specs }))}</script>
<script>${trusted(chartLibrary)}</script>
<script>${trusted(pageScript)}</script>
</body>
</html>
`;
  return page.markup;
}
