// search-restart: SIGKILL the search engine, start it again on the same port and data; healed once
// it answers and cluster health is yellow or green (every primary shard assigned again).
import { waitSearchHealthy } from '../service-readiness.ts';
import { restartKind } from './service-restart.ts';

export const searchRestart = restartKind('search-restart', 'search', {
  waitedFor: 'the engine answers and cluster health is yellow or green',
  before: () => Promise.resolve(undefined),
  ready: async (context, _before, timeoutMs) => ({ detail: await waitSearchHealthy(context.endpoints.search.url, timeoutMs), errors: [] }),
});
