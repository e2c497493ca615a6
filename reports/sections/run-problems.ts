// converge report: what went wrong in the run, said plainly at the top — an interrupted or
// unfinished run, a results.json that failed its own schema check when written, pairs that failed
// where they must pass (a failure the scenario expects is shown in the matrix, not here) or never
// ran, pairs skipped (a fault their provider cannot inject) with why, checks that crashed, entries
// of results.json that could not be read, pipeline target measurements that failed. Empty when the
// run is whole and every pair is as expected. (A fault that did not strike or heal cleanly fails its
// pair through its verdict line.)
import type { ResultsFile } from '../../harness/results/schema.ts';
import { standing } from '../../harness/results/standing.ts';
import { html, type SafeHtml } from '../html.ts';
import { pipelineProblems } from '../pipeline-figures.ts';
import type { RunLayout } from '../run-layout.ts';

export function runProblems(file: ResultsFile, layout: RunLayout, invalid: readonly string[]): string[] {
  const problems: string[] = [];
  const planned = layout.strategies.length * layout.scenarios.length;
  const ran = file.results.length;
  if (file.interrupted) problems.push(`This run was interrupted before it finished: the figures are partial (${ran} of ${planned} strategy × scenario pairs ran).`);
  else if (ran < planned) problems.push(`${planned - ran} of ${planned} strategy × scenario pairs did not run.`);
  if (file.finishedAt === null) problems.push('The run did not record when it finished.');
  // a pipeline run has no pairs by design; a failed target measurement is its problem instead
  if (ran === 0 && file.pipeline === undefined) problems.push('No strategy × scenario pair finished.');
  if (file.pipeline) problems.push(...pipelineProblems(file.pipeline));
  if (file.schemaErrors && file.schemaErrors.length > 0) {
    problems.push(`results.json did not match its own schema when the bench wrote it (the run exited 1): ${file.schemaErrors.join('; ')}`);
  }
  for (const result of file.results) {
    const pair = `${result.strategy} × ${result.scenario}`;
    const s = standing(result);
    // a skipped pair's empty figures are not crashes: it did not run, for this reason
    if (s.kind === 'skipped') {
      problems.push(`${pair} was skipped (it did not run): ${s.reason}`);
      continue;
    }
    const crashed = [
      result.convergence.state === 'unknown' ? `convergence check crashed: ${result.convergence.error}` : null,
      result.anomalies.state === 'unknown' ? `anomaly check crashed: ${result.anomalies.error}` : null,
      result.perOpCost.state === 'unknown' ? `per-op cost measurement crashed: ${result.perOpCost.error}` : null,
    ].filter((line): line is string => line !== null);
    for (const line of crashed) problems.push(`${pair}: ${line}`);
    if (s.kind === 'unexpected-fail') {
      const failing = result.lines.filter((line) => line.outcome === 'fail' || line.outcome === 'unknown').map((line) => `${line.outcome} ${line.check}: ${line.reason}`);
      problems.push(`${pair} failed: ${failing.length ? failing.join('; ') : result.reasons.join('; ')}${result.log ? ` (worker log: ${result.log})` : ''}`);
    }
  }
  problems.push(...invalid);
  return problems;
}

export function problemsBanner(problems: readonly string[]): SafeHtml {
  if (problems.length === 0) return html``;
  return html`<section class="problems" id="problems"><h2>What went wrong</h2><ul>${problems.map((p) => html`<li>${p}</li>`)}</ul></section>`;
}
