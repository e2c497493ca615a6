// converge: the checker's own proof. Over thousands of seeded synthetic runs, the checker must
// report exactly what is wrong and nothing else: (1) consistent histories and snapshots with
// randomly injected defects — divergence, right bodies under wrong `_id`s, values a lenient
// normalisation would call equal, each anomaly kind, and acknowledged writes lost in both stores,
// injected concurrently with other writes on the same key — must be reported with the same counts
// and the same ids, no miss and no false alarm; (2) a correct index that lags (each key's changes
// applied in order, late, with and without redeliveries) must raise no alarm at all: stale reads
// are expected, nothing else, and MySQL, which holds every acknowledged write, loses none.
import { describe, expect, it } from 'vitest';
import { AnomalyChecker, type AnomalySample } from '../../harness/checker/anomalies.ts';
import { compareStores } from '../../harness/checker/convergence.ts';
import { LostWriteChecker } from '../../harness/checker/lost-writes.ts';
import { DEFECTS, ENTITY, syntheticRun, type Defect, type IndexModel, type SyntheticRun } from './synthetic-run.ts';

const CASES = 1_200;

async function check(run: SyntheticRun) {
  const anomalies = new AnomalyChecker(ENTITY, run.seedRows, { sampleLimit: Infinity });
  const lostWrites = new LostWriteChecker(run.seedRows, { sampleLimit: Infinity });
  await anomalies.consume(run.history);
  await lostWrites.consume(run.history);
  const rows = new Map(run.mysql.map((doc) => [doc.id, doc]));
  const convergence = await compareStores(ENTITY, run.mysql, run.index, {
    sampleLimit: Infinity,
    lookupRow: (id) => rows.get(id) ?? null,
    onIndexDoc: (doc) => anomalies.observeFinal(doc),
  });
  for (const row of run.mysql) lostWrites.observeRow(row);
  anomalies.endFinal();
  lostWrites.endFinal();
  return { convergence, anomalies: anomalies.report(), lostWrites: lostWrites.report() };
}

const bySample = (a: AnomalySample, b: AnomalySample): number => a.id - b.id || (a.read ?? Infinity) - (b.read ?? Infinity);

describe('the checker reports exactly the injected defects', () => {
  it(`over ${CASES} randomized runs: no miss, no false alarm`, async () => {
    const injected = new Map<Defect, number>(DEFECTS.map((d) => [d, 0]));
    const totals = { reads: 0, unknownWrites: 0, failedWrites: 0, reinserts: 0, clean: 0, unverifiable: 0, unjudged: 0, misplaced: 0, keysJudged: 0, keysUnjudged: 0 };
    for (let seed = 1; seed <= CASES; seed++) {
      const run = syntheticRun(seed, seed % 10 === 0 ? 0 : 5);
      const { convergence, anomalies, lostWrites } = await check(run);
      const where = `seed ${seed}, injected ${run.injected.join(', ') || 'nothing'}`;
      const { expected } = run;
      const { missing, extra, mismatched, extraNonNumeric } = convergence.sampleIds;
      expect({ missing, extra, mismatched, extraNonNumeric: [...extraNonNumeric].sort() }, where).toEqual({
        missing: expected.missing,
        extra: expected.extra,
        mismatched: expected.mismatched,
        extraNonNumeric: expected.extraNonNumeric,
      });
      expect([convergence.missing, convergence.extra, convergence.mismatched], where).toEqual([
        expected.missing.length,
        expected.extra.length + expected.extraNonNumeric.length,
        expected.mismatched.length,
      ]);
      expect(convergence.converged, where).toBe(expected.missing.length + expected.extra.length + expected.extraNonNumeric.length + expected.mismatched.length === 0);
      for (const { id, fields, exactly } of expected.fields) {
        const seen = convergence.mismatchedFields.find((m) => m.id === id)?.fields ?? [];
        if (exactly) expect(seen, `${where}: fields of ${id}`).toEqual(fields);
        else expect(seen, `${where}: fields of ${id}`).toEqual(expect.arrayContaining(fields));
      }
      for (const kind of ['dirtyReads', 'resurrections', 'versionRegressions', 'staleReads'] as const) {
        expect(anomalies[kind], `${where}: ${kind}`).toBe(expected.anomalies[kind].length);
        expect([...anomalies.samples[kind]].sort(bySample), `${where}: ${kind}`).toEqual(expected.anomalies[kind]);
      }
      expect(lostWrites.samples, `${where}: lost writes`).toEqual(expected.lostWrites);
      expect(lostWrites.lost, `${where}: lost writes`).toBe(expected.lostWrites.length);
      totals.keysJudged += lostWrites.judgedKeys;
      totals.keysUnjudged += lostWrites.unjudgedKeys;
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
      totals.misplaced += convergence.misplaced;
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
    expect(totals.misplaced).toBeGreaterThan(300);
    expect(totals.keysJudged).toBeGreaterThan(5_000);
    expect(totals.keysUnjudged).toBeGreaterThan(500);
  });
});

describe('the checker raises no alarm on a correct index that lags', () => {
  it.each(['lagging', 'redelivering'] as const satisfies readonly IndexModel[])(`over ${CASES} runs whose reads see a %s index: zero dirty reads, resurrections, regressions`, async (model) => {
    const totals = { reads: 0, laggingReads: 0, lagLookalikes: 0, replays: 0, rejected: 0, staleReads: 0, judgedResurrections: 0, judgedRegressions: 0, deletedKeys: 0, keysJudged: 0 };
    for (let seed = 1; seed <= CASES; seed++) {
      const run = syntheticRun(seed, 0, model);
      const { convergence, anomalies, lostWrites } = await check(run);
      const where = `${model} seed ${seed}`;
      expect([anomalies.dirtyReads, anomalies.resurrections, anomalies.versionRegressions], where).toEqual([0, 0, 0]);
      expect(lostWrites.samples, where).toEqual([]);
      totals.keysJudged += lostWrites.judgedKeys;
      expect(convergence, where).toMatchObject({ converged: true, missing: 0, extra: 0, mismatched: 0, misplaced: 0 });
      for (const k of ['reads', 'laggingReads', 'lagLookalikes', 'replays', 'rejected'] as const) totals[k] += run.features[k];
      totals.staleReads += anomalies.staleReads;
      totals.judgedResurrections += anomalies.judged.resurrections;
      totals.judgedRegressions += anomalies.judged.versionRegressions;
      totals.deletedKeys += anomalies.finalKeysJudged;
    }
    // Not vacuous: many reads saw the index behind MySQL, stale reads were measured, and many reads
    // had the shape a careless resurrection rule flags (delete acknowledged, absence seen, then the
    // document seen again because the insert arrived late); redeliveries were replayed and rejected.
    expect(totals.reads).toBeGreaterThan(30_000);
    expect(totals.laggingReads).toBeGreaterThan(10_000);
    expect(totals.staleReads).toBeGreaterThan(4_000);
    expect(totals.lagLookalikes).toBeGreaterThan(300);
    expect(totals.judgedResurrections).toBeGreaterThan(7_000);
    expect(totals.judgedRegressions).toBeGreaterThan(20_000);
    expect(totals.deletedKeys).toBeGreaterThan(2_000);
    expect(totals.keysJudged).toBeGreaterThan(3_000);
    if (model === 'redelivering') expect(totals.rejected).toBeGreaterThan(8_000);
    else expect(totals.replays).toBe(0);
  });
});
