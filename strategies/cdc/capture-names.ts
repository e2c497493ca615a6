// The names one capture uses in one run, derived from the run id and the table alone, so a worker
// restarted after a crash finds the same connector, topics, consumer group and MySQL user.
import { createHash } from 'node:crypto';
import { dataTopic } from './source-config.ts';

export interface CaptureNames {
  /** Connector name, topic prefix and the stem of every other name. */
  prefix: string;
  /** The topic the changes land on: `prefix.db.table`, or where the source's routing sends them (set from topic-routing.ts). */
  dataTopic: string;
  deadLetterTopic: string;
  group: string;
  /** The capture's own MySQL user (its statements are counted apart from everyone else's). */
  user: string;
  /** Replica server id, unique per capture. */
  serverId: number;
}

export function captureNames(runId: string, database: string, table: string, sinkName: string, deadLetterName: string): CaptureNames {
  const hash = createHash('sha1').update(`${runId}\0${table}`).digest('hex');
  const prefix = `cv_${runId.replace(/[^A-Za-z0-9_-]/g, '-')}_${table}`.slice(0, 120);
  return {
    prefix,
    dataTopic: dataTopic(prefix, database, table),
    deadLetterTopic: `${prefix}.${deadLetterName}`,
    group: `connect-${sinkName}-${prefix}`.slice(0, 200),
    user: `cvcdc_${hash.slice(0, 10)}`,
    serverId: 100_000 + (parseInt(hash.slice(0, 8), 16) % 1_000_000_000),
  };
}

/** Every topic the capture may have created: data, schema changes, history, heartbeats, dead letters. */
export function ownsTopic(names: CaptureNames, topic: string): boolean {
  return topic === names.prefix || topic.startsWith(`${names.prefix}.`) || topic === `__debezium-heartbeat.${names.prefix}` || topic === names.dataTopic;
}
