// The name of a strategy's own table beside a run's business table (the saga log, the 2pc decision
// log): `<prefix>_<table>`, or the prefix and a digest of the table name when that is longer than
// MySQL's 64-character identifier limit.
import { createHash } from 'node:crypto';

/** MySQL's identifier limit. */
const MAX_IDENTIFIER = 64;

export function sideTableName(prefix: string, table: string): string {
  const plain = `${prefix}_${table}`;
  if (plain.length <= MAX_IDENTIFIER) return plain;
  return `${prefix}_${createHash('sha1').update(table).digest('hex').slice(0, 24)}`;
}
