// converge report: where and how the run happened — provider, engines, machine, converge version
// and commit, start and duration, raw service rates — and each scenario's params, YAML text and
// its strategies' configuration as used.
import type { ResultsFile } from '../../harness/results/schema.ts';
import { formatBytes, formatMs, formatNumber } from '../format.ts';
import { html, type SafeHtml } from '../html.ts';
import type { RunLayout } from '../run-layout.ts';
import { strategyConfigs } from './strategy-config.ts';

type Param = number | string | boolean;

const NOT_RECORDED = html`<span class="none">not recorded</span>`;

function definitionList(entries: [string, SafeHtml | string][]): SafeHtml {
  return html`<dl class="facts">${entries.map(([term, detail]) => html`<dt>${term}</dt><dd>${detail}</dd>`)}</dl>`;
}

function paramsTable(params: Record<string, Param>): SafeHtml {
  const keys = Object.keys(params);
  if (keys.length === 0) return html`<p class="none">no params</p>`;
  return html`<table class="params"><tbody>${keys.map((key) => html`<tr><th scope="row">${key}</th><td>${String(params[key])}</td></tr>`)}</tbody></table>`;
}

/** The run's duration: as measured by the bench, else from its timestamps. */
function duration(file: ResultsFile): SafeHtml | string {
  if (file.context) return formatMs(file.context.durationMs);
  if (file.finishedAt === null) return NOT_RECORDED;
  return formatMs(Date.parse(file.finishedAt) - Date.parse(file.startedAt));
}

export function runContext(file: ResultsFile, layout: RunLayout): SafeHtml {
  const ctx = file.context;
  const overrides = Object.entries(file.paramOverrides);
  const run = definitionList([
    ['run id', file.runId],
    ['started', file.startedAt],
    ['finished', file.finishedAt ?? html`<span class="bad">did not finish</span>`],
    ['duration', duration(file)],
    ['interrupted', file.interrupted ? html`<span class="bad">yes — partial results</span>` : 'no'],
    ['provider', file.provider],
    ...Object.entries(file.engines).map(([engine, version]): [string, string] => [`engine: ${engine}`, version]),
    ['converge', ctx ? `${ctx.converge.version}, commit ${ctx.converge.commit ?? 'unknown (not a git checkout)'}` : NOT_RECORDED],
    ['machine', ctx ? `${ctx.machine.cores} cores, ${formatBytes(ctx.machine.memoryBytes)} memory, ${ctx.machine.platform}, node ${ctx.machine.node}` : NOT_RECORDED],
    ['param overrides', overrides.length ? overrides.map(([k, v]) => `${k}=${v}`).join(', ') : 'none'],
    [
      'raw rates',
      file.baselines
        ? `mysql2 single-row INSERT: ${formatNumber(file.baselines.mysqlInsert.opsPerSec, 0)} /s at concurrency ${file.baselines.mysqlInsert.concurrency}; bulk indexing: ${formatNumber(file.baselines.searchBulkIndex.docsPerSec, 0)} docs/s in batches of ${file.baselines.searchBulkIndex.batchSize}`
        : NOT_RECORDED,
    ],
  ]);
  const scenarios = layout.scenarios.map((name) => {
    const info = layout.info(name);
    const used = layout.resultsOf(name)[0]?.params;
    if (!info) return html`<article class="scenario-context"><h3>${name}</h3>${used ? paramsTable(used) : ''}<p class="none">scenario text not recorded</p>${strategyConfigs(layout, name)}</article>`;
    return html`<article class="scenario-context">
      <h3>${name} <small>${info.file}</small></h3>
      <p>${info.description}</p>
      <h4>params as used</h4>${paramsTable(used ?? info.params)}
      <details><summary>scenario YAML</summary><pre>${info.text}</pre></details>
      ${strategyConfigs(layout, name)}
    </article>`;
  });
  return html`${run}${scenarios}`;
}
