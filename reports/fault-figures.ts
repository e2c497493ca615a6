// converge report: a pair's faults in words and figures — each fault's window (ms since the workload
// began, the clock of every series), what its heal waited for and how long, what went wrong with it;
// and per pair how many faults struck, the heal times, the time to converge after the last heal and
// the writes whose outcome is unknown. Pure: a result in, text and table figures out.
import type { FaultRecordResult, ScenarioResult } from '../harness/results/schema.ts';
import { formatMs, formatNumber, type Figure } from './format.ts';

/** "1.5 s – 4 s", "from 5 s, no end recorded", or "never struck". */
export function faultWindow(fault: FaultRecordResult): string {
  if (fault.startMs === null) return 'never struck';
  if (fault.endMs === null) return `from ${formatMs(fault.startMs)}, no end recorded`;
  return `${formatMs(fault.startMs)} – ${formatMs(fault.endMs)}`;
}

/** "healed in 3.2 s (waited for opensearch answering)"; null when no heal was recorded. */
export function healText(fault: FaultRecordResult): string | null {
  if (!fault.heal) return null;
  return `healed in ${formatMs(fault.heal.ms)}${fault.heal.waitedFor ? ` (waited for ${fault.heal.waitedFor})` : ''}`;
}

/** What went wrong with a fault — it never struck, its strike threw, its heal met errors — or null when it went as planned. */
export function faultProblem(fault: FaultRecordResult): string | null {
  if (fault.state === 'not-injected') return `not injected: ${fault.reason ?? 'no reason recorded'}`;
  if (fault.state === 'inject-failed') return `injecting failed: ${fault.errors.length > 0 ? fault.errors.join('; ') : 'no error recorded'}`;
  if (fault.errors.length > 0) return `healing met errors: ${fault.errors.join('; ')}`;
  return null;
}

/** "ok 120, failed 3, unknown 2 in its window"; null when the window's writes were not recorded. */
export function windowWrites(fault: FaultRecordResult): string | null {
  const w = fault.writes;
  return w ? `writes in its window: ok ${formatNumber(w.ok, 0)}, failed ${formatNumber(w.failed, 0)}, unknown ${formatNumber(w.unknown, 0)}` : null;
}

/** A pair with no fault recorded: the scenario has none, or the pair crashed before its faults. */
const NO_FAULTS: Figure = { text: 'none', state: 'none', note: 'no fault recorded for this pair' };
const injected = (r: ScenarioResult) => r.faults.filter((fault) => fault.state === 'injected');

/** "n/m": faults that struck and healed of those the scenario lists; bad when one did not, or met errors. */
export function faultsInjectedFigure(r: ScenarioResult): Figure {
  if (r.faults.length === 0) return NO_FAULTS;
  const n = injected(r).length;
  const clean = r.faults.every((fault) => faultProblem(fault) === null);
  const note = r.faults.map((fault) => `${fault.description}: ${faultProblem(fault) ?? fault.state}`).join('; ');
  return { text: `${n}/${r.faults.length}`, state: clean ? 'good' : 'bad', note };
}

/** Each healed fault's heal time, in the scenario's order; what each waited for in the note. */
export function healFigure(r: ScenarioResult): Figure {
  if (r.faults.length === 0) return NO_FAULTS;
  const healed = r.faults.filter((fault) => fault.heal !== undefined);
  if (healed.length === 0) return { text: 'none', state: 'none', note: 'no fault was healed' };
  return { text: healed.map((fault) => formatMs(fault.heal!.ms)).join(', '), state: 'value', note: healed.map((fault) => `${fault.description}: ${healText(fault)}`).join('; ') };
}

/** From the end of the last heal until the stores agreed: `never` when they did not, `n/a` when no fault struck. */
export function afterHealFigure(r: ScenarioResult): Figure {
  if (r.faults.length === 0) return NO_FAULTS;
  const c = r.convergence;
  if (c.state === 'unknown') return { text: 'unknown', state: 'unknown', note: `the check crashed: ${c.error}` };
  if (c.afterHealMs === undefined) return { text: 'n/a', state: 'none', note: 'no fault struck: there is no heal to count from' };
  if (c.afterHealMs === null) return { text: 'never', state: 'bad', note: 'the stores did not converge after the last fault healed' };
  return { text: formatMs(c.afterHealMs), state: 'good', note: 'from the later of the last heal and the last acknowledged write until the stores were equal' };
}

/** Per fault, how long after its heal the index was current again (read off the lag samples); `never` when it was not while writes ran. */
export function catchUpFigure(r: ScenarioResult): Figure {
  if (r.faults.length === 0) return NO_FAULTS;
  const measured = r.faults.filter((fault) => fault.catchUpMs !== undefined);
  if (measured.length === 0) return { text: 'n/a', state: 'none', note: 'no fault struck, or none recorded a catch-up' };
  const never = measured.some((fault) => fault.catchUpMs === null);
  return {
    text: measured.map((fault) => (fault.catchUpMs === null ? 'never' : formatMs(fault.catchUpMs!))).join(', '),
    state: never ? 'bad' : 'value',
    note: `${measured.map((fault) => `${fault.description}: ${fault.catchUpMs === null ? 'no write acknowledged after the heal was seen with the normal lag' : `current again ${formatMs(fault.catchUpMs!)} after the heal`}`).join('; ')} (normal lag: the p99 before the first fault, at least 1 s)`,
  };
}

/**
 * Writes whose fate the client never learnt, invoked inside a fault's window (the pair's total is the
 * `unknown outcome` row): a figure, not a defect — an honest client under a fault does not know.
 */
export function unknownInFaultsFigure(r: ScenarioResult): Figure {
  if (r.faults.length === 0) return NO_FAULTS;
  const counted = r.faults.filter((fault) => fault.writes !== undefined);
  if (counted.length === 0) return { text: 'not recorded', state: 'none', note: 'no fault window recorded its writes' };
  const n = counted.reduce((sum, fault) => sum + fault.writes!.unknown, 0);
  return { text: formatNumber(n, 0), state: 'value', note: counted.map((fault) => `${fault.description}: ${windowWrites(fault)}`).join('; ') };
}
