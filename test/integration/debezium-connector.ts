// Integration tests' own Debezium MariaDB source connector config for one table of the test env:
// the settings a test needs to see real change events, with a random server id per connector.
import type { Endpoints } from '../../harness/env/endpoints.ts';

export function testConnectorConfig(endpoints: Endpoints, prefix: string, table: string, serverIdBase: number): Record<string, string> {
  return {
    'connector.class': 'io.debezium.connector.mariadb.MariaDbConnector',
    'database.hostname': endpoints.mysql.host,
    'database.port': String(endpoints.mysql.port),
    'database.user': endpoints.mysql.user,
    'database.password': endpoints.mysql.password,
    'database.server.id': String(serverIdBase + Math.floor(Math.random() * 1000)),
    'topic.prefix': prefix,
    'database.include.list': endpoints.mysql.database,
    'table.include.list': `${endpoints.mysql.database}.${table}`,
    'schema.history.internal.kafka.bootstrap.servers': endpoints.kafka.brokers.join(','),
    'schema.history.internal.kafka.topic': `${prefix}.schema-history`,
    'tasks.max': '1',
  };
}
