// converge: the history file — numbered JSONL appended under back-pressure, read back entry by
// entry, and a malformed line named by its line number.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { monotonicMs, type HistoryEntry } from './entry.ts';
import { HistoryFormatError, readHistory } from './reader.ts';
import { HistoryWriter } from './writer.ts';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'converge-history-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function collect(path: string): Promise<HistoryEntry[]> {
  const out: HistoryEntry[] = [];
  for await (const entry of readHistory(path)) out.push(entry);
  return out;
}

describe('history', () => {
  it('numbers entries in append order and reads them back as written', async () => {
    const path = join(dir, 'h.jsonl');
    const writer = new HistoryWriter(path);
    const op = { index: 0, phase: 'p', kind: 'insert' as const, id: 3, values: { n: 1 } };
    const t = monotonicMs();
    await writer.append({ process: 0, type: 'invoke', op, time: t });
    await writer.append({ process: 0, type: 'ok', op, time: t + 1.5, value: { id: 3, n: 1, version: 1 }, version: 1 });
    const read = { index: 0, phase: 'q', kind: 'read' as const, id: 3 };
    await writer.append({ process: 1, type: 'invoke', op: read, time: t + 2 });
    await writer.append({ process: 1, type: 'ok', op: read, time: t + 3, store: 'index', value: { found: true, doc: { id: 3, n: 1, version: 1 }, version: 1 }, version: 1 });
    await writer.close();
    const entries = await collect(path);
    expect(entries.map((e) => [e.index, e.type, e.op.kind])).toEqual([
      [0, 'invoke', 'insert'],
      [1, 'ok', 'insert'],
      [2, 'invoke', 'read'],
      [3, 'ok', 'read'],
    ]);
    expect(entries[3]).toMatchObject({ store: 'index', version: 1, value: { found: true } });
    expect((await readFile(path, 'utf8')).split('\n')).toHaveLength(5);
  });

  it('streams a large history through bounded buffers', async () => {
    const path = join(dir, 'big.jsonl');
    const writer = new HistoryWriter(path);
    const padding = 'x'.repeat(200);
    for (let i = 0; i < 20_000; i++) {
      const op = { index: i, phase: 'p', kind: 'update' as const, id: i + 1, values: { s: padding } };
      await writer.append({ process: i % 8, type: i % 2 === 0 ? 'invoke' : 'ok', op, time: i });
    }
    await writer.close();
    let count = 0;
    for await (const entry of readHistory(path)) {
      expect(entry.index).toBe(count++);
    }
    expect(count).toBe(20_000);
    await expect(writer.append({ process: 0, type: 'invoke', op: { index: 0, phase: 'p', kind: 'read', id: 1 }, time: 0 })).rejects.toThrow(/closed/);
  });

  it('names the line of a malformed entry', async () => {
    const path = join(dir, 'bad.jsonl');
    const good = { index: 0, process: 0, type: 'invoke', op: { index: 0, phase: 'p', kind: 'read', id: 1 }, time: 1 };
    await writeFile(path, `${JSON.stringify(good)}\n${JSON.stringify({ ...good, type: 'maybe' })}\n`);
    await expect(collect(path)).rejects.toThrow(HistoryFormatError);
    await expect(collect(path)).rejects.toThrow(/bad\.jsonl:2: type/);
    await writeFile(path, '{not json\n');
    await expect(collect(path)).rejects.toThrow(/bad\.jsonl:1: not JSON/);
  });
});
