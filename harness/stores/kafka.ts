// The Kafka store: a kafkajs client for an endpoint, with kafkajs's own logs routed to stderr at
// WARN, and helpers for the admin questions converge asks (end offsets, a group's lag).
import { Kafka, logLevel, type Admin } from 'kafkajs';
import type { KafkaEndpoint } from '../env/endpoints.ts';

export function createKafka(endpoint: KafkaEndpoint, clientId = 'converge'): Kafka {
  process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';
  return new Kafka({ clientId, brokers: endpoint.brokers, logLevel: logLevel.ERROR, connectionTimeout: 5000, requestTimeout: 30_000 });
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
