// The seed's two connector documents run here as written: the source mapped to this environment
// with every semantic option kept, the sink read into settings, anything unimplemented refused.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../harness/errors.ts';
import { REPO_ROOT } from '../../harness/env/state.ts';
import { SEED_SINK_FILE, SEED_SOURCE_FILE, loadConnectorDocument, parseConnectorDocument, redact } from './connector-document.ts';
import { parseSinkConfig } from './sink-config.ts';
import { mapSourceConfig, type CaptureTarget } from './source-config.ts';

const target: CaptureTarget = {
  flavor: 'mariadb',
  host: '127.0.0.1',
  port: 36103,
  user: 'cdc_ab12',
  password: 'pw',
  database: 'converge',
  table: 'seed_bulk_cdc',
  brokers: ['127.0.0.1:9092'],
  topicPrefix: 'cv-run1-seed_bulk_cdc',
  serverId: 123456,
};

const sink = (config: Record<string, string>) => parseSinkConfig({ name: 's', config: { 'connector.class': 'io.confluent.connect.elasticsearch.ElasticsearchSinkConnector', 'schema.ignore': 'true', ...config } });

describe('seed connector documents', () => {
  it('ships them exactly as the seed wrote them', () => {
    const seed = readFileSync('/work/shared/seed/000_7a72ff1f80b0b60c.txt', 'utf8');
    for (const file of [SEED_SOURCE_FILE, SEED_SINK_FILE]) {
      const text = readFileSync(path.join(REPO_ROOT, file), 'utf8').trimEnd();
      if (seed) expect(seed).toContain(text);
    }
  });

  it('maps the seed source to this environment and keeps its semantic options', () => {
    const { config, changes } = mapSourceConfig(loadConnectorDocument(SEED_SOURCE_FILE), target);
    expect(config).toMatchObject({
      'connector.class': 'io.debezium.connector.mariadb.MariaDbConnector',
      'database.hostname': '127.0.0.1',
      'database.port': '36103',
      'database.user': 'cdc_ab12',
      'database.server.id': '123456',
      'topic.prefix': 'cv-run1-seed_bulk_cdc',
      'database.include.list': 'converge',
      'table.include.list': 'converge.seed_bulk_cdc',
      'schema.history.internal.kafka.bootstrap.servers': '127.0.0.1:9092',
      'schema.history.internal.kafka.topic': 'cv-run1-seed_bulk_cdc.schema-history',
      // kept as written
      'tasks.max': '1',
      'time.precision.mode': 'connect',
      'database.connectionTimeZone': 'Asia/Seoul',
      'database.allowPublicKeyRetrieval': 'true',
      'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
    });
    expect(config).not.toHaveProperty('database.server.name');
    expect(Object.keys(config).filter((key) => key.startsWith('database.history'))).toEqual([]);
    expect(changes).toContain('database.history.kafka.topic → schema.history.internal.kafka.topic');
    expect(changes.some((line) => line.startsWith('database.server.name (sink) → topic.prefix'))).toBe(true);
    expect(changes.find((line) => line.startsWith('database.password'))).toBe('database.password: ******** → ******** (the capture\'s own user)');
  });

  it('chooses the MySQL connector for a MySQL server', () => {
    const { config } = mapSourceConfig(loadConnectorDocument(SEED_SOURCE_FILE), { ...target, flavor: 'mysql' });
    expect(config['connector.class']).toBe('io.debezium.connector.mysql.MySqlConnector');
  });

  it('passes unknown source options through and renames legacy list names', () => {
    const { config } = mapSourceConfig(
      { name: 'x', config: { 'snapshot.mode': 'when_needed', 'some.future.option': 'on', 'column.blacklist': 'converge.t.secret', 'heartbeat.interval.ms': '5000' } },
      target,
    );
    expect(config['snapshot.mode']).toBe('when_needed');
    expect(config['some.future.option']).toBe('on');
    expect(config['column.exclude.list']).toBe('converge.t.secret');
    expect(config['heartbeat.interval.ms']).toBe('5000');
  });

  it('redacts secrets', () => {
    expect(redact({ 'database.password': '1234', 'database.user': 'root', 'connection.password': 'x' })).toEqual({
      'database.password': '********',
      'database.user': 'root',
      'connection.password': '********',
    });
  });

  it('reads the seed sink into the semantics it asks for', () => {
    const settings = parseSinkConfig(loadConnectorDocument(SEED_SINK_FILE));
    expect(settings).toMatchObject({ keyIgnore: false, writeMethod: 'upsert', nullValues: 'delete', batchSize: 2000, maxInFlight: 5, maxRetries: 5, retryBackoffMs: 100 });
    expect(settings.transforms).toEqual([
      { alias: 'extractKey', kind: 'extract-field', on: 'key', field: 'id' },
      { alias: 'unwrap', kind: 'unwrap', dropTombstones: false, deletes: 'drop' },
    ]);
    expect(settings).toMatchObject({ schemaIgnore: true, malformed: 'fail', errorsTolerance: 'none', deadLetterNamed: false, lingerMs: 1, maxBufferedRecords: 20000 });
    expect(settings.inert.map((line) => line.split(':')[0])).toEqual(expect.arrayContaining(['tasks.max', 'type.name', 'connection.url']));
  });

  it('rejects a sink option it does not implement, by name', () => {
    expect(() => sink({ 'write.method': 'upsert', 'some.option': 'true' })).toThrow(/some\.option/);
    expect(() => sink({ 'behavior.on.malformed.documents': 'explode' })).toThrow(/behavior\.on\.malformed\.documents=explode/);
    expect(() => sink({ 'external.version.header': 'v' })).toThrow(/external\.version\.header is not implemented: versions come from/);
    expect(() => sink({ 'use.autogenerated.ids': 'true' })).toThrow(/use\.autogenerated\.ids.*key\.ignore=false/);
    expect(() => sink({ 'data.stream.type': 'logs' })).toThrow(/append-only/);
    expect(() => sink({ 'errors.tolerance': 'some' })).toThrow(/errors\.tolerance=some/);
    expect(() => sink({ 'write.method': 'merge' })).toThrow(/write\.method=merge/);
    expect(() => sink({ transforms: 'r', 'transforms.r.type': 'org.apache.kafka.connect.transforms.TimestampRouter' })).toThrow(/transforms\.r\.type=org\.apache\.kafka\.connect\.transforms\.TimestampRouter is not implemented/);
    expect(() => sink({ transforms: 'r', 'transforms.r.type': 'org.apache.kafka.connect.transforms.RegexRouter' })).toThrow(/regex and transforms\.r\.replacement are required/);
    expect(() => sink({ transforms: 'u', 'transforms.u.type': 'io.debezium.transforms.ExtractNewRecordState', 'transforms.u.add.fields': 'op' })).toThrow(/transforms\.u\.add\.fields/);
    expect(() => sink({ 'schema.ignore': 'false', 'value.converter.schemas.enable': 'false' })).toThrow(/Cannot infer mapping without schema/);
    expect(() => sink({ 'batch.size': '0' })).toThrow(ConfigError);
  });

  it('reads the Debezium 2.5+ delete handling and refuses mixing it with the legacy options', () => {
    const type = 'io.debezium.transforms.ExtractNewRecordState';
    expect(sink({ transforms: 'u', 'transforms.u.type': type, 'transforms.u.delete.tombstone.handling.mode': 'tombstone' }).transforms[0]).toEqual({
      alias: 'u',
      kind: 'unwrap',
      dropTombstones: true,
      deletes: 'tombstone',
    });
    expect(() => sink({ transforms: 'u', 'transforms.u.type': type, 'transforms.u.delete.tombstone.handling.mode': 'drop', 'transforms.u.drop.tombstones': 'false' })).toThrow(/one or the other/);
  });

  it('names the file and the problem in a malformed document', () => {
    expect(() => parseConnectorDocument('{"name": "x"}', 'my.json')).toThrow(/my\.json: expected/);
    expect(() => parseConnectorDocument('{', 'my.json')).toThrow(/my\.json: not JSON/);
    expect(() => loadConnectorDocument('no/such/file.json')).toThrow(/no\/such\/file\.json/);
  });
});
