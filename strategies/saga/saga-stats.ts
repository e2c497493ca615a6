// The saga strategy's in-process figures: how often each thing happened in this worker, and how
// long sagas spent in each state (HDR percentiles). Counts that must survive a crash (sagas by
// outcome, recovered) come from the saga log instead (see index.ts stats()).
import { PercentileRecorder } from '../../harness/checker/percentiles.ts';

export class SagaStats {
  /** Writes whose step 1 failed (nothing committed, no saga). */
  writesAborted = 0;
  /** Writes that changed no row (an update or delete of a missing key): no saga. */
  writesUnchanged = 0;
  /** Index steps retried after a retriable error (429, 5xx, connection). */
  indexRetries = 0;
  /** Compensation steps (MySQL or index) retried. */
  compensationRetries = 0;
  /** Index writes the engine answered 409: a write of this version or a later one was there already. */
  indexWritesSuperseded = 0;
  /** Times a saga found its key's pending marker taken and waited. */
  lockWaits = 0;
  /** Writes refused because the key stayed locked beyond lockTimeoutMs. */
  lockTimeouts = 0;
  /** Snapshot or end records the log did not take, even after retries (the saga resumes from an older one). */
  logWriteFailures = 0;
  /** Sagas that stopped on an internal error of the machine (left unfinished in the log). */
  machineErrors = 0;
  private readonly timeIn = new Map<string, PercentileRecorder>();

  /** A saga spent `ms` in `state` (a non-final state it left). */
  recordStateTime(state: string, ms: number): void {
    let recorder = this.timeIn.get(state);
    if (!recorder) this.timeIn.set(state, (recorder = new PercentileRecorder()));
    recorder.record(ms);
  }

  /** Flat figures for results.json: the counters, then `stateMs.<state>.p50|p99|max|samples` per state seen. */
  figures(): Record<string, number> {
    const out: Record<string, number> = {
      writesAborted: this.writesAborted,
      writesUnchanged: this.writesUnchanged,
      indexRetries: this.indexRetries,
      compensationRetries: this.compensationRetries,
      indexWritesSuperseded: this.indexWritesSuperseded,
      lockWaits: this.lockWaits,
      lockTimeouts: this.lockTimeouts,
      logWriteFailures: this.logWriteFailures,
      machineErrors: this.machineErrors,
    };
    for (const [state, recorder] of [...this.timeIn].sort(([a], [b]) => a.localeCompare(b))) {
      const summary = recorder.summary();
      if (summary.state !== 'measured') continue;
      out[`stateMs.${state}.p50`] = summary.p50;
      out[`stateMs.${state}.p99`] = summary.p99;
      out[`stateMs.${state}.max`] = summary.max;
      out[`stateMs.${state}.samples`] = summary.samples;
    }
    return out;
  }
}
