// converge: a scenario's faults as verdict lines. A fault is not an expectation, but a pair judged
// "under search-pause" must have had its search paused: each fault gets a line that names it and
// says what happened — `pass` when it was injected and healed cleanly, `unknown` when it never
// struck, its strike threw, or its heal met errors (the run then did not test what it claims, and
// an unknown line fails the pair, control group included). The `converged` line says how long after
// the last heal the stores agreed.
import type { FaultRecordResult, VerdictLine } from '../results/schema.ts';

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function writesIn(fault: FaultRecordResult): string {
  const w = fault.writes;
  const writes = w ? `; writes in flight in its window: ${w.ok} ok, ${w.failed} failed, ${w.unknown} unknown` : '';
  const catchUp = fault.catchUpMs === undefined ? '' : fault.catchUpMs === null ? '; the index never caught up while the workload ran' : `; the index was current again ${fault.catchUpMs} ms after the heal`;
  return `${writes}${catchUp}`;
}

export function faultLine(fault: FaultRecordResult, position: number): VerdictLine {
  const check = `fault[${position}] ${fault.kind}`;
  if (fault.state === 'not-injected') return { check, outcome: 'unknown', reason: `${fault.description}: not injected: ${fault.reason ?? 'no reason recorded'}` };
  const window = `${seconds(fault.startMs ?? 0)}–${seconds(fault.endMs ?? 0)} after the workload began`;
  if (fault.state === 'inject-failed') return { check, outcome: 'unknown', reason: `${fault.description}: injecting failed at ${window}: ${fault.errors.join('; ')}` };
  const heal = fault.heal ? `; healed in ${fault.heal.ms} ms (${fault.heal.waitedFor})` : '';
  const detail = fault.detail ? ` (${fault.detail})` : '';
  if (fault.errors.length > 0) {
    return { check, outcome: 'unknown', reason: `${fault.description}${detail}: ${window}${heal}, but healing met errors, so what follows ran on a service that may not be back: ${fault.errors.join('; ')}` };
  }
  return { check, outcome: 'pass', reason: `${fault.description}${detail}: ${window}${heal}${writesIn(fault)}` };
}

/** The end of the last fault that struck, ms since the workload began; null when none did. */
export function lastHealEndMs(faults: readonly FaultRecordResult[]): number | null {
  const ends = faults.filter((fault) => fault.state !== 'not-injected' && fault.endMs !== null).map((fault) => fault.endMs!);
  return ends.length === 0 ? null : Math.max(...ends);
}

/** What the `converged` line adds under faults: when the stores agreed relative to the last heal. */
export function afterHealNote(afterHealMs: number | null | undefined): string {
  if (afterHealMs === undefined) return '';
  if (afterHealMs === null) return '; not converged after the faults had healed';
  return `; converged ${afterHealMs} ms after the faults had healed and the writes stopped`;
}
