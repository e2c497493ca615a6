// A Kafka Connect connector document as people write it (`{ "name": ..., "config": { ... } }`),
// read from a file: every config value brought to the string Connect expects, and the redaction
// of secrets before a config is shown anywhere (results.json, logs).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../../harness/errors.ts';
import { REPO_ROOT } from '../../harness/env/state.ts';

export interface ConnectorDocument {
  name: string;
  config: Record<string, string>;
}

export const SEED_SOURCE_FILE = 'strategies/cdc/connectors/seed-source.json';
export const SEED_SINK_FILE = 'strategies/cdc/connectors/seed-sink.json';

/** Parse a connector document; `where` names it in errors. */
export function parseConnectorDocument(text: string, where: string): ConnectorDocument {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${where}: not JSON: ${(error as Error).message}`);
  }
  const doc = parsed as { name?: unknown; config?: unknown };
  if (typeof doc !== 'object' || doc === null || typeof doc.config !== 'object' || doc.config === null || Array.isArray(doc.config)) {
    throw new ConfigError(`${where}: expected { "name": ..., "config": { ... } }`);
  }
  const config: Record<string, string> = {};
  for (const [key, value] of Object.entries(doc.config)) {
    if (typeof value === 'object' && value !== null) throw new ConfigError(`${where}: config.${key}: expected a string, number or boolean`);
    config[key] = String(value);
  }
  const name = typeof doc.name === 'string' ? doc.name : (config.name ?? path.basename(where, '.json'));
  return { name, config };
}

/** Read a connector document from a path relative to the repository root (or absolute). */
export function loadConnectorDocument(file: string): ConnectorDocument {
  const absolute = path.resolve(REPO_ROOT, file);
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch (error) {
    throw new ConfigError(`strategies.cdc: cannot read connector file ${file}: ${(error as Error).message}`);
  }
  return parseConnectorDocument(text, file);
}

const SECRET = /password|secret|sasl\.jaas\.config|api\.key|token/i;

/** The config with every secret-looking value replaced by `********`. */
export function redact(config: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(config).map(([key, value]) => [key, SECRET.test(key) ? '********' : value]));
}

export const parseBoolean = (value: string, key: string, where: string): boolean => {
  if (value === 'true' || value === 'false') return value === 'true';
  throw new ConfigError(`${where}: ${key}: expected true or false, got ${JSON.stringify(value)}`);
};

export const parseCount = (value: string, key: string, where: string, min = 0): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new ConfigError(`${where}: ${key}: expected an integer ≥ ${min}, got ${JSON.stringify(value)}`);
  return n;
};
