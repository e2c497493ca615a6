// converge: the streaming history reader — one validated entry at a time, never the whole file.
// A writer killed mid-line (SIGKILL) leaves a last line with no newline that is not JSON: a reader
// that asks for it (`onTruncatedTail`) is told and the line is skipped; anywhere else, or without
// that option, a malformed line throws.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { historyEntrySchema, type HistoryEntry } from './entry.ts';

/** A line that is not a valid history entry. */
export class HistoryFormatError extends Error {
  override readonly name = 'HistoryFormatError';
}

/** The cut-short last line of a history. */
export interface TruncatedTail {
  /** 1-based line number. */
  readonly line: number;
  /** Its length in characters. */
  readonly chars: number;
}

export interface ReadHistoryOptions {
  /** Tolerate a cut-short last line (no newline after it, not JSON): skip it and report it here. */
  readonly onTruncatedTail?: (tail: TruncatedTail) => void;
}

async function endsWithNewline(path: string): Promise<boolean> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    if (size === 0) return true;
    const last = Buffer.alloc(1);
    await file.read(last, 0, 1, size - 1);
    return last[0] === 0x0a;
  } finally {
    await file.close();
  }
}

/** Yields the entries of a JSONL history file in order; a malformed line throws HistoryFormatError. */
export async function* readHistory(path: string, options: ReadHistoryOptions = {}): AsyncGenerator<HistoryEntry> {
  const unterminated = options.onTruncatedTail !== undefined && !(await endsWithNewline(path));
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  const parse = (line: string, lineNo: number): unknown => {
    try {
      return JSON.parse(line);
    } catch (error) {
      throw new HistoryFormatError(`${path}:${lineNo}: not JSON (${error instanceof Error ? error.message : String(error)})`);
    }
  };
  const validate = (json: unknown, lineNo: number): HistoryEntry => {
    const parsed = historyEntrySchema.safeParse(json);
    if (!parsed.success) throw new HistoryFormatError(`${path}:${lineNo}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    return parsed.data;
  };
  // One line of lookahead, so the last line is known as the last.
  let held: { line: string; lineNo: number } | null = null;
  let lineNo = 0;
  for await (const line of lines) {
    lineNo++;
    if (held !== null && held.line.trim() !== '') yield validate(parse(held.line, held.lineNo), held.lineNo);
    held = { line, lineNo };
  }
  if (held === null || held.line.trim() === '') return;
  let json: unknown;
  try {
    json = parse(held.line, held.lineNo);
  } catch (error) {
    if (!unterminated) throw error;
    options.onTruncatedTail?.({ line: held.lineNo, chars: held.line.length });
    return;
  }
  yield validate(json, held.lineNo);
}
