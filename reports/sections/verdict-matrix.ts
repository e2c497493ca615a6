// converge report: the verdict matrix, the first thing on the page — strategies × scenarios, each
// cell pass or fail (a failure the scenario expects of that strategy badged "fail (expected)",
// with why; a pass where it may fail noted as information) with its one-line reason, whether the
// stores converged, and what differed; a pair skipped (a fault its provider cannot inject) neutral,
// with why it did not run.
import type { ScenarioResult, VerdictLine } from '../../harness/results/schema.ts';
import { standing } from '../../harness/results/standing.ts';
import { formatNumber } from '../format.ts';
import { html, type SafeHtml } from '../html.ts';
import type { RunLayout } from '../run-layout.ts';
import { standingBadge, standingClass } from './standing-badge.ts';

const describeLine = (line: VerdictLine) => `${line.check}: ${line.reason}`;

/** The reason a cell shows: the first failing check (then the first unknown), or that all passed (and how many were not judged). */
export function oneLineReason(result: ScenarioResult): string {
  const failing = result.lines.filter((line) => line.outcome === 'fail');
  const unknown = result.lines.filter((line) => line.outcome === 'unknown');
  const first = failing[0] ?? unknown[0];
  if (first) {
    const more = failing.length + unknown.length - 1;
    return more > 0 ? `${describeLine(first)} (+${more} more)` : describeLine(first);
  }
  const notJudged = result.lines.filter((line) => line.outcome === 'not-judged').length;
  if (notJudged > 0) return `${result.lines.length - notJudged} checks pass, ${notJudged} not judged (nothing to judge)`;
  if (result.lines.length > 0) return result.lines.length === 1 ? describeLine(result.lines[0]!) : `all ${result.lines.length} checks pass`;
  return result.reasons[0] ?? 'no expectations were checked';
}

function convergenceLine(result: ScenarioResult): SafeHtml {
  const c = result.convergence;
  if (c.state === 'unknown') return html`<span class="conv unknown" title="${c.error}">convergence unknown (the check crashed)</span>`;
  const counts = `missing ${formatNumber(c.missing, 0)} · extra ${formatNumber(c.extra, 0)} · mismatched ${formatNumber(c.mismatched, 0)}`;
  return html`<span class="conv ${c.converged ? 'good' : 'bad'}">${c.converged ? 'converged' : 'did not converge'}</span> <span class="counts">${counts}</span>`;
}

function cell(layout: RunLayout, strategy: string, scenario: string): SafeHtml {
  const result = layout.pair(strategy, scenario);
  if (!result) return html`<td class="cell not-run" data-strategy="${strategy}" data-scenario="${scenario}"><span class="badge not-run">not run</span></td>`;
  const s = standing(result);
  const link = html`<a href="#${layout.anchor(scenario)}">${standingBadge(s)}</a>`;
  if (s.kind === 'skipped') {
    return html`<td class="cell skipped" data-strategy="${strategy}" data-scenario="${scenario}" title="${s.reason}">
    ${link}
    <div class="reason">did not run: ${s.reason}</div>
  </td>`;
  }
  return html`<td class="cell ${standingClass(s)}" data-strategy="${strategy}" data-scenario="${scenario}">
    ${link}
    ${s.kind === 'expected-fail' ? html`<div class="expectation">expected: ${s.reason}</div>` : s.kind === 'pass-may-fail' ? html`<div class="expectation">${s.note}</div>` : ''}
    <div class="reason">${oneLineReason(result)}</div>
    <div>${convergenceLine(result)}</div>
  </td>`;
}

export function verdictMatrix(layout: RunLayout): SafeHtml {
  if (layout.strategies.length === 0) return html`<p class="problem">No strategy × scenario pair finished in this run: there is nothing to compare.</p>`;
  return html`<table class="matrix">
    <thead><tr><th>strategy \\ scenario</th>${layout.scenarios.map((scenario) => html`<th scope="col"><a href="#${layout.anchor(scenario)}">${scenario}</a></th>`)}</tr></thead>
    <tbody>${layout.strategies.map((strategy) => html`<tr><th scope="row">${strategy}</th>${layout.scenarios.map((scenario) => cell(layout, strategy, scenario))}</tr>`)}</tbody>
  </table>`;
}
