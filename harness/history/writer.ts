// converge: the append-only history writer. It streams JSON lines to a file, numbering entries as
// they come, and honours back-pressure so memory stays bounded however long the run.
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import type { HistoryEntry } from './entry.ts';

export class HistoryWriter {
  readonly path: string;
  readonly #out: WriteStream;
  #next = 0;
  #closed = false;
  #error: Error | null = null;

  /** Creates (truncates) `path`. */
  constructor(path: string) {
    this.path = path;
    this.#out = createWriteStream(path, { flags: 'w', encoding: 'utf8' });
    this.#out.on('error', (error) => {
      this.#error = error;
    });
  }

  /** Entries appended so far. */
  get count(): number {
    return this.#next;
  }

  /**
   * Appends one entry, giving it the next `index`; resolves once the stream can take more. Appends
   * must not overlap in time order: await each, or accept that concurrent appends are numbered in
   * call order (they are — numbering is synchronous).
   */
  async append(entry: Omit<HistoryEntry, 'index'>): Promise<HistoryEntry> {
    if (this.#closed) throw new Error(`history ${this.path} is closed`);
    if (this.#error !== null) throw this.#error;
    const numbered: HistoryEntry = { index: this.#next++, ...entry };
    if (!this.#out.write(`${JSON.stringify(numbered)}\n`)) await once(this.#out, 'drain');
    return numbered;
  }

  /** Flushes and closes the file. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#out.end();
    await once(this.#out, 'finish');
    if (this.#error !== null) throw this.#error;
  }
}
