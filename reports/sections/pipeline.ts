// converge report: the pipeline suite's targets (results.json's `pipeline` block) — a summary table,
// a row per target: each figure's median with its unit, the raw rate it is read against, each goal
// met or not on the medians, how many repetitions measured it, the busiest service; then per target
// its repetitions one by one (a failed one with its error), each service's CPU and memory, and why
// usage was not measured where it was not. Shown only when the run has a pipeline block.
import type { PipelineMeasurement, PipelineResult, PipelineSummary, Usage } from '../../harness/results/pipeline-schema.ts';
import { html, type SafeHtml } from '../html.ts';
import {
  busiestText,
  formatCores,
  formatMiB,
  formatPipelineFigure,
  goalJudgement,
  goalMark,
  goalSymbol,
  isRawFigure,
  mainFigureName,
  measurementsOf,
  repetitionsText,
} from '../pipeline-figures.ts';

type Measured = ReturnType<typeof measurementsOf>[number];

const NONE = (text: string) => html`<span class="none">${text}</span>`;

/** A cell, marked bad when `bad`. */
const td = (content: SafeHtml | string, bad: boolean) => (bad ? html`<td class="bad">${content}</td>` : html`<td>${content}</td>`);

/** The page's element id of a target's block (target names come from the file: not trusted as ids). */
const anchor = (index: number) => `pipeline-${index}`;

function figureList(figures: PipelineSummary['figures'], names: string[]): SafeHtml {
  return html`<ul class="pipeline-figures">${names.map((name) => html`<li><span class="figure-name">${name}</span> ${formatPipelineFigure(figures[name]!)}</li>`)}</ul>`;
}

function goalList(summary: PipelineSummary): SafeHtml {
  if (summary.goals.length === 0) return NONE('no goal');
  return html`<ul class="pipeline-goals">${summary.goals.map((goal) => {
    const mark = goalMark(goal);
    const label = mark === 'met' ? 'met' : mark === 'not-met' ? 'not met' : 'unknown';
    return html`<li class="goal ${mark}" title="${goalJudgement(goal, summary.figures)}">${goalSymbol(mark)} ${goal.text} <span class="goal-state">(${label})</span></li>`;
  })}</ul>`;
}

function summaryRow(summary: PipelineSummary, index: number, repeat: number): SafeHtml {
  const names = Object.keys(summary.figures);
  const own = names.filter((name) => !isRawFigure(name));
  const raw = names.filter(isRawFigure);
  const busiest = busiestText(summary.busiest);
  const reps = repetitionsText(summary, repeat);
  return html`<tr>
    <th scope="row"><a href="#${anchor(index)}">${summary.title}</a><div class="target-name">${summary.target}</div></th>
    <td>${own.length > 0 ? figureList(summary.figures, own) : NONE('nothing measured')}</td>
    <td>${raw.length > 0 ? figureList(summary.figures, raw) : NONE('no raw rate')}</td>
    <td>${goalList(summary)}</td>
    ${td(reps, summary.failed > 0 || summary.measured < repeat)}
    <td>${busiest ?? NONE('not measured')}</td>
  </tr>`;
}

/** `#1 ratio 0.91×`, or `#2 failed: <error>`. */
function repetitionLine({ repetition, measurement }: Measured): SafeHtml {
  if (measurement.state === 'failed') return html`<li class="bad">#${repetition} failed: ${measurement.error ?? 'no error recorded'}</li>`;
  const name = mainFigureName(measurement);
  const figure = name === undefined ? undefined : measurement.figures[name];
  return html`<li>#${repetition} ${name === undefined || figure === undefined ? NONE('no figure') : html`${name} ${formatPipelineFigure(figure)}`}</li>`;
}

function usageTable(summary: PipelineSummary): SafeHtml {
  if (summary.usage.length === 0) return html``;
  return html`<table class="pipeline-usage">
    <thead><tr><th>service</th><th scope="col">CPU (median)</th><th scope="col">max RSS (median)</th></tr></thead>
    <tbody>${summary.usage.map((u) => html`<tr><th scope="row">${u.service}</th><td>${formatCores(u.cpuCores)}</td><td>${formatMiB(u.rssMaxBytes)}</td></tr>`)}</tbody>
  </table>`;
}

/** Why CPU and memory were not measured, per reason, with the repetitions it applies to. */
function usageUnavailable(measured: readonly Measured[]): SafeHtml {
  const byReason = new Map<string, number[]>();
  for (const { repetition, measurement } of measured) {
    if (measurement.usage.state === 'unavailable') byReason.set(measurement.usage.reason, [...(byReason.get(measurement.usage.reason) ?? []), repetition]);
  }
  return html`${[...byReason].map(
    ([reason, repetitions]) => html`<p class="usage-unavailable">CPU and memory not measured in ${repetitions.length === 1 ? 'repetition' : 'repetitions'} ${repetitions.map((r) => `#${r}`).join(', ')}: ${reason}</p>`,
  )}`;
}

/** A repetition's busiest service and its CPU, the machine's cores in the tooltip. */
function busiestCell(usage: Usage): SafeHtml {
  if (usage.state === 'unavailable') return html`<td class="none" title="${usage.reason}">not measured</td>`;
  const cores = usage.services.find((s) => s.service === usage.busiest)?.cpuCores;
  return html`<td title="of ${usage.cores} cores, over ${formatPipelineFigure({ value: usage.windowMs, unit: 'ms' })}">${usage.busiest}${cores === undefined ? '' : ` ${formatCores(cores)}`}</td>`;
}

const configText = (config: PipelineMeasurement['config']) =>
  Object.entries(config)
    .map(([key, value]) => `${key}=${String(value)}`)
    .join(', ');

/** Every repetition's figures side by side, with whether the stores agreed, its duration and configuration. */
function repetitionDetails(measured: readonly Measured[]): SafeHtml {
  if (measured.length === 0) return html``;
  const names = [...new Set(measured.flatMap(({ measurement }) => Object.keys(measurement.figures)))];
  const cell = (m: PipelineMeasurement, name: string) => {
    const figure = m.figures[name];
    return figure === undefined ? html`<td class="none">—</td>` : html`<td>${formatPipelineFigure(figure)}</td>`;
  };
  const configs = [...new Set(measured.map(({ measurement }) => configText(measurement.config)))].filter((text) => text !== '');
  return html`<details class="pipeline-runs"><summary>each repetition</summary>
    <table class="pipeline-usage">
      <thead><tr><th></th>${measured.map(({ repetition }) => html`<th scope="col">#${repetition}</th>`)}</tr></thead>
      <tbody>
        <tr><th scope="row">state</th>${measured.map(({ measurement }) => td(measurement.state, measurement.state === 'failed'))}</tr>
        ${names.map((name) => html`<tr><th scope="row">${name}</th>${measured.map(({ measurement }) => cell(measurement, name))}</tr>`)}
        <tr><th scope="row">stores agreed</th>${measured.map(({ measurement: m }) => td(m.converged === null ? 'not checked' : m.converged ? 'yes' : 'no', m.converged === false))}</tr>
        <tr><th scope="row">busiest</th>${measured.map(({ measurement: m }) => busiestCell(m.usage))}</tr>
        <tr><th scope="row">duration</th>${measured.map(({ measurement: m }) => html`<td>${formatPipelineFigure({ value: m.durationMs, unit: 'ms' })}</td>`)}</tr>
      </tbody>
    </table>
    ${configs.map((text) => html`<p class="pipeline-config">as measured: ${text}</p>`)}
  </details>`;
}

function targetBlock(pipeline: PipelineResult, summary: PipelineSummary, index: number): SafeHtml {
  const measured = measurementsOf(pipeline, summary.target);
  return html`<article class="pipeline-target" id="${anchor(index)}">
    <h3>${summary.title} <small>${summary.target}</small></h3>
    ${measured.length > 0 ? html`<ul class="pipeline-repetitions"><li class="label">runs:</li>${measured.map(repetitionLine)}</ul>` : NONE('no repetition measured this target')}
    ${usageTable(summary)}
    ${usageUnavailable(measured)}
    ${repetitionDetails(measured)}
  </article>`;
}

/** The "Pipeline targets" section; empty markup when the run has no pipeline block. */
export function pipelineSection(pipeline: PipelineResult | undefined): SafeHtml {
  if (pipeline === undefined) return html``;
  const params = Object.entries(pipeline.params).map(([key, value]) => `${key}=${value}`);
  const reps = `${pipeline.repeat} ${pipeline.repeat === 1 ? 'repetition' : 'repetitions'}`;
  return html`<section id="pipeline"><h2>Pipeline targets</h2>
  <p class="matrix-note">Each figure is the median of ${reps} (a failed measurement is not in the medians), read beside the raw rate measured in the same run; each goal is judged on the medians. CPU is in cores (1 = one core busy the whole measurement), memory the highest RSS. Each repetition's figures are listed under its target.${params.length > 0 ? ` Suite params: ${params.join(', ')}.` : ''}</p>
  ${pipeline.summary.length === 0
    ? html`<p class="problem">No pipeline target was measured.</p>`
    : html`<table class="matrix pipeline">
    <thead><tr><th>target</th><th scope="col">medians</th><th scope="col">read against</th><th scope="col">goals</th><th scope="col">repetitions</th><th scope="col">busiest service</th></tr></thead>
    <tbody>${pipeline.summary.map((summary, i) => summaryRow(summary, i, pipeline.repeat))}</tbody>
  </table>
  ${pipeline.summary.map((summary, i) => targetBlock(pipeline, summary, i))}`}
  </section>`;
}
