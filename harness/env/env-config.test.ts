// Pure configuration mapping of the env providers: version parsing, URL parsing, generated
// service configs, container definitions and provider names, checked without any service.
import { mkdtempSync, writeFileSync, chmodSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, PrerequisiteError } from '../errors.ts';
import { IMAGES, connectDefinition, elasticsearchDefinition, kafkaDefinition, mysqlDefinition } from './docker/container-definitions.ts';
import { parseExternalVariables, parseMysqlUrl } from './external/external-provider.ts';
import { connectWorkerProperties } from './local/connect.ts';
import { kafkaServerProperties } from './local/kafka.ts';
import { parseServerVersion } from './local/mariadb.ts';
import { checkPrerequisites, findExecutable, parseJavaMajor } from './local/prerequisites.ts';
import { parseProviderName } from './select-provider.ts';
import { detectEngine } from '../stores/search/connect-search.ts';

const properties = (text: string): Record<string, string> =>
  Object.fromEntries(text.split('\n').filter((line) => line && !line.startsWith('#')).map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]));

describe('local service configuration', () => {
  it('parses java -version output of old and new JDKs', () => {
    expect(parseJavaMajor('openjdk version "17.0.15" 2025-04-15')).toBe(17);
    expect(parseJavaMajor('java version "1.8.0_412"')).toBe(8);
    expect(parseJavaMajor('openjdk version "25" 2025-09-16')).toBe(25);
    expect(parseJavaMajor('garbage')).toBeUndefined();
  });

  it('tells MariaDB from MySQL by the server version string', () => {
    expect(parseServerVersion('10.11.19-MariaDB-0+deb12u1-log')).toEqual({ flavor: 'mariadb', version: '10.11.19' });
    expect(parseServerVersion('8.4.3')).toEqual({ flavor: 'mysql', version: '8.4.3' });
  });

  it('binds Kafka only to loopback with a single-node KRaft quorum', () => {
    const props = properties(kafkaServerProperties('/data', 19092, 19093));
    expect(props['process.roles']).toBe('broker,controller');
    expect(props['controller.quorum.voters']).toBe('1@127.0.0.1:19093');
    expect(props.listeners).toBe('PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093');
    expect(props['offsets.topic.replication.factor']).toBe('1');
  });

  it('gives Connect a loopback REST listener and the plugin path', () => {
    const props = properties(connectWorkerProperties(['127.0.0.1:1'], 18083, '/plugins'));
    expect(props.listeners).toBe('http://127.0.0.1:18083');
    expect(props['plugin.path']).toBe('/plugins');
    expect(props['bootstrap.servers']).toBe('127.0.0.1:1');
    // Plugins found from their ServiceLoader manifests, not by scanning every class.
    expect(props['plugin.discovery']).toBe('service_load');
  });

  it('finds executables on a PATH and names a missing prerequisite with its install line', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'converge-path-'));
    const tool = path.join(dir, 'mytool');
    writeFileSync(tool, '#!/bin/sh\n');
    chmodSync(tool, 0o755);
    expect(findExecutable('mytool', `/nonexistent:${dir}`)).toBe(tool);
    expect(findExecutable('othertool', dir)).toBeUndefined();
    const empty = path.join(dir, 'empty');
    mkdirSync(empty);
    let error: unknown;
    try {
      checkPrerequisites({ PATH: empty });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PrerequisiteError);
    expect((error as PrerequisiteError).message).toMatch(/missing prerequisite: java .*apt-get install openjdk-17-jdk-headless/);
  });
});

describe('external provider variables', () => {
  it('parses a MySQL URL with credentials and database', () => {
    expect(parseMysqlUrl('mysql://app:s%40cret@db.example:3307/shop')).toEqual({ host: 'db.example', port: 3307, user: 'app', password: 's@cret', database: 'shop' });
  });

  it('names each missing or malformed variable', () => {
    expect(() => parseExternalVariables({ CONVERGE_MYSQL_URL: 'mysql://r@h/db' })).toThrow(/CONVERGE_KAFKA_BROKERS, CONVERGE_CONNECT_URL, CONVERGE_SEARCH_URL/);
    expect(() => parseMysqlUrl('postgres://h/db')).toThrow(ConfigError);
    expect(() => parseMysqlUrl('mysql://h:3306')).toThrow(/database name is missing/);
    const env = { CONVERGE_MYSQL_URL: 'mysql://r@h/db', CONVERGE_KAFKA_BROKERS: 'k1:9092,k2', CONVERGE_CONNECT_URL: 'http://c:8083', CONVERGE_SEARCH_URL: 'http://s:9200' };
    expect(() => parseExternalVariables(env)).toThrow(/CONVERGE_KAFKA_BROKERS: expected host:port.*got k2/);
    expect(parseExternalVariables({ ...env, CONVERGE_KAFKA_BROKERS: 'k1:9092, k2:9093' }).brokers).toEqual(['k1:9092', 'k2:9093']);
  });

  it('rejects an unknown provider name', () => {
    expect(parseProviderName('local')).toBe('local');
    expect(() => parseProviderName('kubernetes')).toThrow(/--provider: expected one of local, docker, external/);
  });
});

describe('docker container definitions', () => {
  it('pins the images in one place', () => {
    expect(IMAGES.mysql).toBe('mysql:8.4');
    expect(IMAGES.elasticsearch).toMatch(/elasticsearch:8\./);
    expect(IMAGES.connect).toMatch(/debezium\/connect:3\.6\.1/);
  });

  it('runs MySQL with row binlog and GTID', () => {
    const def = mysqlDefinition();
    expect(def.command).toEqual(expect.arrayContaining(['--binlog-format=ROW', '--binlog-row-image=FULL', '--gtid-mode=ON', '--enforce-gtid-consistency=ON']));
    expect(def.env.MYSQL_DATABASE).toBe('converge');
  });

  it('runs Elasticsearch single-node with security off', () => {
    const def = elasticsearchDefinition();
    expect(def.env['discovery.type']).toBe('single-node');
    expect(def.env['xpack.security.enabled']).toBe('false');
  });

  it('advertises Kafka to the Connect container and to the host on the fixed port', () => {
    const def = kafkaDefinition(29092);
    expect(def.env.KAFKA_ADVERTISED_LISTENERS).toBe('INTERNAL://kafka:19092,EXTERNAL://127.0.0.1:29092');
    expect(def.ports).toEqual([{ container: 9092, host: 29092 }]);
    expect(connectDefinition().env.BOOTSTRAP_SERVERS).toBe('kafka:19092');
  });

  it('fixes each host port it is given, so a container killed and started again keeps it', () => {
    expect(mysqlDefinition(33060).ports).toEqual([{ container: 3306, host: 33060 }]);
    expect(elasticsearchDefinition(39200).ports).toEqual([{ container: 9200, host: 39200 }]);
    expect(connectDefinition(38083).ports).toEqual([{ container: 8083, host: 38083 }]);
    expect(mysqlDefinition().ports).toEqual([{ container: 3306 }]);
  });
});

describe('search engine detection', () => {
  it('recognises OpenSearch and Elasticsearch from the root endpoint', () => {
    expect(detectEngine({ version: { number: '2.19.1', distribution: 'opensearch' } })).toEqual({ engine: 'opensearch', version: '2.19.1' });
    expect(detectEngine({ version: { number: '8.19.2', build_flavor: 'default' } })).toEqual({ engine: 'elasticsearch', version: '8.19.2' });
    expect(() => detectEngine({ ok: true })).toThrow(ConfigError);
  });
});
