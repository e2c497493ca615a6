// What the strategy integration tests (saga, 2pc) share: the small entity they write (a name, an
// amount the index maps as an `integer`, a counter), the value OpenSearch refuses for it, op
// builders, reading a row as committed, the index write block that keeps transactions in flight
// (OpenSearch's read-only-allow-delete answers every write with 429, which strategies retry), the
// convergence check after a strategy says it is quiet, and a shipped scenario run through the harness.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type mysql from 'mysql2/promise';
import { expect } from 'vitest';
import type { Endpoints } from '../../harness/env/endpoints.ts';
import { REPO_ROOT } from '../../harness/env/state.ts';
import type { ScenarioResult } from '../../harness/results/schema.ts';
import { compareSnapshot } from '../../harness/run/final-read.ts';
import { runStrategy } from '../../harness/run/run-strategy.ts';
import { loadScenario } from '../../harness/scenario/load.ts';
import type { Entity } from '../../harness/scenario/schema.ts';
import type { SearchPort } from '../../harness/stores/search/search-port.ts';
import type { StrategyWorker } from '../../harness/worker/strategy-worker.ts';
import type { Op } from '../../harness/workload/op.ts';

/** A BIGINT that MySQL takes and OpenSearch refuses in an `integer` field (mapper_parsing_exception). */
export const POISON = 9_999_999_999;

export function counterEntity(table: string): Entity {
  return {
    table,
    columns: {
      name: { type: 'varchar', length: 32, nullable: false },
      amount: { type: 'bigint', nullable: false, indexType: 'integer' },
      counter: { type: 'bigint', nullable: false },
    },
    projection: { rename: {}, drop: [], computed: {} },
  };
}

/** Op builders numbering their ops in one phase `it`. */
export function opBuilder() {
  let step = 0;
  const op = (kind: Op['kind'], id: number, values?: Record<string, string | number>): Op => ({ index: step++, phase: 'it', kind, id, ...(values ? { values } : {}) });
  const increment = (id: number): Op => ({ ...op('increment', id), column: 'counter', delta: 1 });
  return { op, increment };
}

/** The row as committed, numbers as numbers; null when absent. */
export async function counterRow(pool: mysql.Pool, table: string, id: number): Promise<(Record<string, unknown> & { id: number; version: number }) | null> {
  const [rows] = await pool.query<mysql.RowDataPacket[]>(`SELECT * FROM \`${table}\` WHERE id = ?`, [id]);
  const row = rows[0];
  return row ? { ...row, id: Number(row.id), version: Number(row.version), amount: Number(row.amount), counter: Number(row.counter) } : null;
}

/** Makes the index refuse (429) or take writes again. */
export async function setWriteBlock(searchUrl: string, index: string, blocked: boolean): Promise<void> {
  const response = await fetch(`${searchUrl}/${index}/_settings`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ 'index.blocks.read_only_allow_delete': blocked ? true : null }),
  });
  expect(response.status).toBe(200);
}

/** The strategy is quiet within a minute, then the table and the index agree row by row. */
export async function expectConverged(worker: StrategyWorker, stores: { pool: mysql.Pool; search: SearchPort; entity: Entity; table: string; index: string }): Promise<void> {
  const quiet = await worker.quiesce(60_000);
  expect(quiet.quiet, quiet.detail).toBe(true);
  const report = await compareSnapshot(stores);
  expect(report, JSON.stringify(report.sampleIds)).toMatchObject({ converged: true, missing: 0, extra: 0, mismatched: 0 });
}

/** One pair (strategy × shipped scenario, with param overrides) through the whole harness, as the bench runs it, without the per-op cost. */
export async function runShippedScenario(endpoints: Endpoints, strategy: string, name: string, params: Record<string, string>): Promise<ScenarioResult> {
  const scenario = await loadScenario(path.join(REPO_ROOT, 'scenarios', `${name}.yaml`), params);
  const { result } = await runStrategy({
    strategy,
    scenario,
    seed: 11,
    endpoints,
    runId: `it-${strategy}`,
    runDir: mkdtempSync(path.join(os.tmpdir(), `converge-${strategy}-run-`)),
    signal: new AbortController().signal,
    log: () => {},
    skipPerOpCost: true,
  });
  return result;
}
