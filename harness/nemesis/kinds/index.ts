// Every fault kind by name: the one table the nemesis looks kinds up in.
import type { FaultKind } from '../fault-kind.ts';
import type { FaultKindName } from '../fault-spec.ts';
import { connectRestart } from './connect-restart.ts';
import { kafkaRestart } from './kafka-restart.ts';
import { mysqlKillConnections } from './mysql-kill-connections.ts';
import { mysqlRestart } from './mysql-restart.ts';
import { network } from './network.ts';
import { searchPause } from './search-pause.ts';
import { searchRestart } from './search-restart.ts';
import { strategyCrash } from './strategy-crash.ts';

export type FaultKinds = { readonly [K in FaultKindName]: FaultKind<K> };

export const faultKinds: FaultKinds = {
  'search-pause': searchPause,
  'search-restart': searchRestart,
  'kafka-restart': kafkaRestart,
  'connect-restart': connectRestart,
  'mysql-restart': mysqlRestart,
  'mysql-kill-connections': mysqlKillConnections,
  'strategy-crash': strategyCrash,
  network,
};
