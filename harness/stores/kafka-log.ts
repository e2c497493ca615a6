// kafkajs's own logs as JSON lines appended to a file — a pair's worker log, or the harness's —
// never the console, which holds converge's progress lines alone. kafkajs logs at ERROR on
// conditions it retries by itself (`The coordinator is loading…`, a leader moving), so what it says
// is kept for whoever reads the log after a run, and judged by nobody.
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { logLevel, type LogEntry, type logCreator } from 'kafkajs';
import { REPO_ROOT } from '../env/state.ts';

/** Where kafkajs logs when the caller names no file (harness code outside a pair's worker). */
export const DEFAULT_KAFKA_LOG = path.join(REPO_ROOT, '.converge', 'logs', 'kafkajs.log');

/** The level written to the file: INFO keeps group joins and rebalances, which explain a stall. */
export const KAFKA_LOG_LEVEL = logLevel.INFO;

/** One kafkajs log entry as a JSON line: level, timestamp, logger, namespace, message, then its details. */
export function kafkaLogLine({ namespace, label, log }: LogEntry): string {
  const { message, timestamp, ...details } = log;
  return `${JSON.stringify({ level: label, timestamp, logger: 'kafkajs', namespace, message, ...details })}\n`;
}

/** A kafkajs logCreator that appends every entry to `file` (created with its folder on first use). */
export function fileLogCreator(file: string): logCreator {
  let ready = false;
  return () => (entry) => {
    if (!ready) {
      mkdirSync(path.dirname(file), { recursive: true });
      ready = true;
    }
    appendFileSync(file, kafkaLogLine(entry));
  };
}
