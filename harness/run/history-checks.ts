// The checks of a pair's whole history against the final stores, sharing one read of each: the
// history file is streamed once into the anomaly checker and the lost-write checker, then the stores
// are compared once more, the index documents going to the first and MySQL's rows to the second.
// Each check's outcome is its own (Jepsen's rule: a check that throws is `crashed`, never a pass,
// and it does not stop the other); a history or a comparison that cannot be read crashes both.
import { AnomalyChecker, type AnomalyReport } from '../checker/anomalies.ts';
import { LostWriteChecker, type LostWriteReport } from '../checker/lost-writes.ts';
import type { Outcome } from '../checker/verdict.ts';
import { readHistory } from '../history/reader.ts';
import type { Row } from '../scenario/projection.ts';
import { compareSnapshot, type SnapshotSources } from './final-read.ts';

export interface HistoryChecks {
  anomalies: Outcome<AnomalyReport>;
  lostWrites: Outcome<LostWriteReport>;
}

const errorText = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

/** One checker fed step by step: its first throw is kept and it is fed no more. */
class Guarded<T> {
  #error: string | null = null;
  constructor(readonly checker: T) {}

  feed(step: (checker: T) => void): void {
    if (this.#error !== null) return;
    try {
      step(this.checker);
    } catch (error) {
      this.#error = errorText(error);
    }
  }

  outcome<R>(report: (checker: T) => R): Outcome<R> {
    if (this.#error !== null) return { state: 'crashed', error: this.#error };
    try {
      return { state: 'done', value: report(this.checker) };
    } catch (error) {
      return { state: 'crashed', error: errorText(error) };
    }
  }
}

/** Judges `historyFile` against the stores of `sources`, with the scenario's seed rows as the starting state. */
export async function checkHistory(historyFile: string, seedRows: readonly Row[], sources: SnapshotSources): Promise<HistoryChecks> {
  try {
    return await checkBoth(historyFile, seedRows, sources);
  } catch (error) {
    const crashed = { state: 'crashed' as const, error: errorText(error) };
    return { anomalies: crashed, lostWrites: crashed };
  }
}

async function checkBoth(historyFile: string, seedRows: readonly Row[], sources: SnapshotSources): Promise<HistoryChecks> {
  const anomalies = new Guarded(new AnomalyChecker(sources.entity, seedRows));
  const lostWrites = new Guarded(new LostWriteChecker(seedRows));
  for await (const entry of readHistory(historyFile)) {
    anomalies.feed((c) => c.add(entry));
    lostWrites.feed((c) => c.add(entry));
  }
  await compareSnapshot(sources, {
    onIndexDoc: (doc) => anomalies.feed((c) => c.observeFinal(doc)),
    onMysqlRow: (row) => lostWrites.feed((c) => c.observeRow(row)),
  });
  anomalies.feed((c) => c.endFinal());
  lostWrites.feed((c) => c.endFinal());
  return { anomalies: anomalies.outcome((c) => c.report()), lostWrites: lostWrites.outcome((c) => c.report()) };
}
