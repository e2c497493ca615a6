// connect-restart: SIGKILL the Connect worker, start it again (connectors resume from the offsets
// they committed to Kafka); healed once the REST API answers and every connector that ran before
// the fault runs again with all its tasks. A FAILED connector or task is an error, never hidden.
import { runningConnectors, waitConnectorsRunning } from '../service-readiness.ts';
import { restartKind } from './service-restart.ts';

export const connectRestart = restartKind('connect-restart', 'connect', {
  waitedFor: 'the REST API answers and every connector that ran before runs again with all its tasks',
  before: (context) => runningConnectors(context.endpoints.connect.url),
  ready: async (context, before, timeoutMs) => {
    const wait = await waitConnectorsRunning(context.endpoints.connect.url, before ?? [], timeoutMs);
    return { detail: `${wait.running.length} of ${(before ?? []).length} connectors running`, errors: wait.errors };
  },
});
