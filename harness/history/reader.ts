// converge: the streaming history reader — one validated entry at a time, never the whole file.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { historyEntrySchema, type HistoryEntry } from './entry.ts';

/** A line that is not a valid history entry. */
export class HistoryFormatError extends Error {
  override readonly name = 'HistoryFormatError';
}

/** Yields the entries of a JSONL history file in order; a malformed line throws HistoryFormatError. */
export async function* readHistory(path: string): AsyncGenerator<HistoryEntry> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let lineNo = 0;
  for await (const line of lines) {
    lineNo++;
    if (line.trim() === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (error) {
      throw new HistoryFormatError(`${path}:${lineNo}: not JSON (${error instanceof Error ? error.message : String(error)})`);
    }
    const parsed = historyEntrySchema.safeParse(json);
    if (!parsed.success) throw new HistoryFormatError(`${path}:${lineNo}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    yield parsed.data;
  }
}
