// mysql-restart: SIGKILL mariadbd (or mysqld), start it again on the same datadir; InnoDB crash
// recovery keeps every committed row and every XA branch that was PREPARED. Healed once the server
// accepts connections.
import { waitMysqlAccepts } from '../service-readiness.ts';
import { restartKind } from './service-restart.ts';

export const mysqlRestart = restartKind('mysql-restart', 'mysql', {
  waitedFor: 'the server accepts connections',
  before: () => Promise.resolve(undefined),
  ready: async (context, _before, timeoutMs) => {
    await waitMysqlAccepts(context.endpoints.mysql, timeoutMs);
    return { errors: [] };
  },
});
