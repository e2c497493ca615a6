// Every pair of the tutorial-style connector corpus (test/fixtures/connectors/) run end to end
// through the cdc strategy on the real services, as the bench runs it (seed, a small mixed
// workload, quiesce, final comparison, teardown): a pair converge accepts must converge with the
// routing it worked out; a pair whose own semantics cannot mirror a table runs and is reported
// diverged; a pair converge refuses is refused before anything is created, with the reason.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { runStrategy } from '../../harness/run/run-strategy.ts';
import { parseScenario } from '../../harness/scenario/load.ts';
import { ConnectClient } from '../../harness/stores/connect-client.ts';
import { createKafka } from '../../harness/stores/kafka.ts';
import { StrategyWorker } from '../../harness/worker/strategy-worker.ts';
import { captureNames } from '../../strategies/cdc/capture-names.ts';
import { CORPUS, type CorpusPair } from '../fixtures/connectors/corpus.ts';

const endpoints = inject('endpoints');

/** A small scenario through one pair: seeded rows, then inserts, updates, increments and (optionally) deletes from two clients. */
function scenarioFor(pair: CorpusPair, deletes: boolean, convergenceTimeoutMs: number) {
  return parseScenario(
    `
name: corpus-${pair.name}
description: the ${pair.name} connector pair on a small mixed workload
entity:
  table: corpus
  columns:
    name: { type: varchar, length: 32 }
    counter: { type: bigint }
    active: { type: boolean }
    updated_at: { type: datetime }
seed:
  generate: { count: 6 }
phases:
  - name: mixed
    ops: 48
    concurrency: 2
    mix: { insert: 2, update: 2, increment: 2, delete: ${deletes ? 1 : 0} }
    increment: { column: counter, delta: 1 }
faults: []
strategies:
  cdc: { source: ${pair.source}, sink: ${pair.sink} }
expect:
  convergenceTimeoutMs: ${convergenceTimeoutMs}
`,
    {},
    `corpus-${pair.name}.yaml`,
  );
}

function run(pair: CorpusPair, deletes: boolean, convergenceTimeoutMs: number) {
  return runStrategy({
    strategy: 'cdc',
    scenario: scenarioFor(pair, deletes, convergenceTimeoutMs),
    seed: 11,
    endpoints,
    runId: `corpus-${randomUUID().slice(0, 6)}`,
    runDir: mkdtempSync(path.join(os.tmpdir(), 'converge-corpus-')),
    signal: new AbortController().signal,
    log: () => {},
    skipPerOpCost: true,
  });
}

/** Where each accepted pair's routing sends this run's changes (prefix: the run's topic prefix). */
const routedTopic: Record<string, (names: { prefix: string; database: string; table: string }) => string> = {
  'debezium-unwrap-smt': ({ table }) => table,
  'debezium-1x-legacy': ({ prefix, database, table }) => `${prefix}.${database}.${table}`,
  'logical-table-router': ({ prefix, database }) => `${prefix}.${database}.all_tables`,
  'regex-router-literal': ({ database, table }) => `${database}_${table}`,
  'tuned-options': ({ prefix, database, table }) => `${prefix}.${database}.${table}`,
};
/** Pairs that leave schema.ignore false: the sink puts the index mapping from the records' schema. */
const schemaMapped = new Set(['debezium-unwrap-smt', 'tuned-options']);

describe('the connector corpus on the real pipeline', () => {
  for (const pair of CORPUS.filter((p) => p.expect.outcome === 'converges')) {
    it(`${pair.name} converges (${pair.style})`, async () => {
      const { result, extras } = await run(pair, true, 45_000);
      const config = result.config as Record<string, unknown> | undefined;
      expect(result.convergence, JSON.stringify({ convergence: result.convergence, config })).toMatchObject({ state: 'checked', converged: true, missing: 0, extra: 0, mismatched: 0 });
      expect(result.ops.ok).toBeGreaterThan(40);
      expect(config?.sinkFailure).toBeNull();
      // The changes landed where the source's own routing sends them, and the sink read that topic.
      const topic = routedTopic[pair.name]!({ prefix: String(config?.connector), database: endpoints.mysql.database, table: extras.names.table });
      expect(config?.topic).toBe(topic);
      expect((config?.sinkChanges as string[])[0]).toContain(topic);
      const stats = result.stats as Record<string, number>;
      expect(stats).toMatchObject({ deadLettered: 0, taskFailures: 0, unversionedWrites: 0, mappingsPut: schemaMapped.has(pair.name) ? 1 : 0 });
      expect(stats.applied).toBeGreaterThan(40);
      expect(result.verdict).toBe('pass');
    });
  }

  for (const pair of CORPUS.filter((p) => p.expect.outcome === 'diverges')) {
    it(`${pair.name} runs as written and diverges: ${(pair.expect as { why: string }).why}`, async () => {
      const { result } = await run(pair, false, 4_000);
      expect(result.convergence).toMatchObject({ state: 'checked', converged: false, mismatched: 0 });
      if (result.convergence.state !== 'checked') return;
      // Every document sits under a topic+partition+offset id, none under a row id: every row is
      // missing, and every change (6 snapshot reads, then each insert and update) is an extra document.
      expect(result.convergence.missing).toBeGreaterThanOrEqual(6);
      expect(result.convergence.extra).toBeGreaterThan(result.convergence.missing);
      const topic = String((result.config as Record<string, unknown>).topic);
      expect(result.convergence.sampleIds.extraNonNumeric.every((id) => id.startsWith(`${topic}+0+`))).toBe(true);
      expect(result.verdict).toBe('fail');
    });
  }

  for (const pair of CORPUS.filter((p) => p.expect.outcome === 'refused')) {
    it(`${pair.name} is refused before anything starts`, async () => {
      const runId = `corpus-${randomUUID().slice(0, 6)}`;
      const table = `corpus_cdc_${randomUUID().slice(0, 6)}`;
      const worker = new StrategyWorker('cdc', {
        endpoints,
        runId,
        entity: { table: 'corpus', columns: { name: { type: 'varchar', length: 32, nullable: false } }, projection: { rename: {}, drop: [], computed: {} } },
        table,
        index: `converge-corpus-${table}`.toLowerCase(),
        concurrency: 1,
        options: { source: pair.source, sink: pair.sink },
      });
      try {
        await expect(worker.start()).rejects.toThrow((pair.expect as { reason: RegExp }).reason);
      } finally {
        await worker.stop();
      }
      const names = captureNames(runId, endpoints.mysql.database, table, 'x', 'dlq');
      expect(await new ConnectClient(endpoints.connect.url).status(names.prefix)).toBeFalsy();
      const admin = createKafka(endpoints.kafka, `corpus-${runId}`).admin();
      await admin.connect();
      try {
        expect((await admin.listTopics()).filter((topic) => topic.startsWith(names.prefix))).toEqual([]);
      } finally {
        await admin.disconnect();
      }
    });
  }
});
