// The Kafka store: a kafkajs client for an endpoint, with kafkajs's own logs written to a log file
// (kafka-log.ts: a pair's worker log, else the harness's), never the console; and helpers for the
// admin questions converge asks (end offsets, a group's lag).
import { Kafka, type Admin } from 'kafkajs';
import type { KafkaEndpoint } from '../env/endpoints.ts';
import { DEFAULT_KAFKA_LOG, fileLogCreator, KAFKA_LOG_LEVEL } from './kafka-log.ts';

/** A client of `endpoint`; its logs go to `logFile` as JSON lines (default: DEFAULT_KAFKA_LOG). */
export function createKafka(endpoint: KafkaEndpoint, clientId = 'converge', logFile = DEFAULT_KAFKA_LOG): Kafka {
  process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';
  return new Kafka({ clientId, brokers: endpoint.brokers, logLevel: KAFKA_LOG_LEVEL, logCreator: fileLogCreator(logFile), connectionTimeout: 5000, requestTimeout: 30_000 });
}

/** Sum over partitions of (end offset − committed offset) for a group on a topic. */
export async function groupLag(admin: Admin, groupId: string, topic: string): Promise<number> {
  const [ends, committed] = await Promise.all([admin.fetchTopicOffsets(topic), admin.fetchOffsets({ groupId, topics: [topic] })]);
  const committedByPartition = new Map<number, number>();
  for (const entry of committed[0]?.partitions ?? []) committedByPartition.set(entry.partition, Number(entry.offset));
  let lag = 0;
  for (const end of ends) {
    const done = committedByPartition.get(end.partition) ?? -1;
    lag += Number(end.high) - Math.max(done, Number(end.low));
  }
  return lag;
}
