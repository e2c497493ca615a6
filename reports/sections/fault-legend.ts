// converge report: the faults of a scenario's pairs, said once above its charts (which shade the
// ones that struck, in the pair's colour): per fault its description, window on the series' clock,
// state, what its heal waited for and how long, the writes in its window and any errors. A skipped
// pair's faults never ran: its section says why instead.
import type { FaultRecordResult, ScenarioResult } from '../../harness/results/schema.ts';
import { faultProblem, faultWindow, healText, windowWrites } from '../fault-figures.ts';
import { html, type SafeHtml } from '../html.ts';

function faultItem(strategy: string, color: string, fault: FaultRecordResult): SafeHtml {
  const problem = faultProblem(fault);
  const facts = [faultWindow(fault), fault.state, healText(fault), fault.detail ?? null, windowWrites(fault)].filter((fact): fact is string => fact !== null);
  return html`<li${problem ? html` class="problem"` : ''}><span class="swatch" style="background: ${color}"></span><b>${fault.description}</b> (${strategy}): ${facts.join(' · ')}${problem ? html`<div class="fault-problem">${problem}</div>` : ''}</li>`;
}

export function faultLegend(results: readonly ScenarioResult[], colors: ReadonlyMap<string, string>): SafeHtml {
  const ran = results.filter((r) => r.verdict !== 'skipped' && r.faults.length > 0);
  if (ran.length === 0) return html``;
  return html`<div class="faults"><h4>Faults (times from the workload's start; those that struck are shaded on the time charts)</h4><ul>${ran.flatMap((r) => r.faults.map((fault) => faultItem(r.strategy, colors.get(r.strategy) ?? 'transparent', fault)))}</ul></div>`;
}
