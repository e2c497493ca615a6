// The endpoints of a started environment: the contract `npm run env -- up --json` prints and that
// every store, strategy and test reads. Field names are stable; scripts rely on them.

export const providerNames = ['local', 'docker', 'external'] as const;
export type ProviderName = (typeof providerNames)[number];

export type MysqlFlavor = 'mariadb' | 'mysql';
export type SearchEngine = 'opensearch' | 'elasticsearch';

export interface MysqlEndpoint {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  flavor: MysqlFlavor;
  version: string;
}

export interface KafkaEndpoint {
  brokers: string[];
}

export interface ConnectEndpoint {
  url: string;
}

export interface SearchEndpoint {
  url: string;
  engine: SearchEngine;
  version: string;
}

export interface Endpoints {
  provider: ProviderName;
  mysql: MysqlEndpoint;
  kafka: KafkaEndpoint;
  connect: ConnectEndpoint;
  search: SearchEndpoint;
}
