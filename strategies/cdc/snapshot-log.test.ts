// Reading the snapshot's lock time and duration from Debezium's log lines, for the right table.
import { describe, expect, it } from 'vitest';
import { parseSnapshotLog } from './snapshot-log.ts';

const log = (table: string, lock: string, at: string) => [
  `[2026-11-26 21:17:${at},329] INFO Snapshot step 3 - Locking captured tables [converge.${table}] (io.debezium.relational.RelationalSnapshotChangeEventSource)`,
  `[2026-11-26 21:17:${at},760] INFO Writes to MySQL tables prevented for a total of ${lock} (io.debezium.connector.binlog.BinlogSnapshotChangeEventSource)`,
  `[2026-11-26 21:17:${at},805] INFO 	 Finished exporting 2000 records for table 'converge.${table}' (1 of 1 tables); total duration '00:00:01.027' (io.debezium.relational.RelationalSnapshotChangeEventSource)`,
  `[2026-11-26 21:17:${at},811] INFO Snapshot completed (io.debezium.pipeline.source.AbstractSnapshotChangeEventSource)`,
].join('\n');

describe('snapshot log', () => {
  it('reads lock time, export and duration of the latest snapshot of the table', () => {
    const text = [log('t', '00:00:09.000', '01'), log('other', '00:00:05.000', '05'), log('t', '00:00:00.391', '11')].join('\n');
    expect(parseSnapshotLog(text, 'converge.t')).toEqual({ lockMs: 391, records: 2000, exportMs: 1027, durationMs: 482 });
  });

  it('says nothing when the table was never snapshotted', () => {
    expect(parseSnapshotLog(log('t', '00:00:00.391', '11'), 'converge.u')).toBeNull();
  });
});
