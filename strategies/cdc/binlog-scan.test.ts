// Finding a table's last row event among binlog events, by the table ids its Table_map events give.
import { describe, expect, it } from 'vitest';
import { TableEventScanner } from './binlog-scan.ts';

const event = (Pos: number, Event_type: string, Info: string) => ({ Log_name: 'mysql-bin.000004', Pos, Event_type, Info });

describe('table event scanner', () => {
  it('finds the last row event of the table and ignores other tables', () => {
    const scanner = new TableEventScanner('converge.t');
    for (const e of [
      event(100, 'Gtid', 'BEGIN GTID 0-1-5'),
      event(140, 'Table_map', 'table_id: 35 (converge.t)'),
      event(190, 'Write_rows_v1', 'table_id: 35 flags: STMT_END_F'),
      event(250, 'Xid', 'COMMIT /* xid=9 */'),
      event(300, 'Table_map', 'table_id: 36 (converge.other)'),
      event(350, 'Update_rows', 'table_id: 36 flags: STMT_END_F'),
    ]) {
      scanner.feed(e);
    }
    expect(scanner.last).toEqual({ file: 'mysql-bin.000004', pos: 190 });
  });

  it('forgets a table id once it maps another table', () => {
    const scanner = new TableEventScanner('converge.t');
    scanner.feed(event(140, 'Table_map', 'table_id: 35 (converge.t)'));
    scanner.feed(event(300, 'Table_map', 'table_id: 35 (converge.u)'));
    scanner.feed(event(350, 'Delete_rows_v1', 'table_id: 35 flags: STMT_END_F'));
    expect(scanner.last).toBeNull();
  });
});
