// The snapshot's duration and global-lock time as Debezium reports them. Connect's JMX is not
// reachable here, so they are read from the worker's log: Debezium logs "Snapshot step 3 - Locking
// captured tables [db.table]", "Writes to MySQL tables prevented for a total of HH:MM:SS.mmm",
// "Finished exporting N records for table 'db.table' ...; total duration 'HH:MM:SS.mmm'" and
// "Snapshot completed". Parsing is pure; finding the log reads the env's state files.
import { closeSync, existsSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import { readState, REPO_ROOT } from '../../harness/env/state.ts';

export interface SnapshotReport {
  /** How long writes were blocked by the global read lock, in ms. */
  lockMs: number | null;
  /** Rows exported and how long the export took, in ms. */
  records: number | null;
  exportMs: number | null;
  /** From locking the tables to "Snapshot completed", in ms (log timestamps). */
  durationMs: number | null;
}

const duration = (text: string): number => {
  const [h, m, s] = text.split(':');
  return Math.round((Number(h) * 3600 + Number(m) * 60 + Number(s)) * 1000);
};
const stamp = (line: string): number | null => {
  const match = /^\[(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}),(\d{3})\]/.exec(line);
  return match ? Date.parse(`${match[1]}T${match[2]}.${match[3]}Z`) : null;
};

/** The last snapshot of `qualifiedTable` (`db.table`) in a Connect log, or null when none is logged. */
export function parseSnapshotLog(text: string, qualifiedTable: string): SnapshotReport | null {
  const lines = text.split('\n');
  const lockLine = `Locking captured tables [${qualifiedTable}]`;
  let start = -1;
  for (let i = lines.length - 1; i >= 0; i--) {
    if (lines[i]!.includes(lockLine)) {
      start = i;
      break;
    }
  }
  if (start < 0) return null;
  const report: SnapshotReport = { lockMs: null, records: null, exportMs: null, durationMs: null };
  const began = stamp(lines[start]!);
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i]!;
    const lock = /Writes to MySQL tables prevented for a total of (\d+:\d+:[\d.]+)/.exec(line);
    if (lock && report.lockMs === null) report.lockMs = duration(lock[1]!);
    const exported = /Finished exporting (\d+) records for table '([^']+)'.*total duration '(\d+:\d+:[\d.]+)'/.exec(line);
    if (exported && exported[2] === qualifiedTable) {
      report.records = Number(exported[1]);
      report.exportMs = duration(exported[3]!);
    }
    if (line.includes('Snapshot completed')) {
      const ended = stamp(line);
      if (began !== null && ended !== null) report.durationMs = ended - began;
      break;
    }
  }
  return report;
}

/** The log file of the local Connect worker serving `connectUrl`, found through the envs' state files. */
export function connectLogFile(connectUrl: string): string | null {
  const root = path.join(REPO_ROOT, '.converge');
  if (!existsSync(root)) return null;
  for (const dir of readdirSync(root)) {
    const state = readState(path.join(root, dir));
    if (state?.endpoints?.connect.url !== connectUrl) continue;
    const file = state.services.find((service) => service.name === 'connect')?.logFile;
    if (file && existsSync(file)) return file;
  }
  return null;
}

/** The last `bytes` of a file (the recent part of a long log). */
export function readTail(file: string, bytes = 32 * 1024 * 1024): string {
  const size = statSync(file).size;
  const length = Math.min(size, bytes);
  const buffer = Buffer.alloc(length);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, buffer, 0, length, size - length);
  } finally {
    closeSync(fd);
  }
  return buffer.toString('utf8');
}
