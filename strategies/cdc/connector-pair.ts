// A source and sink document read as one pair, everything they say checked before anything is
// created: the sink's options, the routing between them (topic-routing.ts), key.ignore and
// schema.ignore as they apply to the captured table. A pair converge cannot run faithfully is
// refused here with the reason (a ConfigError naming the file and the option). Used by the
// strategy's open(); pure apart from reading the two files, so a scenario check can call it too.
import { ConfigError } from '../../harness/errors.ts';
import { loadConnectorDocument, SEED_SINK_FILE, SEED_SOURCE_FILE, type ConnectorDocument } from './connector-document.ts';
import { forTopic, parseSinkConfig, type SinkSettings } from './sink-config.ts';
import { planRouting, type RoutingPlan, type TopicNames } from './topic-routing.ts';

export interface ConnectorPair {
  sourceFile: string;
  sinkFile: string;
  source: ConnectorDocument;
  /** The sink's settings, key.ignore and schema.ignore resolved for the captured table. */
  settings: SinkSettings;
  routing: RoutingPlan;
}

/** The sink document's name and dead-letter name, which the run's names are built from. */
export function sinkNaming(sinkFile: string | undefined): Pick<SinkSettings, 'name' | 'deadLetterName'> {
  const file = sinkFile ?? SEED_SINK_FILE;
  return parseSinkConfig(loadConnectorDocument(file), file);
}

export function readConnectorPair(files: { source?: string | undefined; sink?: string | undefined }, run: TopicNames): ConnectorPair {
  const sourceFile = files.source ?? SEED_SOURCE_FILE;
  const sinkFile = files.sink ?? SEED_SINK_FILE;
  const source = loadConnectorDocument(sourceFile);
  const sinkDocument = loadConnectorDocument(sinkFile);
  const written = parseSinkConfig(sinkDocument, sinkFile);
  const routing = planRouting(source, sinkDocument, run, { source: sourceFile, sink: sinkFile });
  const settings = { ...written, ...forTopic(written, routing.written.topic) };
  if (!settings.schemaIgnore && !settings.valueSchemas) {
    throw new ConfigError(
      `${sinkFile}: schema.ignore=false applies to ${routing.written.topic}, but value.converter.schemas.enable=false leaves its records without a schema to map the index from; list the topic in topic.schema.ignore or enable the schemas`,
    );
  }
  return { sourceFile, sinkFile, source, settings, routing };
}
