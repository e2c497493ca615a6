// Each pair of the tutorial-style corpus (test/fixtures/connectors/) mapped to a run: the sink's
// settings, the routing and the source config converge would create, or the refusal and its reason.
import { describe, expect, it } from 'vitest';
import { CORPUS } from '../../test/fixtures/connectors/corpus.ts';
import { loadConnectorDocument } from './connector-document.ts';
import { readConnectorPair } from './connector-pair.ts';
import { forTopic, parseSinkConfig, sinkRoutedTopic } from './sink-config.ts';
import { mapSourceConfig, type CaptureTarget } from './source-config.ts';
import { planRouting } from './topic-routing.ts';

const target: CaptureTarget = {
  flavor: 'mariadb',
  host: '127.0.0.1',
  port: 36103,
  user: 'cvcdc_1',
  password: 'pw',
  database: 'converge',
  table: 'corpus_cdc_ab12',
  brokers: ['127.0.0.1:9092'],
  topicPrefix: 'cv_r1_corpus_cdc_ab12',
  serverId: 4242,
};
const run = { prefix: target.topicPrefix, database: target.database, table: target.table };

/** What the strategy's open() and startCapture() work out from a pair, before anything is created. */
function mapPair(name: string) {
  const pair = CORPUS.find((p) => p.name === name)!;
  const { routing, settings, source } = readConnectorPair({ source: pair.source, sink: pair.sink }, run);
  return { routing, settings, mapped: mapSourceConfig(source, target, routing) };
}

describe('the connector corpus, mapped to a run', () => {
  it('holds at least six pairs, each with a source, a sink and an expected outcome', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(6);
    for (const pair of CORPUS) expect(() => [loadConnectorDocument(pair.source), loadConnectorDocument(pair.sink)]).not.toThrow();
  });

  it("debezium-unwrap-smt: RegexRouter to the bare table kept as written, schema.ignore left false, unwrap before key", () => {
    const { routing, settings, mapped } = mapPair('debezium-unwrap-smt');
    expect(routing.topic).toBe('corpus_cdc_ab12');
    expect(routing.written).toMatchObject({ prefix: 'dbserver1', database: 'inventory', table: 'customers', topic: 'customers' });
    expect(routing.sinkTopics).toEqual(['corpus_cdc_ab12']);
    expect(settings).toMatchObject({ schemaIgnore: false, keyIgnore: false, nullValues: 'delete', writeMethod: 'insert' });
    expect(settings.transforms.map((t) => t.kind)).toEqual(['unwrap', 'extract-field']);
    expect(mapped.config).toMatchObject({ 'transforms.route.regex': '([^.]+)\\.([^.]+)\\.([^.]+)', 'transforms.route.replacement': '$3', 'table.include.list': 'converge.corpus_cdc_ab12' });
  });

  it('debezium-1x-legacy: legacy names renamed, no source routing, delete.handling.mode=none, a sink RegexRouter naming the index', () => {
    const { routing, settings, mapped } = mapPair('debezium-1x-legacy');
    expect(routing.topic).toBe('cv_r1_corpus_cdc_ab12.converge.corpus_cdc_ab12');
    expect(mapped.config).not.toHaveProperty('database.whitelist');
    expect(mapped.config).not.toHaveProperty('database.server.name');
    expect(mapped.config).toMatchObject({ 'schema.history.internal.kafka.topic': 'cv_r1_corpus_cdc_ab12.schema-history', 'include.schema.changes': 'true' });
    expect(mapped.changes).toEqual(expect.arrayContaining(['database.whitelist → database.include.list', 'table.whitelist → table.include.list']));
    expect(settings.transforms.map((t) => t.kind)).toEqual(['extract-field', 'unwrap', 'route']);
    expect(settings.transforms[1]).toEqual({ alias: 'unwrap', kind: 'unwrap', dropTombstones: false, deletes: 'none' });
    // topic.schema.ignore names the topic after the sink's own RegexRouter, in the documents' names.
    expect(sinkRoutedTopic(settings, routing.written.topic)).toBe('customers');
    expect(settings).toMatchObject({ schemaIgnore: true, writeMethod: 'upsert' });
  });

  it('logical-table-router: the literal server and database swapped for this run’s', () => {
    const { routing, mapped } = mapPair('logical-table-router');
    expect(routing.topic).toBe('cv_r1_corpus_cdc_ab12.converge.all_tables');
    expect(mapped.config['transforms.Reroute.topic.regex']).toBe('cv_r1_corpus_cdc_ab12\\.converge\\.(.*)');
    expect(mapped.config['transforms.Reroute.topic.replacement']).toBe('cv_r1_corpus_cdc_ab12.converge.all_tables');
    expect(mapped.changes.some((line) => line.startsWith('transforms.Reroute.topic.regex: shop\\.sales\\.(.*) → '))).toBe(true);
    expect(routing.sinkChanges[0]).toMatch(/^topics: shop\.sales\.all_tables → cv_r1_corpus_cdc_ab12\.converge\.all_tables/);
  });

  it('regex-router-literal: RegexRouter and topics.regex both mapped by swapping names', () => {
    const { routing, mapped, settings } = mapPair('regex-router-literal');
    expect(routing.topic).toBe('converge_corpus_cdc_ab12');
    expect(mapped.config['transforms.dropPrefix.regex']).toBe('cv_r1_corpus_cdc_ab12\\.converge\\.(.*)');
    expect(mapped.config['transforms.dropPrefix.replacement']).toBe('converge_$1');
    expect(routing.sinkChanges[0]).toBe("topics.regex: shop_.* → converge_.* (this run's names; matches converge_corpus_cdc_ab12)");
    expect(settings.schemaIgnore).toBe(true);
  });

  it('tuned-options: every tuning option read with its meaning, the secrets inert', () => {
    const { routing, settings } = mapPair('tuned-options');
    expect(routing.topic).toBe('cv_r1_corpus_cdc_ab12.converge.corpus_cdc_ab12');
    expect(settings).toMatchObject({
      schemaIgnore: false,
      writeMethod: 'insert',
      malformed: 'warn',
      dropInvalid: true,
      batchSize: 500,
      lingerMs: 50,
      maxInFlight: 2,
      maxBufferedRecords: 5000,
      bulkSizeBytes: 1_048_576,
      flushTimeoutMs: 30_000,
      maxRetries: 8,
      retryBackoffMs: 200,
      errorsTolerance: 'all',
      deadLetterName: 'dlq-order-lines',
      deadLetterNamed: true,
    });
    expect(settings.inert.map((line) => line.split(':')[0])).toEqual(expect.arrayContaining(['connection.url', 'connection.username', 'connection.password', 'errors.deadletterqueue.topic.replication.factor']));
  });

  it('confluent-key-ignore: key.ignore=true read as written (documents keyed by topic+partition+offset)', () => {
    const { settings } = mapPair('confluent-key-ignore');
    expect(settings).toMatchObject({ keyIgnore: true, schemaIgnore: true, nullValues: 'ignore' });
  });

  it('resolves topic.key.ignore and topic.schema.ignore written with the documents’ topic names', () => {
    const pair = CORPUS.find((p) => p.name === 'debezium-unwrap-smt')!;
    const sinkDocument = loadConnectorDocument(pair.sink);
    sinkDocument.config['topic.schema.ignore'] = 'customers';
    sinkDocument.config['topic.key.ignore'] = 'orders';
    const written = parseSinkConfig(sinkDocument);
    const routing = planRouting(loadConnectorDocument(pair.source), sinkDocument, run, { source: 's', sink: 'k' });
    expect(forTopic(written, routing.written.topic)).toEqual({ keyIgnore: false, schemaIgnore: true });
  });

  for (const pair of CORPUS.filter((p) => p.expect.outcome === 'refused')) {
    it(`${pair.name}: refused before anything starts, with the reason`, () => {
      expect(() => mapPair(pair.name)).toThrow((pair.expect as { reason: RegExp }).reason);
    });
  }
});
