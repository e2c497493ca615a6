// `npm run bench:checker -- [--rows N]`: the convergence checker's own cost — time and peak memory
// to compare N rows against N documents (synthetic, streamed as the real final read streams them;
// a few injected differences so every branch runs). Pure CPU: no service is involved.
import { Command } from 'commander';
import { compareStores, projectRows, type IndexDoc } from '../checker/convergence.ts';
import { parseScenario } from '../scenario/load.ts';
import type { Row } from '../scenario/projection.ts';

const scenario = parseScenario(
  `
name: checker-bench
description: the shape of the projection scenario, for the checker benchmark
entity:
  table: people
  columns:
    name: { type: varchar, length: 64 }
    email: { type: varchar, length: 128 }
    amount: { type: int }
    score: { type: double }
    active: { type: boolean }
    joined: { type: datetime }
  projection:
    rename: { email: contact }
    computed: { label: { concat: [{ upper: { col: name } }, " #", { col: amount }] } }
phases:
  - { name: p, ops: 1, mix: { read: 1 } }
faults: []
`,
  {},
  'checker-bench.yaml',
);

function row(id: number): Row {
  return { id, version: 3, name: `name-${id}`, email: `u${id}@example.test`, amount: id % 977, score: id / 7, active: id % 2, joined: '2026-11-26 10:00:00' };
}

function* mysqlSide(rows: number): Generator<Row> {
  for (let id = 1; id <= rows; id++) if (id % 10_007 !== 0) yield row(id);
}

function* indexSide(rows: number): Generator<IndexDoc> {
  for (let id = 1; id <= rows; id++) {
    if (id % 20_011 === 0) continue;
    const doc = { id, version: 3, name: `name-${id}`, contact: `u${id}@example.test`, amount: id % 977, score: id / 7, active: id % 2 === 1, joined: '2026-11-26T10:00:00Z', label: `NAME-${id} #${id % 977}` };
    if (id % 30_011 === 0) doc.amount = -1;
    yield { id: String(id), source: doc };
  }
}

async function main(): Promise<void> {
  const opts = new Command('bench:checker').option('--rows <n>', 'rows on each side', '100000').parse(process.argv.slice(2), { from: 'user' }).opts<{ rows: string }>();
  const rows = Number(opts.rows);
  global.gc?.();
  const baseline = process.memoryUsage();
  let peakHeap = baseline.heapUsed;
  let peakRss = baseline.rss;
  // The comparison never yields to timers (its generators resolve at once), so memory is sampled
  // from inside the stream, every 1000 documents.
  function* sampled(docs: Iterable<IndexDoc>): Generator<IndexDoc> {
    let n = 0;
    for (const doc of docs) {
      if (++n % 1000 === 0) {
        const now = process.memoryUsage();
        peakHeap = Math.max(peakHeap, now.heapUsed);
        peakRss = Math.max(peakRss, now.rss);
      }
      yield doc;
    }
  }
  const started = performance.now();
  const report = await compareStores(scenario.entity, projectRows(scenario.entity, mysqlSide(rows)), sampled(indexSide(rows)));
  const ms = performance.now() - started;
  const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
  process.stdout.write(
    `${JSON.stringify({ rows, ms: Math.round(ms), rowsPerSec: Math.round((rows / ms) * 1000), missing: report.missing, extra: report.extra, mismatched: report.mismatched, heapGrowthMb: Number(mb(peakHeap - baseline.heapUsed)), peakRssMb: Number(mb(peakRss)) })}\n`,
  );
}

await main();
