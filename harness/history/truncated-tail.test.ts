// A history whose writer was killed mid-line: the cut last line is skipped and reported when the
// reader asks for it, and still refused otherwise; a malformed line elsewhere always throws.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HistoryEntry } from './entry.ts';
import { HistoryFormatError, readHistory, type TruncatedTail } from './reader.ts';

const op = { index: 0, phase: 'p', kind: 'update' as const, id: 1, values: { n: 2 } };
const lines = [
  JSON.stringify({ index: 0, process: 0, type: 'invoke', op, time: 1 }),
  JSON.stringify({ index: 1, process: 0, type: 'ok', op, time: 2, value: { id: 1, n: 2, version: 2 }, version: 2 }),
  JSON.stringify({ index: 2, process: 0, type: 'invoke', op: { ...op, index: 1 }, time: 3 }),
];

async function read(text: string, tolerate: boolean): Promise<{ entries: HistoryEntry[]; tail: TruncatedTail | null }> {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'converge-tail-')), 'h.jsonl');
  writeFileSync(file, text);
  const entries: HistoryEntry[] = [];
  let tail: TruncatedTail | null = null;
  for await (const entry of readHistory(file, tolerate ? { onTruncatedTail: (t) => (tail = t) } : {})) entries.push(entry);
  return { entries, tail };
}

describe('a history cut short', () => {
  const cut = `${lines.join('\n')}\n${lines[2]!.replace('"invoke"', '"ok"').slice(0, 25)}`;

  it('skips and reports a last line cut mid-way when asked', async () => {
    const { entries, tail } = await read(cut, true);
    expect(entries.map((e) => e.index)).toEqual([0, 1, 2]);
    expect(tail).toEqual({ line: 4, chars: 25 });
  });

  it('refuses it otherwise', async () => {
    await expect(read(cut, false)).rejects.toThrow(HistoryFormatError);
  });

  it('reads a whole last line without a newline as an entry', async () => {
    const { entries, tail } = await read(lines.join('\n'), true);
    expect(entries).toHaveLength(3);
    expect(tail).toBeNull();
  });

  it('refuses a malformed line that is not the last, and a cut line followed by a newline', async () => {
    await expect(read(`${lines[0]}\n{"index": 1,\n${lines[2]}\n`, true)).rejects.toThrow(/h\.jsonl:2: not JSON/);
    await expect(read(`${cut}\n`, true)).rejects.toThrow(/h\.jsonl:4: not JSON/);
  });
});
