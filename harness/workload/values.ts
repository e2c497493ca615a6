// converge: deterministic generated column values, one generator per column type. Values are
// chosen so that both stores round-trip them exactly: doubles with two decimals, datetimes at
// whole seconds as `YYYY-MM-DD HH:MM:SS` (UTC), strings of plain ASCII.
import type { Column, Scalar } from '../scenario/schema.ts';
import type { Rng } from './rng.ts';

const WORD = 'abcdefghijklmnopqrstuvwxyz0123456789';
const TEXT = 'abcdefghijklmnopqrstuvwxyz ';
const FROM_S = Date.UTC(2020, 0, 1) / 1000;
const TO_S = Date.UTC(2030, 0, 1) / 1000;

function text(rng: Rng, alphabet: string, min: number, max: number): string {
  let out = '';
  for (let i = rng.int(min, max); i > 0; i--) out += alphabet[rng.int(0, alphabet.length - 1)];
  return out;
}

/** A value for `column`; nullable columns are null one time in ten. */
export function generateValue(column: Column, rng: Rng): Scalar {
  if (column.nullable && rng.chance(0.1)) return null;
  switch (column.type) {
    case 'int':
      return rng.int(0, 1_000_000);
    case 'bigint':
      return rng.int(0, 2_000_000_000);
    case 'double':
      return rng.int(0, 10_000_000) / 100;
    case 'boolean':
      return rng.int(0, 1) === 1;
    case 'varchar':
      return text(rng, WORD, 1, Math.min(column.length, 24));
    case 'text':
      return text(rng, TEXT, 0, 80);
    case 'datetime':
      return new Date(rng.int(FROM_S, TO_S) * 1000).toISOString().replace('T', ' ').slice(0, 19);
  }
}

/** Generated values for `names` (in the order given) of an entity's `columns`. */
export function generateValues(columns: Readonly<Record<string, Column>>, names: readonly string[], rng: Rng): Record<string, Scalar> {
  const out: Record<string, Scalar> = {};
  for (const name of names) {
    const column = columns[name];
    if (column !== undefined) out[name] = generateValue(column, rng);
  }
  return out;
}
