// The 2pc coordinator's in-process figures: how often each thing happened in this worker, and the
// time writes waited for row locks and transactions spent in doubt (HDR percentiles). Counts that
// must survive a crash (committed, aborted, recovered) come from the decision log instead.
import { PercentileRecorder } from '../../harness/checker/percentiles.ts';
import type { Percentiles } from '../../harness/results/schema.ts';

export class TwoPcStats {
  /** Writes that changed no row (an update or delete of a missing key): the branch rolled back, nothing staged. */
  writesUnchanged = 0;
  /** Transactions aborted because the engine refused the staged document (it would refuse it in the real index). */
  rejectedAtPrepare = 0;
  /** Writes whose lock wait ran out (`lockWaitTimeoutS`): aborted. */
  lockWaitTimeouts = 0;
  /** Staging attempts and phase-2 steps retried after a retriable error. */
  prepareRetries = 0;
  phaseTwoRetries = 0;
  /** Index applies the engine answered 409: this version or a later one was there already. */
  appliesSuperseded = 0;
  /** Transactions this process could not end (phase 2 or abort unfinished): left to quiesce or recover. */
  leftInDoubt = 0;
  /** Staged documents dropped by recovery whose MySQL branch had already ended. */
  stagedOrphansDropped = 0;
  /** Writes stopped at the test-only hold point. */
  writesHeld = 0;
  /** How long each write's row-locking statement took (its wait for the row lock, plus a sub-ms execution). */
  readonly lockWaitMs = new PercentileRecorder();
  /** How long each transaction ended here was in doubt: from both votes to its end. */
  readonly inDoubtMs = new PercentileRecorder();
  /** The last recover(): branches resolved, and the window from the oldest one's start to the last resolution. */
  lastRecovery: { branches: number; windowMs: number; ms: number } | null = null;

  counters(): Record<string, number> {
    return {
      writesUnchanged: this.writesUnchanged,
      rejectedAtPrepare: this.rejectedAtPrepare,
      lockWaitTimeouts: this.lockWaitTimeouts,
      prepareRetries: this.prepareRetries,
      phaseTwoRetries: this.phaseTwoRetries,
      appliesSuperseded: this.appliesSuperseded,
      leftInDoubt: this.leftInDoubt,
      stagedOrphansDropped: this.stagedOrphansDropped,
      writesHeld: this.writesHeld,
    };
  }
}

/** `<name>.p50|p99|max|samples` for a measured summary; nothing for an empty one. */
export function flatPercentiles(name: string, summary: Percentiles): Record<string, number> {
  if (summary.state !== 'measured') return { [`${name}.samples`]: 0 };
  return { [`${name}.p50`]: summary.p50, [`${name}.p99`]: summary.p99, [`${name}.max`]: summary.max, [`${name}.samples`]: summary.samples };
}
