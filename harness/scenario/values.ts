// converge: column values — whether a scenario value fits its column, and the one canonical form
// both stores' values are brought to before they are compared (JSON numbers vs numeric strings,
// 0/1 vs booleans, the many spellings of a datetime).
import type { Column, ColumnType } from './schema.ts';

/** What a document field holds: a column's type, or the result kind of a computed expression. */
export type FieldKind = ColumnType | 'string' | 'number' | 'any';

const INT_MIN = -2_147_483_648;
const INT_MAX = 2_147_483_647;
const TEXT_MAX = 65_535;
const SQL_DATETIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})?$/;

/** Epoch ms of a datetime given as `YYYY-MM-DD HH:MM:SS[.ffffff]` (UTC unless an offset follows) or ISO 8601. */
export function parseDatetime(text: string): number | null {
  const m = SQL_DATETIME.exec(text);
  if (m === null) return null;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const iso = `${y}-${mo}-${d}T${h}:${mi}:${s}${(frac ?? '').slice(0, 4)}${zone ?? 'Z'}`;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
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

function toNumber(value: unknown): unknown {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return value;
}

function toBoolean(value: unknown): unknown {
  if (value === true || value === 1 || value === '1' || value === 'true') return true;
  if (value === false || value === 0 || value === '0' || value === 'false') return false;
  return value;
}

function toDatetime(value: unknown): unknown {
  let ms: number | null = null;
  if (value instanceof Date) ms = value.getTime();
  else if (typeof value === 'number') ms = value; // epoch ms, as Debezium's io.debezium.time.Timestamp
  else if (typeof value === 'string') ms = parseDatetime(value);
  return ms === null || Number.isNaN(ms) ? value : new Date(ms).toISOString();
}

/**
 * The canonical form of a value of `kind`, from either store. Numbers: JSON number or numeric
 * string (BIGINT as string, DECIMAL text) → number. Booleans: true/false/1/0/"1"/"0"/"true"/"false"
 * → boolean (MySQL's TINYINT(1)). Datetimes: Date, epoch ms number, `YYYY-MM-DD HH:MM:SS` (UTC) or
 * ISO → ISO string with ms. Strings compare exactly. `undefined` (a missing field) is null. A value
 * that cannot be brought to the canonical form is returned as is, so it compares unequal.
 */
export function normaliseValue(kind: FieldKind, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  switch (kind) {
    case 'int':
    case 'bigint':
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
