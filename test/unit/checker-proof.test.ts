// converge: the checker's own proof. Over 1,200 seeded synthetic runs (consistent histories and
// snapshots with randomly injected defects), the checker must report exactly the injected defects:
// the same counts and the same ids, no miss and no false alarm.
import { describe, expect, it } from 'vitest';
import { AnomalyChecker, type AnomalySample } from '../../harness/checker/anomalies.ts';
import { compareStores } from '../../harness/checker/convergence.ts';
import { DEFECTS, ENTITY, syntheticRun, type Defect } from './synthetic-run.ts';

const CASES = 1_200;

async function check(seed: number, maxDefects: number) {
  const run = syntheticRun(seed, maxDefects);
  const anomalies = new AnomalyChecker(ENTITY, run.seedRows, { sampleLimit: Infinity });
  await anomalies.consume(run.history);
  const convergence = await compareStores(ENTITY, run.mysql, run.index, {
    sampleLimit: Infinity,
    onIndexDoc: (doc) => anomalies.observeFinal(doc),
  });
  return { run, convergence, anomalies: anomalies.report() };
}

const bySample = (a: AnomalySample, b: AnomalySample): number => a.id - b.id || (a.read ?? Infinity) - (b.read ?? Infinity);

describe('the checker reports exactly the injected defects', () => {
  it(`over ${CASES} randomized runs: no miss, no false alarm`, async () => {
    const injected = new Map<Defect, number>(DEFECTS.map((d) => [d, 0]));
    const totals = { reads: 0, unknownWrites: 0, failedWrites: 0, reinserts: 0, clean: 0, unverifiable: 0, unjudged: 0 };
    for (let seed = 1; seed <= CASES; seed++) {
      const { run, convergence, anomalies } = await check(seed, seed % 10 === 0 ? 0 : 4);
      const where = `seed ${seed}, injected ${run.injected.join(', ') || 'nothing'}`;
      expect(convergence.sampleIds, where).toEqual({ missing: run.expected.missing, extra: run.expected.extra, mismatched: run.expected.mismatched });
      expect([convergence.missing, convergence.extra, convergence.mismatched], where).toEqual([
        run.expected.missing.length,
        run.expected.extra.length,
        run.expected.mismatched.length,
      ]);
      expect(convergence.converged, where).toBe(run.expected.missing.length + run.expected.extra.length + run.expected.mismatched.length === 0);
      for (const kind of ['dirtyReads', 'resurrections', 'versionRegressions', 'staleReads'] as const) {
        expect(anomalies[kind], `${where}: ${kind}`).toBe(run.expected.anomalies[kind].length);
        expect([...anomalies.samples[kind]].sort(bySample), `${where}: ${kind}`).toEqual(run.expected.anomalies[kind]);
      }
      if (anomalies.staleReads > 0) {
        // every injected stale read is one version and 15 ms (update acked at +5, read at +20) behind
        expect(anomalies.staleness.versions, where).toMatchObject({ state: 'measured', max: 1 });
        expect(anomalies.staleness.ms, where).toMatchObject({ state: 'measured', max: 15 });
      }
      for (const d of run.injected) injected.set(d, (injected.get(d) ?? 0) + 1);
      for (const k of ['reads', 'unknownWrites', 'failedWrites', 'reinserts'] as const) totals[k] += run.features[k];
      if (run.injected.length === 0) totals.clean++;
      totals.unverifiable += anomalies.unverifiableReads;
      totals.unjudged += anomalies.unjudgedKeys;
    }
    // The proof is not vacuous: every defect kind was injected many times, the consistent parts had
    // concurrency, failed and unknown writes and re-inserts, and many runs had no defect at all.
    for (const [defect, times] of injected) expect(times, defect).toBeGreaterThan(100);
    expect(totals.clean).toBeGreaterThan(150);
    expect(totals.reads).toBeGreaterThan(5_000);
    expect(totals.unknownWrites).toBeGreaterThan(1_000);
    expect(totals.failedWrites).toBeGreaterThan(1_000);
    expect(totals.reinserts).toBeGreaterThan(100);
    expect(totals.unverifiable).toBeGreaterThan(0);
    expect(totals.unjudged).toBeGreaterThan(0);
  });
});
