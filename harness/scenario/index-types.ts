// converge: the search-index field types a numeric column may be mapped to when they differ from
// its default (`indexType`), and which values each type can hold. A value MySQL accepts but the
// column's index type cannot hold is rejected by the engine itself (a 400 mapper_parsing_exception):
// that is how a scenario makes poison writes (see `phases[].poison`).
import type { Column, ColumnType } from './schema.ts';

/** Index field types a column may declare with `indexType`. */
export const INDEX_FIELD_TYPES = ['long', 'integer', 'short', 'byte', 'double', 'float'] as const;
export type IndexFieldType = (typeof INDEX_FIELD_TYPES)[number];

const INTEGER_TYPES: ReadonlySet<IndexFieldType> = new Set(['long', 'integer', 'short', 'byte']);
const FLOAT_TYPES: ReadonlySet<IndexFieldType> = new Set(['double', 'float']);

/** Inclusive ranges of the integer types (long's is wider than any safe JS integer). */
const INTEGER_RANGES: Readonly<Record<'integer' | 'short' | 'byte', readonly [number, number]>> = {
  integer: [-2_147_483_648, 2_147_483_647],
  short: [-32_768, 32_767],
  byte: [-128, 127],
};
const FLOAT_MAX = 3.4028234663852886e38;

/** The index type a column gets without `indexType`, or null for non-numeric columns. */
export function defaultIndexType(type: ColumnType): IndexFieldType | null {
  if (type === 'int' || type === 'bigint') return 'long';
  if (type === 'double') return 'double';
  return null;
}

/** Why `indexType` cannot map a column of `type`, or null when it can. */
export function indexTypeProblem(type: ColumnType, indexType: IndexFieldType): string | null {
  if (type === 'int' || type === 'bigint') return INTEGER_TYPES.has(indexType) ? null : `a ${type} column maps to an integer index type (long, integer, short, byte), not ${indexType}`;
  if (type === 'double') return FLOAT_TYPES.has(indexType) ? null : `a double column maps to double or float, not ${indexType}`;
  return `indexType is for numeric columns (int, bigint, double), not ${type}`;
}

/** The index type a column is mapped to: its `indexType`, else its default. */
export function columnIndexType(column: Column): IndexFieldType | null {
  return ('indexType' in column ? column.indexType : undefined) ?? defaultIndexType(column.type);
}

/** Whether a field of `indexType` holds the JSON value `value` (null always fits). */
export function indexTypeHolds(indexType: IndexFieldType, value: unknown): boolean {
  if (value === null) return true;
  if (typeof value !== 'number' || !Number.isFinite(value)) return false;
  if (indexType === 'long') return Number.isSafeInteger(value);
  if (indexType === 'double') return true;
  if (indexType === 'float') return Math.abs(value) <= FLOAT_MAX;
  const [min, max] = INTEGER_RANGES[indexType];
  return Number.isInteger(value) && value >= min && value <= max;
}
