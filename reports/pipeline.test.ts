// converge report: a `--suite pipeline` run — its targets' medians with their units, the raw rates
// they are read against, goals marked met, not met or unknown, repetitions and failures said
// plainly, the busiest service, CPU and memory per service or why they were not measured; no
// section without a pipeline block; error strings stay text; and the page's headline is the goals.
import { describe, expect, it } from 'vitest';
import { loadAssets } from './assets.ts';
import { resultFixture, runFixture } from './fixtures.ts';
import { busiestText, formatPipelineFigure, mainFigureName, pipelineStatus, repetitionsText } from './pipeline-figures.ts';
import { FAILED_LAG_ERROR, pipelineFixture, UNAVAILABLE_USAGE_REASON } from './pipeline-fixtures.ts';
import { readResults } from './read-results.ts';
import { renderReport, runStatus } from './render-report.ts';
import { pipelineSection } from './sections/pipeline.ts';

const pipelineRun = (pipeline = pipelineFixture()) => runFixture([], { pipeline, context: undefined });
const render = (file: ReturnType<typeof runFixture>) => renderReport({ file, invalid: [] }, loadAssets());
/** The page without its inlined assets: what the report itself wrote. */
const written = (page: string) => page.replace(/<script>[\s\S]*?<\/script>/g, '<script></script>').replace(/<style>[\s\S]*?<\/style>/, '<style></style>');
const section = (page: string) => /<section id="pipeline">[\s\S]*?<\/section>/.exec(page)?.[0] ?? '';

describe('pipeline figures', () => {
  it('formats a figure by its unit, whatever its name', () => {
    expect(formatPipelineFigure({ value: 18_400, unit: 'changes/s' })).toBe('18,400 changes/s');
    expect(formatPipelineFigure({ value: 4623.7, unit: 'rows/s' })).toBe('4,624 rows/s');
    expect(formatPipelineFigure({ value: 0.906, unit: '×' })).toBe('0.91×');
    expect(formatPipelineFigure({ value: 180, unit: 'ms' })).toBe('180 ms');
    expect(formatPipelineFigure({ value: 1340, unit: 'ms' })).toBe('1.34 s');
    expect(formatPipelineFigure({ value: 7.5, unit: 'docs/s' })).toBe('7.5 docs/s');
    expect(formatPipelineFigure({ value: 3, unit: 'partitions' })).toBe('3 partitions');
  });

  it('says repetitions, failures and the busiest service plainly', () => {
    expect(repetitionsText({ measured: 3, failed: 0 }, 3)).toBe('3 of 3 runs');
    expect(repetitionsText({ measured: 1, failed: 1 }, 3)).toBe('1 of 3 runs, 1 failed, 1 did not run');
    expect(busiestText([{ service: 'connect', cpuCores: 1.1 }, { service: 'connect', cpuCores: 1.0 }, { service: 'connect', cpuCores: 1.3 }])).toBe('connect 1.1 cores');
    expect(busiestText([{ service: 'connect', cpuCores: 0.9 }, { service: 'search', cpuCores: 0.45 }, { service: 'connect', cpuCores: 1.1 }])).toBe('connect 1 core (2 of 3 runs), search 0.45 cores (1 of 3 runs)');
    expect(busiestText([])).toBeNull();
  });

  it("sums a repetition up by its first goal's figure, else its first own figure", () => {
    const [sink, lag] = pipelineFixture().runs[0]!;
    expect(mainFigureName(sink!)).toBe('ratio');
    expect(mainFigureName(lag!)).toBe('lagP50');
    expect(mainFigureName({ figures: { raw: { value: 1, unit: 'ops/s' }, startupMs: { value: 900, unit: 'ms' } }, goals: [] })).toBe('startupMs');
  });
});

describe('the pipeline section', () => {
  it("renders each target's title, median figures, raw rate, goal marks, repetitions and busiest service", () => {
    const html = section(render(pipelineRun()));
    const rows = [...html.matchAll(/<tr>\s*<th scope="row"><a href="#pipeline-\d">([\s\S]*?)<\/tr>/g)].map((m) => m[0]);
    expect(rows).toHaveLength(3);
    const [sink, lag, write] = rows as [string, string, string];
    expect(sink).toContain('Sink catch-up against raw bulk indexing');
    expect(sink).toContain('<span class="figure-name">rate</span> 18,300 changes/s');
    expect(sink).toContain('<span class="figure-name">ratio</span> 0.91×');
    expect(sink).toMatch(/<td><ul class="pipeline-figures"><li><span class="figure-name">raw<\/span> 20,200 docs\/s<\/li><\/ul><\/td>/);
    expect(sink).toMatch(/<li class="goal met" title="ratio &gt;= 0.85, judged on the median 0.91×: met">✓ the sink drains a backlog at ≥ 0.85× raw bulk indexing <span class="goal-state">\(met\)<\/span><\/li>/);
    expect(sink).toContain('2 of 2 runs');
    expect(sink).toContain('connect 1.1 cores');
    expect(lag).toContain('<span class="figure-name">lagP99</span> 1.34 s');
    expect(lag).toContain('✓ p50 lag ≤ 250 ms');
    expect(lag).toContain('<li class="goal not-met" title="lagP99 &lt;= 1000, judged on the median 1.34 s: not met">✗ p99 lag ≤ 1 s <span class="goal-state">(not met)</span></li>');
    expect(lag).toMatch(/<td class="bad">1 of 2 runs, 1 failed<\/td>/);
    expect(write).toContain('4,240 rows/s');
    expect(write).toContain('mariadb 0.21 cores');
  });

  it('says the figures are medians of the repetitions, lists each repetition and shows a failure with its error', () => {
    const html = section(render(pipelineRun()));
    expect(html).toContain('Each figure is the median of 2 repetitions');
    expect(html).toContain('each goal is judged on the medians');
    expect(html).toContain('<li>#1 ratio 0.92×</li><li>#2 ratio 0.90×</li>');
    expect(html).toContain(`<li>#1 lagP50 180 ms</li><li class="bad">#2 failed: ${FAILED_LAG_ERROR}</li>`);
    expect(html).toContain('<details class="pipeline-runs"><summary>each repetition</summary>');
  });

  it("shows each service's CPU and max RSS, and why usage was not measured", () => {
    const html = section(render(pipelineRun()));
    expect(html).toContain('<tr><th scope="row">connect</th><td>1.1 cores</td><td>1,130 MiB</td></tr>');
    expect(html).toContain('<tr><th scope="row">converge</th><td>0.08 cores</td><td>120 MiB</td></tr>');
    expect(html).toContain(`<p class="usage-unavailable">CPU and memory not measured in repetition #2: ${UNAVAILABLE_USAGE_REASON}</p>`);
  });

  it('marks a goal whose figure is missing as unknown', () => {
    const pipeline = pipelineFixture();
    pipeline.summary[2]!.goals.push({ text: 'capture reads ≥ 5,000 rows/s', figure: 'captureRate', op: '>=', threshold: 5000, met: null });
    const html = pipelineSection(pipeline).markup;
    expect(html).toContain('<li class="goal unknown" title="captureRate &gt;= 5000: not judged, the figure was not measured">? capture reads ≥ 5,000 rows/s <span class="goal-state">(unknown)</span></li>');
  });

  it('is absent from a run without a pipeline block', () => {
    const page = render(runFixture([resultFixture()]));
    expect(page).not.toContain('id="pipeline"');
    expect(page).not.toContain('Pipeline targets');
    expect(pipelineSection(undefined).markup).toBe('');
  });

  it('keeps an error string with markup as text', () => {
    const pipeline = pipelineFixture();
    const hostile = 'connector failed: <script>alert(1)</script><img src=x onerror=alert(2)>';
    pipeline.runs[1]![1]!.error = hostile;
    pipeline.runs[1]![2]!.usage = { state: 'unavailable', reason: hostile };
    pipeline.summary[0]!.title = hostile;
    const own = written(render(pipelineRun(pipeline)));
    expect(own).not.toContain('<script>alert');
    expect(own).not.toContain('<img');
    expect(own).toContain('#2 failed: connector failed: &lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;');
  });
});

describe('a pipeline run as a whole', () => {
  it('is read by readResults as it is', () => {
    const file = pipelineRun();
    expect(readResults(JSON.stringify(file))).toEqual({ file, invalid: [] });
  });

  it('names a damaged pipeline block and still reads the run', () => {
    const file = pipelineRun();
    const damaged = { ...file, pipeline: { ...file.pipeline!, repeat: 0 } };
    const read = readResults(JSON.stringify(damaged));
    expect(read.file.pipeline).toBeUndefined();
    expect(read.file.runId).toBe(file.runId);
    expect(read.invalid).toHaveLength(1);
    expect(read.invalid[0]).toMatch(/^pipeline does not match the schema: .*repeat/);
    expect(() => readResults(JSON.stringify({ ...damaged, runId: 7 }))).toThrow(/schemaVersion 1/);
  });

  it('headlines the goals met on the medians, not "0 of 0 pairs pass", and shows no verdict matrix', () => {
    const file = pipelineRun();
    expect(pipelineStatus(file.pipeline!)).toBe('pipeline suite: 3 of 4 goals met on the medians (3 targets × 2 repetitions, 1 failed measurement)');
    expect(runStatus(file)).toBe('pipeline suite: 3 of 4 goals met on the medians (3 targets × 2 repetitions, 1 failed measurement)');
    expect(runStatus({ ...file, interrupted: true })).toMatch(/ — interrupted, partial$/);
    const page = written(render(file));
    expect(page).toContain('<p class="subtitle">pipeline suite: 3 of 4 goals met on the medians (3 targets × 2 repetitions, 1 failed measurement) · started');
    expect(page).not.toContain('pairs pass');
    expect(page).not.toContain('id="verdicts"');
    expect(page).not.toContain('No strategy × scenario pair finished');
    expect(page).toContain('<a href="#pipeline">pipeline targets</a>');
    // the failed measurement is what went wrong
    expect(page).toContain(`<li>pipeline target lag-half-load failed in repetition 2 of 2: ${FAILED_LAG_ERROR}</li>`);
    // the section sits before the run context
    expect(page.indexOf('id="pipeline"')).toBeLessThan(page.indexOf('id="context"'));
  });

  it('keeps the pairs headline and verdicts for a normal run', () => {
    const file = runFixture([resultFixture()]);
    expect(runStatus(file)).toBe('1 of 1 pairs pass');
    expect(render(file)).toContain('id="verdicts"');
  });
});
