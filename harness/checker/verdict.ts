// converge: expectations → verdict. Each `expect` item of a scenario becomes one line with an
// outcome and a reason. A check that crashed, or whose input is missing, makes its lines `unknown`
// (Jepsen's rule), and an unknown line fails the run. A check that had nothing to judge (an anomaly
// kind no read could show) is `not-judged`: it neither passes nor fails. The run passes when every
// line is `pass` or `not-judged` and the `converged` line passed: nothing passes silently, and a
// zero judged from nothing is never shown as a pass. One line holds for every run whatever its
// expectations: `acknowledgedWrites`, every acknowledged write still in MySQL at the end.
import { normaliseValue } from '../scenario/values.ts';
import type { Doc, Row } from '../scenario/projection.ts';
import type { Scenario } from '../scenario/schema.ts';
import type { FaultRecordResult, Percentiles, VerdictLine } from '../results/schema.ts';
import { afterHealNote, faultLine } from './fault-lines.ts';
import type { AnomalyKind, AnomalyReport } from './anomalies.ts';
import type { ConvergenceReport } from './convergence.ts';
import type { LostWrite, LostWriteReport } from './lost-writes.ts';

/** The result of one sub-check: its value, or why there is none. */
export type Outcome<T> = { readonly state: 'done'; readonly value: T } | { readonly state: 'crashed'; readonly error: string };

/** Runs a sub-check, turning a throw into `crashed` (never into a pass). */
export async function settle<T>(check: () => T | Promise<T>): Promise<Outcome<T>> {
  try {
    return { state: 'done', value: await check() };
  } catch (error) {
    return { state: 'crashed', error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

/** The final state of one key named in `expect.finalValues`, as read from each store. */
export interface FinalState {
  readonly id: number;
  readonly mysql: Row | null;
  readonly index: Doc | null;
}

export interface Observations {
  /** The final convergence check. */
  readonly convergence: Outcome<ConvergenceReport>;
  /** Convergence at each checkpoint, named after the last phase of its group. */
  readonly checkpoints: readonly { readonly after: string; readonly result: Outcome<ConvergenceReport> }[];
  readonly finalValues: Outcome<readonly FinalState[]>;
  readonly anomalies: Outcome<AnomalyReport>;
  /** Acknowledged writes checked against MySQL's final rows (every run: no expectation turns it off). */
  readonly lostWrites: Outcome<LostWriteReport>;
  readonly lag: Outcome<Percentiles>;
  /** The scenario's faults as they went (none: no line). */
  readonly faults?: readonly FaultRecordResult[];
  /** With faults: ms from the last heal to convergence (null: did not converge; see fault-lines.ts). */
  readonly afterHealMs?: number | null;
}

export interface Verdict {
  /** pass: every line passes or is not judged, and the `converged` line passes. */
  readonly verdict: 'pass' | 'fail';
  readonly lines: VerdictLine[];
  /** Every line as `outcome: check: reason`. */
  readonly reasons: string[];
}

function ids(list: readonly number[], total: number): string {
  return list.length === 0 ? '' : ` (ids ${list.join(', ')}${total > list.length ? ', …' : ''})`;
}

function describeConvergence(r: ConvergenceReport): string {
  if (r.converged) return `${r.rows} rows and ${r.docs} documents agree`;
  const strays = r.sampleIds.extraNonNumeric;
  const extraIds = [...r.sampleIds.extra, ...strays.map((id) => JSON.stringify(id))];
  return [
    `${r.missing} missing${ids(r.sampleIds.missing, r.missing)}`,
    `${r.extra} extra${extraIds.length === 0 ? '' : ` (ids ${extraIds.join(', ')}${r.extra > extraIds.length ? ', …' : ''})`}`,
    `${r.mismatched} mismatched${ids(r.sampleIds.mismatched, r.mismatched)}`,
  ].join(', ');
}

function convergenceLine(check: string, required: boolean, result: Outcome<ConvergenceReport>): VerdictLine {
  if (result.state === 'crashed') return { check, outcome: 'unknown', reason: `check crashed: ${result.error}` };
  const what = describeConvergence(result.value);
  if (!required) return { check, outcome: 'pass', reason: `not required; ${what}` };
  return { check, outcome: result.value.converged ? 'pass' : 'fail', reason: what };
}

function show(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}

function finalValueLines(scenario: Scenario, states: Outcome<readonly FinalState[]>): VerdictLine[] {
  const { entity } = scenario;
  return scenario.expect.finalValues.flatMap((item, i): VerdictLine[] => {
    const base = `finalValues[${i}]`;
    if (states.state === 'crashed') return [{ check: base, outcome: 'unknown', reason: `reading final values crashed: ${states.error}` }];
    const state = states.value.find((s) => s.id === item.id);
    if (state === undefined) return [{ check: base, outcome: 'unknown', reason: `id ${item.id} was not read` }];
    if (item.absent === true) {
      const present = [state.mysql !== null ? 'MySQL' : null, state.index !== null ? 'the index' : null].filter((s) => s !== null);
      return [{ check: `${base}.absent`, outcome: present.length === 0 ? 'pass' : 'fail', reason: present.length === 0 ? `id ${item.id} is in neither store` : `id ${item.id} is still in ${present.join(' and ')}` }];
    }
    return Object.entries(item.values ?? {}).map(([column, expected]): VerdictLine => {
      const check = `${base}.${column}`;
      const type = entity.columns[column]?.type ?? 'any';
      const want = normaliseValue(type, expected);
      const problems: string[] = [];
      const mysql = state.mysql === null ? undefined : normaliseValue(type, state.mysql[column]);
      if (mysql !== want) problems.push(`MySQL has ${state.mysql === null ? 'no row' : show(mysql)}`);
      const field = entity.projection.drop.includes(column) ? null : (entity.projection.rename[column] ?? column);
      const index = state.index === null || field === null ? undefined : normaliseValue(type, state.index[field]);
      if (field !== null && index !== want) problems.push(`the index has ${state.index === null ? 'no document' : show(index)}`);
      const where = field === null ? 'MySQL (dropped from the index)' : 'MySQL and the index';
      return problems.length === 0
        ? { check, outcome: 'pass', reason: `id ${item.id} holds ${show(want)} in ${where}` }
        : { check, outcome: 'fail', reason: `id ${item.id}: expected ${show(want)}; ${problems.join('; ')}` };
    });
  });
}

const plural = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;

/** What a kind judged: `412 judged reads (3 unverifiable, 1 failed read)`. */
function judgedOver(a: AnomalyReport, kind: AnomalyKind): string {
  const aside = [
    a.unverifiableReads > 0 ? `${a.unverifiableReads} unverifiable` : null,
    a.failedReads > 0 ? plural(a.failedReads, 'failed read') : null,
    kind !== 'dirtyReads' && a.unjudgedReads > 0 ? `${a.unjudgedReads} on keys with more than one lifetime` : null,
  ].filter((part) => part !== null);
  const final = kind === 'resurrections' && a.finalKeysJudged > 0 ? ` and ${plural(a.finalKeysJudged, 'deleted key')} in the final index` : '';
  return `${plural(a.judged[kind], 'judged read')}${final}${aside.length > 0 ? ` (${aside.join(', ')})` : ''}`;
}

/** The `anomalies.phantoms` line: reads and final documents that showed a rolled-back XA branch's row. */
function phantomLines(scenario: Scenario, anomalies: Outcome<AnomalyReport>): VerdictLine[] {
  const max = scenario.expect.anomalies.phantoms;
  if (max === undefined) return [];
  const check = 'anomalies.phantoms';
  if (anomalies.state === 'crashed') return [{ check, outcome: 'unknown', reason: `check crashed: ${anomalies.error}` }];
  const p = anomalies.value.phantoms;
  if (p === null) return [{ check, outcome: 'not-judged', reason: 'nothing to judge: the history has no xaRollback op' }];
  const over = `${plural(p.rolledBackRows, 'rolled-back row')} of ${p.branches} XA ${p.branches === 1 ? 'branch' : 'branches'}`;
  const where = p.finalIndexRead ? `(${plural(p.reads, 'read')} and ${plural(p.finalDocs, 'document')} of the final index)` : `in ${plural(p.reads, 'read')} (the final index was not read)`;
  if (p.rolledBackRows === 0) return [{ check, outcome: 'not-judged', reason: `nothing to judge: no branch wrote a row (${plural(p.branches, 'xaRollback op')})` }];
  const seen = p.reads + p.finalDocs;
  const shown = p.samples.map((sample) => `id ${sample.id} ${sample.read === null ? 'in the final index' : `read at entry ${sample.read}`}: ${JSON.stringify(sample.doc)}`);
  const detail = shown.length === 0 ? '' : `; ${shown.join('; ')}${seen > shown.length ? '; …' : ''}`;
  return [{ check, outcome: seen <= max ? 'pass' : 'fail', reason: `${seen} seen ${where} over ${over}, at most ${max} allowed${detail}` }];
}

export function anomalyLines(scenario: Scenario, anomalies: Outcome<AnomalyReport>): VerdictLine[] {
  return [...kindLines(scenario, anomalies), ...phantomLines(scenario, anomalies)];
}

function kindLines(scenario: Scenario, anomalies: Outcome<AnomalyReport>): VerdictLine[] {
  const limits = scenario.expect.anomalies;
  return (['dirtyReads', 'versionRegressions', 'resurrections', 'staleReads'] as const).flatMap((kind): VerdictLine[] => {
    const max = limits[kind];
    if (max === undefined) return [];
    const check = `anomalies.${kind}`;
    if (anomalies.state === 'crashed') return [{ check, outcome: 'unknown', reason: `check crashed: ${anomalies.error}` }];
    const a = anomalies.value;
    const seen = a[kind];
    const nothingJudged = a.judged[kind] === 0 && (kind !== 'resurrections' || a.finalKeysJudged === 0);
    if (seen === 0 && nothingJudged) return [{ check, outcome: 'not-judged', reason: `nothing to judge: 0 seen over ${judgedOver(a, kind)}` }];
    const where = ids(a.samples[kind].map((s) => s.id), seen);
    return [{ check, outcome: seen <= max ? 'pass' : 'fail', reason: `${seen} seen${where} over ${judgedOver(a, kind)}, at most ${max} allowed` }];
  });
}

/** One lost key: `id 5: acknowledged update v3, MySQL has v2`. */
function describeLost(lost: LostWrite): string {
  const what = lost.acked.kind === 'seed' ? `seed row v${lost.acked.version}` : lost.acked.kind === 'delete' ? `acknowledged delete of v${lost.acked.version}` : `acknowledged ${lost.acked.kind} v${lost.acked.version}`;
  return `id ${lost.id}: ${what}, MySQL has ${lost.final === null ? 'no row' : `v${lost.final}`}`;
}

/** Lost keys described, at most this many in the line (results.json keeps the samples). */
const LOST_DESCRIBED = 5;

/** The `acknowledgedWrites` line: every acknowledged write still in MySQL at the end (lost-writes.ts). */
export function lostWriteLine(lostWrites: Outcome<LostWriteReport>): VerdictLine {
  const check = 'acknowledgedWrites';
  if (lostWrites.state === 'crashed') return { check, outcome: 'unknown', reason: `check crashed: ${lostWrites.error}` };
  const r = lostWrites.value;
  const unjudged = r.unjudgedKeys > 0 ? ` (${plural(r.unjudgedKeys, 'key')} not judged: a delete may have removed what was acknowledged, or nothing was)` : '';
  const over = `over ${plural(r.judgedKeys, 'judged key')}${unjudged}`;
  if (r.judgedKeys === 0) return { check, outcome: 'not-judged', reason: `nothing to judge: no acknowledged write obliges a final row; ${plural(r.acknowledged, 'acknowledged write')}${unjudged}` };
  if (r.lost === 0) return { check, outcome: 'pass', reason: `MySQL holds every acknowledged write ${over}` };
  const described = r.samples.slice(0, LOST_DESCRIBED).map(describeLost);
  const rest = r.samples.slice(LOST_DESCRIBED).map((s) => s.id);
  const more = r.lost > described.length ? `; ${r.lost - described.length} more${rest.length > 0 ? `: ids ${rest.join(', ')}${r.lost > r.samples.length ? ', …' : ''}` : ''}` : '';
  return { check, outcome: 'fail', reason: `${r.lost} lost (${described.join('; ')}${more}) ${over}` };
}

function lagLines(scenario: Scenario, lag: Outcome<Percentiles>): VerdictLine[] {
  const limits = scenario.expect.maxLagMs ?? {};
  return (['p50', 'p95', 'p99', 'max'] as const).flatMap((p): VerdictLine[] => {
    const max = limits[p];
    if (max === undefined) return [];
    const check = `maxLagMs.${p}`;
    if (lag.state === 'crashed') return [{ check, outcome: 'unknown', reason: `lag measurement crashed: ${lag.error}` }];
    if (lag.value.state === 'none') return [{ check, outcome: 'unknown', reason: `no lag samples: ${lag.value.reason}` }];
    const seen = lag.value[p];
    const over = `over ${lag.value.samples} samples${lag.value.censored ? ` (${lag.value.censored} censored: not seen while watched)` : ''}`;
    if (lag.value.lowerBound?.includes(p)) {
      // Only a lower bound is known: above the limit it fails for sure, within it the true value may still exceed it.
      return seen > max
        ? [{ check, outcome: 'fail', reason: `${p} lag > ${seen.toFixed(1)} ms (a lower bound) ${over}, at most ${max} ms allowed` }]
        : [{ check, outcome: 'unknown', reason: `${p} lag > ${seen.toFixed(1)} ms is only a lower bound ${over}; the true value may exceed ${max} ms allowed` }];
    }
    return [{ check, outcome: seen <= max ? 'pass' : 'fail', reason: `${p} lag ${seen.toFixed(1)} ms ${over}, at most ${max} ms allowed` }];
  });
}

/** Turns a scenario's expectations and what was observed into a verdict. */
export function judge(scenario: Scenario, observed: Observations): Verdict {
  const guard = (check: string, make: () => VerdictLine[]): VerdictLine[] => {
    try {
      return make();
    } catch (error) {
      return [{ check, outcome: 'unknown', reason: `judging crashed: ${error instanceof Error ? error.message : String(error)}` }];
    }
  };
  const required = scenario.expect.converged;
  const withHeal = (line: VerdictLine): VerdictLine => ({ ...line, reason: `${line.reason}${afterHealNote(observed.afterHealMs)}` });
  const lines = [
    ...(observed.faults ?? []).map((fault, i) => faultLine(fault, i)),
    ...observed.checkpoints.flatMap((c) => guard(`converged after ${c.after}`, () => [convergenceLine(`converged after ${c.after}`, required, c.result)])),
    ...guard('converged', () => [withHeal(convergenceLine('converged', required, observed.convergence))]),
    ...guard('finalValues', () => finalValueLines(scenario, observed.finalValues)),
    ...guard('anomalies', () => anomalyLines(scenario, observed.anomalies)),
    ...guard('acknowledgedWrites', () => [lostWriteLine(observed.lostWrites)]),
    ...guard('maxLagMs', () => lagLines(scenario, observed.lag)),
  ];
  const judged = lines.every((l) => l.outcome === 'pass' || l.outcome === 'not-judged');
  const converged = lines.some((l) => l.check === 'converged' && l.outcome === 'pass');
  return {
    verdict: judged && converged ? 'pass' : 'fail',
    lines,
    reasons: lines.map((l) => `${l.outcome}: ${l.check}: ${l.reason}`),
  };
}
