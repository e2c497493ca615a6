// Binlog positions of change events and the external versions derived from them. A change's place
// in the binlog (file, byte position of its row event, row within that event) grows with commit
// order, survives topic replays and recreation, and is the same however often Kafka redelivers the
// event — unlike the Kafka offset (confluentinc/kafka-connect-elasticsearch#142).

export interface BinlogPosition {
  /** The binlog file name, e.g. `mysql-bin.000004`. */
  file: string;
  /** Byte position of the event in the file. */
  pos: number;
  /** Row within the event (0 for its first row). */
  row: number;
}

const POS_SPAN = 2 ** 32;
const MAX_FILE_SEQUENCE = Math.floor(Number.MAX_SAFE_INTEGER / POS_SPAN);

/** The sequence number of a binlog file: the digits after its last dot (`mysql-bin.000004` → 4). */
export function fileSequence(file: string): number {
  const match = /\.(\d+)$/.exec(file);
  if (!match) throw new RangeError(`not a binlog file name: ${JSON.stringify(file)}`);
  return Number(match[1]);
}

/** Negative, zero or positive as `a` comes before, at or after `b` in the binlog. */
export function compareBinlog(a: BinlogPosition, b: BinlogPosition): number {
  return fileSequence(a.file) - fileSequence(b.file) || a.pos - b.pos || a.row - b.row;
}

/**
 * The external version of the change at `position`: fileSequence × 2^32 + pos + row. Every row of
 * an event takes at least one byte, so pos + row stays below the next event's position and the
 * versions of distinct changes differ and follow binlog order. Fits a safe integer (and the
 * engines' signed 64-bit version) for 2,097,151 files of up to 4 GiB each. A snapshot read carries
 * the binlog position the snapshot was taken at, row 0; every change streamed after it sits past
 * that position, so it versions above the snapshot's read of the same row.
 */
export function binlogVersion(position: BinlogPosition): number {
  const sequence = fileSequence(position.file);
  if (sequence > MAX_FILE_SEQUENCE) throw new RangeError(`binlog file sequence ${sequence} exceeds ${MAX_FILE_SEQUENCE}`);
  if (position.pos + position.row >= POS_SPAN) throw new RangeError(`binlog position ${position.pos}+${position.row} exceeds 2^32`);
  return sequence * POS_SPAN + position.pos + position.row;
}

/** The position in a Debezium `source` block (`file`, `pos`, `row`), or null when it has none. */
export function sourcePosition(source: unknown): BinlogPosition | null {
  if (typeof source !== 'object' || source === null) return null;
  const { file, pos, row } = source as { file?: unknown; pos?: unknown; row?: unknown };
  if (typeof file !== 'string' || file === '' || typeof pos !== 'number') return null;
  return { file, pos, row: typeof row === 'number' ? row : 0 };
}

export const formatBinlog = (p: { file: string; pos: number }): string => `${p.file}:${p.pos}`;
