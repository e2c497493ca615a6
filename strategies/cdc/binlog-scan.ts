// What quiesce asks MySQL about its binlog: where it ends now (`SHOW MASTER STATUS`; MariaDB 10.5.2+
// also says `SHOW BINLOG STATUS`), and where the last row event of one table lies between two
// positions (`SHOW BINLOG EVENTS`, following Table_map events to the table's ids). The second
// settles the quiet case: when nothing else writes, Debezium's committed offset stays at the start
// of the last transaction it saw, short of the binlog's end, and only the events can tell whether
// anything of the table lies beyond what the sink has applied.
import type mysql from 'mysql2/promise';

export interface BinlogPoint {
  file: string;
  pos: number;
}

export interface BinlogEventRow {
  Log_name: string;
  Pos: number;
  Event_type: string;
  Info: string;
}

export async function binlogEnd(pool: mysql.Pool): Promise<BinlogPoint> {
  const [rows] = await pool.query<mysql.RowDataPacket[]>('SHOW MASTER STATUS');
  const row = rows[0];
  if (!row) throw new Error('SHOW MASTER STATUS returned nothing: is the binlog on?');
  return { file: String(row.File), pos: Number(row.Position) };
}

const TABLE_MAP = /^table_id: (\d+) \(([^)]+)\)/;
const ROW_EVENT = /^(Write|Update|Delete)_rows/;

/** Scans events in order, remembering which table ids are `qualifiedTable`; the last row event of it, or null. */
export class TableEventScanner {
  private readonly ids = new Set<string>();
  last: BinlogPoint | null = null;

  constructor(private readonly qualifiedTable: string) {}

  feed(event: BinlogEventRow): void {
    if (event.Event_type === 'Table_map') {
      const match = TABLE_MAP.exec(event.Info);
      if (!match) return;
      if (match[2] === this.qualifiedTable) this.ids.add(match[1]!);
      else this.ids.delete(match[1]!);
      return;
    }
    if (!ROW_EVENT.test(event.Event_type)) return;
    const id = /^table_id: (\d+)/.exec(event.Info)?.[1];
    if (id !== undefined && this.ids.has(id)) this.last = { file: event.Log_name, pos: Number(event.Pos) };
  }
}

/** The last row event of `qualifiedTable` in [from, to): `from` must be an event boundary (a connector offset is). */
export async function lastTableRowEvent(pool: mysql.Pool, qualifiedTable: string, from: BinlogPoint, to: BinlogPoint, pageSize = 5000): Promise<BinlogPoint | null> {
  const [logs] = await pool.query<mysql.RowDataPacket[]>('SHOW BINARY LOGS');
  const files = logs.map((row) => String(row.Log_name));
  const first = files.indexOf(from.file);
  const lastFile = files.indexOf(to.file);
  const scanner = new TableEventScanner(qualifiedTable);
  for (let f = Math.max(first, 0); f <= lastFile && f >= 0; f++) {
    const file = files[f]!;
    const start = file === from.file ? from.pos : 4;
    for (let skip = 0; ; skip += pageSize) {
      const [events] = await pool.query<mysql.RowDataPacket[]>(`SHOW BINLOG EVENTS IN ? FROM ${Number(start)} LIMIT ${skip}, ${pageSize}`, [file]);
      let done = events.length < pageSize;
      for (const event of events as unknown as BinlogEventRow[]) {
        if (file === to.file && Number(event.Pos) >= to.pos) {
          done = true;
          break;
        }
        scanner.feed(event);
      }
      if (done) break;
    }
  }
  return scanner.last;
}
