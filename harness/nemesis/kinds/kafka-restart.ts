// kafka-restart: SIGKILL the broker, start it again on the same log dirs; healed once it answers
// and every topic that existed before the fault has a leader for each partition again.
import { kafkaTopics, waitKafkaServes } from '../service-readiness.ts';
import { restartKind } from './service-restart.ts';

export const kafkaRestart = restartKind('kafka-restart', 'kafka', {
  waitedFor: 'the broker answers and every topic it held has a leader on each partition',
  before: (context) => kafkaTopics(context.endpoints.kafka.brokers),
  ready: async (context, topics, timeoutMs) => {
    // Topics could not be listed before the kill: wait for whatever the broker holds now.
    const wanted = topics ?? (await kafkaTopics(context.endpoints.kafka.brokers));
    const checked = await waitKafkaServes(context.endpoints.kafka.brokers, wanted, timeoutMs);
    return { detail: `${checked} topics`, errors: [] };
  },
});
