// converge report: the fault matrix — a row per scenario with faults (named by its faults), a column
// per strategy; each cell the verdict as it stands (pass, fail (expected), fail with its first
// failing check, skipped with why), how long after the last heal the stores agreed, each heal's time
// and what it waited for, the writes whose outcome is unknown (in all, and in the fault windows),
// and every fault that did not strike or heal cleanly as a problem. Each cell links to its pair's
// section, as the verdict matrix does. Shown only when some pair had faults or was skipped.
import type { ScenarioResult } from '../../harness/results/schema.ts';
import { standing } from '../../harness/results/standing.ts';
import { afterHealFigure, catchUpFigure, faultProblem, healText, unknownInFaultsFigure } from '../fault-figures.ts';
import { formatMs, formatNumber } from '../format.ts';
import { html, type SafeHtml } from '../html.ts';
import type { RunLayout } from '../run-layout.ts';
import { standingBadge, standingClass } from './standing-badge.ts';
import { oneLineReason } from './verdict-matrix.ts';

const faulted = (r: ScenarioResult) => r.faults.length > 0 || r.verdict === 'skipped';

/** The scenarios in which some pair had faults or was skipped, in the page's order. */
export function faultScenarios(layout: RunLayout): string[] {
  return layout.scenarios.filter((scenario) => layout.resultsOf(scenario).some(faulted));
}

/** A row's name: its faults' descriptions, as recorded by its pairs (the same scenario, so the same faults). */
export function faultRowLabel(results: readonly ScenarioResult[]): string[] {
  return [...new Set(results.flatMap((r) => r.faults.map((fault) => fault.description)))];
}

function figures(result: ScenarioResult): SafeHtml {
  const afterHeal = afterHealFigure(result);
  const catchUp = catchUpFigure(result);
  const heals = result.faults.filter((fault) => fault.heal !== undefined);
  const inWindows = unknownInFaultsFigure(result);
  const problems = result.faults.flatMap((fault) => {
    const problem = faultProblem(fault);
    return problem === null ? [] : [`${fault.description}: ${problem}`];
  });
  return html`<dl class="fault-figures">
    <dt>converged after heal</dt><dd class="${afterHeal.state}"${afterHeal.note ? html` title="${afterHeal.note}"` : ''}>${afterHeal.text}</dd>
    <dt>index current after heal</dt><dd class="${catchUp.state}"${catchUp.note ? html` title="${catchUp.note}"` : ''}>${catchUp.text}</dd>
    <dt>heal</dt><dd>${heals.length === 0 ? html`<span class="none">none</span>` : heals.map((fault, i) => html`${i > 0 ? ', ' : ''}<span title="${fault.description}: ${healText(fault)}">${formatMs(fault.heal!.ms)}</span>`)}</dd>
    <dt>unknown outcomes</dt><dd${inWindows.note ? html` title="${inWindows.note}"` : ''}>${formatNumber(result.ops.unknown, 0)}${inWindows.state === 'value' ? ` (${inWindows.text} in fault windows)` : ''}</dd>
  </dl>${problems.length > 0 ? html`<ul class="fault-problems">${problems.map((problem) => html`<li>${problem}</li>`)}</ul>` : ''}`;
}

function cell(layout: RunLayout, strategy: string, scenario: string): SafeHtml {
  const result = layout.pair(strategy, scenario);
  const data = html`data-strategy="${strategy}" data-scenario="${scenario}"`;
  if (!result) return html`<td class="cell not-run" ${data}><span class="badge not-run">not run</span></td>`;
  const s = standing(result);
  const link = html`<a href="#${layout.anchor(scenario)}">${standingBadge(s)}</a>`;
  if (s.kind === 'skipped') return html`<td class="cell skipped" ${data} title="${s.reason}">${link}<div class="reason">did not run: ${s.reason}</div></td>`;
  const note = s.kind === 'expected-fail' ? `expected: ${s.reason}` : s.kind === 'pass-may-fail' ? s.note : null;
  const why = s.kind === 'unexpected-fail' ? html`<div class="reason">${oneLineReason(result)}</div>` : '';
  return html`<td class="cell ${standingClass(s)}" ${data}>${link}${note ? html`<div class="expectation">${note}</div>` : ''}${why}${figures(result)}</td>`;
}

export function faultMatrix(layout: RunLayout): SafeHtml {
  const scenarios = faultScenarios(layout);
  if (scenarios.length === 0) return html``;
  return html`<section id="fault-matrix"><h2>Fault matrix</h2>
  <p class="matrix-note">Each scenario with faults against each strategy: the verdict, how long after the last heal the stores agreed, each heal's time, and the writes whose outcome the client never learnt (in all, and inside the fault windows).</p>
  <table class="matrix faults">
    <thead><tr><th>faults \\ strategy</th>${layout.strategies.map((strategy) => html`<th scope="col">${strategy}</th>`)}</tr></thead>
    <tbody>${scenarios.map((scenario) => {
      const label = faultRowLabel(layout.resultsOf(scenario));
      return html`<tr><th scope="row">${label.length > 0 ? label.map((description) => html`<div>${description}</div>`) : html`<div class="none">faults not recorded</div>`}<div class="scenario-name"><a href="#${layout.anchor(scenario)}">${scenario}</a></div></th>${layout.strategies.map((strategy) => cell(layout, strategy, scenario))}</tr>`;
    })}</tbody>
  </table></section>`;
}
