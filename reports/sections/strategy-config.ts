// converge report: each strategy's configuration as it ran (results.json's `config`, any JSON), in
// the run context — one collapsed block per pair, drawn as nested key/value tables and lists so a
// connector config reads as its options, not as one long string; and the links to those blocks
// under a scenario's comparison table. Every key and value is text (escaped by `html`).
import type { JsonValue, ScenarioResult } from '../../harness/results/schema.ts';
import { html, type SafeHtml } from '../html.ts';
import type { RunLayout } from '../run-layout.ts';

/** One JSON value: scalars as text, arrays as lists, objects as key/value tables. */
export function configView(value: JsonValue): SafeHtml {
  if (value === null) return html`<span class="none">null</span>`;
  if (Array.isArray(value)) {
    if (value.length === 0) return html`<span class="none">none</span>`;
    return html`<ol class="config">${value.map((item) => html`<li>${configView(item)}</li>`)}</ol>`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return html`<span class="none">none</span>`;
    return html`<table class="config"><tbody>${entries.map(([key, item]) => html`<tr><th scope="row">${key}</th><td>${configView(item)}</td></tr>`)}</tbody></table>`;
  }
  return html`${String(value)}`;
}

/** The element id of a pair's configuration block (names are not trusted as ids). */
export function configAnchor(layout: RunLayout, strategy: string, scenario: string): string {
  return `${layout.anchor(scenario)}-config-${layout.strategies.indexOf(strategy)}`;
}

/** A scenario's pairs that reported a configuration, each collapsed under its strategy's name. */
export function strategyConfigs(layout: RunLayout, scenario: string): SafeHtml {
  const configured = layout.resultsOf(scenario).filter((r): r is ScenarioResult & { config: Record<string, JsonValue> } => r.config !== undefined);
  if (configured.length === 0) return html``;
  return html`<h4>strategies' configuration as used</h4>${configured.map(
    (r) => html`<details class="config" id="${configAnchor(layout, r.strategy, scenario)}"><summary>${r.strategy}</summary>${configView(r.config)}</details>`,
  )}`;
}

/** Under a comparison table: where each strategy's configuration is (the table holds figures only). */
export function configLinks(layout: RunLayout, scenario: string): SafeHtml {
  const configured = layout.resultsOf(scenario).filter((r) => r.config !== undefined);
  if (configured.length === 0) return html``;
  return html`<p class="config-links">Configuration as used, in the run context: ${configured.map(
    (r, i) => html`${i > 0 ? ', ' : ''}<a href="#${configAnchor(layout, r.strategy, scenario)}">${r.strategy}</a>`,
  )}</p>`;
}
