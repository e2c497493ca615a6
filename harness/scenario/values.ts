// converge: column values — whether a scenario value fits its column, and the one canonical form
// both stores' values are brought to before they are compared (JSON numbers vs numeric strings,
// 0/1 vs booleans, the many spellings of a datetime).
import type { Column, ColumnType } from './schema.ts';

/** What a document field holds: a column's type, or the result kind of a computed expression. */
export type FieldKind = ColumnType | 'string' | 'number' | 'any';

const INT_MIN = -2_147_483_648;
const INT_MAX = 2_147_483_647;
const TEXT_MAX = 65_535;
const SQL_DATETIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(Z|[+-]\d{2}:\d{2})?$/;

/** A datetime to the microsecond: epoch ms (whole) and the microseconds within that ms (0-999). */
interface Instant {
  readonly ms: number;
  readonly micros: number;
}

// `YYYY-MM-DD HH:MM:SS[.ffffff]` (UTC unless an offset follows) or ISO 8601, every field in range
// (no 30 February, no 24:00): the engine's lenient Date.parse would roll those over to another day.
function parseInstant(text: string): Instant | null {
  const m = SQL_DATETIME.exec(text);
  if (m === null) return null;
  const [, y, mo, d, h, mi, s, frac, zone] = m as unknown as [string, string, string, string, string, string, string, string | undefined, string | undefined];
  const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const back = new Date(wall);
  const exact =
    back.getUTCFullYear() === Number(y) && back.getUTCMonth() === Number(mo) - 1 && back.getUTCDate() === Number(d) && back.getUTCHours() === Number(h) && back.getUTCMinutes() === Number(mi) && back.getUTCSeconds() === Number(s);
  if (!exact || Number(y) < 1000) return null;
  let offsetMs = 0;
  if (zone !== undefined && zone !== 'Z') {
    const hours = Number(zone.slice(1, 3));
    const minutes = Number(zone.slice(4, 6));
    if (hours > 23 || minutes > 59) return null;
    offsetMs = (zone.startsWith('-') ? -1 : 1) * (hours * 60 + minutes) * 60_000;
  }
  const micros = Number((frac ?? '').padEnd(6, '0'));
  return { ms: wall - offsetMs + Math.floor(micros / 1000), micros: micros % 1000 };
}

/** Epoch ms of a datetime given as `YYYY-MM-DD HH:MM:SS[.ffffff]` (UTC unless an offset follows) or ISO 8601. */
export function parseDatetime(text: string): number | null {
  return parseInstant(text)?.ms ?? null;
}

/** Why `value` does not fit `column` as a scenario literal, or null when it fits. */
export function valueProblem(column: Column, value: unknown): string | null {
  if (value === null) return column.nullable ? null : 'column is not nullable';
  switch (column.type) {
    case 'int':
      return Number.isInteger(value) && (value as number) >= INT_MIN && (value as number) <= INT_MAX ? null : 'expected an INT';
    case 'bigint':
      return Number.isSafeInteger(value) ? null : 'expected a BIGINT within ±2^53';
    case 'double':
      return typeof value === 'number' && Number.isFinite(value) ? null : 'expected a finite number';
    case 'boolean':
      return typeof value === 'boolean' ? null : 'expected true or false';
    case 'varchar':
      return typeof value === 'string' && [...value].length <= column.length ? null : `expected a string of at most ${column.length} characters`;
    case 'text':
      return typeof value === 'string' && value.length <= TEXT_MAX ? null : 'expected a string';
    case 'datetime':
      return typeof value === 'string' && parseDatetime(value) !== null ? null : 'expected a datetime "YYYY-MM-DD HH:MM:SS" (UTC)';
  }
}

const INTEGER_TEXT = /^-?(0|[1-9][0-9]*)$/;
const DECIMAL_TEXT = /^-?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$/;

// An integer: a JSON number, a BigInt or its plain decimal digits (no sign +, spaces, leading zeros,
// hex or exponent). Beyond ±2^53 the exact digits are the canonical form, so two BIGINTs that
// differ only past double precision stay different; a JSON number that large has already lost
// its digits and never equals exact ones.
function toInteger(value: unknown): unknown {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (typeof value === 'string' && INTEGER_TEXT.test(value)) {
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : BigInt(value).toString();
  }
  return value;
}

// A number: a JSON number, a BigInt, or a plain decimal text (with an optional exponent).
function toNumber(value: unknown): unknown {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && DECIMAL_TEXT.test(value)) return Number(value);
  return value;
}

function toBoolean(value: unknown): unknown {
  if (value === true || value === 1 || value === '1' || value === 'true') return true;
  if (value === false || value === 0 || value === '0' || value === 'false') return false;
  return value;
}

// ISO 8601 in UTC with milliseconds, and three more digits when the microseconds are not zero.
function toDatetime(value: unknown): unknown {
  let instant: Instant | null = null;
  if (value instanceof Date) instant = { ms: value.getTime(), micros: 0 };
  else if (typeof value === 'number' && Number.isInteger(value)) instant = { ms: value, micros: 0 }; // epoch ms, as Debezium's io.debezium.time.Timestamp
  else if (typeof value === 'string') instant = parseInstant(value);
  if (instant === null || !Number.isFinite(instant.ms) || Number.isNaN(new Date(instant.ms).getTime())) return value;
  const iso = new Date(instant.ms).toISOString();
  return instant.micros === 0 ? iso : `${iso.slice(0, -1)}${String(instant.micros).padStart(3, '0')}Z`;
}

/**
 * The canonical form of a value of `kind`, from either store — lenient about spelling, strict about
 * value. Integers (INT, BIGINT): JSON number, BigInt or plain decimal digits → number, or the exact
 * digits beyond ±2^53. Other numbers: JSON number or plain decimal text → number. Booleans:
 * true/false/1/0/"1"/"0"/"true"/"false" → boolean (MySQL's TINYINT(1)). Datetimes: Date, whole
 * epoch ms, `YYYY-MM-DD HH:MM:SS[.ffffff]` (UTC) or ISO with every field in range → ISO string in
 * UTC, to the microsecond. Strings compare exactly (case, spaces, digits). `undefined` (a missing
 * field) is null; null, "" and 0 stay three different values. A value that cannot be brought to the
 * canonical form is returned as is, so it compares unequal.
 */
export function normaliseValue(kind: FieldKind, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  switch (kind) {
    case 'int':
    case 'bigint':
      return toInteger(value);
    case 'double':
    case 'number':
      return toNumber(value);
    case 'boolean':
      return toBoolean(value);
    case 'datetime':
      return toDatetime(value);
    default:
      return value;
  }
}
