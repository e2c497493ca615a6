// converge: the projection from a MySQL row (shape A) to the index document (shape B): renamed,
// dropped and computed fields, plus the field kinds used to compare documents from either store.
import type { Entity, Expr } from './schema.ts';
import { normaliseValue, type FieldKind } from './values.ts';

/** A row as the harness sees it: `id`, `version` and column values (raw from the driver, or canonical). */
export type Row = { readonly id: number; readonly [column: string]: unknown };
/** An index document: `id`, `version` and the projected fields. */
export type Doc = { readonly id: number; readonly [field: string]: unknown };

function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value) ?? '';
}

function evaluate(expr: Expr, row: Readonly<Record<string, unknown>>): unknown {
  if (expr === null || typeof expr !== 'object') return expr;
  if ('col' in expr) return row[expr.col] ?? null;
  if ('upper' in expr || 'lower' in expr) {
    const inner = evaluate('upper' in expr ? expr.upper : expr.lower, row);
    if (inner === null) return null;
    return 'upper' in expr ? text(inner).toUpperCase() : text(inner).toLowerCase();
  }
  if ('concat' in expr) return expr.concat.map((e) => text(evaluate(e, row) ?? '')).join('');
  if ('coalesce' in expr) {
    for (const e of expr.coalesce) {
      const v = evaluate(e, row);
      if (v !== null) return v;
    }
    return null;
  }
  const args = ('add' in expr ? expr.add : expr.multiply).map((e) => evaluate(e, row));
  if (args.some((v) => v === null)) return null;
  const nums = args.map((v) => Number(normaliseValue('number', v)));
  return 'add' in expr ? nums.reduce((a, b) => a + b, 0) : nums.reduce((a, b) => a * b, 1);
}

function exprKind(entity: Entity, expr: Expr): FieldKind {
  if (expr === null || typeof expr !== 'object') return 'any';
  if ('col' in expr) return entity.columns[expr.col]?.type ?? 'any';
  if ('concat' in expr || 'upper' in expr || 'lower' in expr) return 'string';
  if ('add' in expr || 'multiply' in expr) return 'number';
  return 'any';
}

/** The document field → kind map of an entity's projection, `id` and `version` included. */
export function docFieldKinds(entity: Entity): Map<string, FieldKind> {
  const kinds = new Map<string, FieldKind>([
    ['id', 'bigint'],
    ['version', 'bigint'],
  ]);
  const { rename, drop, computed } = entity.projection;
  for (const [name, column] of Object.entries(entity.columns)) {
    if (!drop.includes(name)) kinds.set(rename[name] ?? name, column.type);
  }
  for (const [name, expr] of Object.entries(computed)) kinds.set(name, exprKind(entity, expr));
  return kinds;
}

/**
 * The index document a consistent strategy should hold for `row`: `id` and `version` unchanged,
 * each column canonicalised (see normaliseValue), renamed or dropped, then computed fields
 * evaluated on the canonical row under MySQL's column names.
 */
export function projectRow(entity: Entity, row: Row): Doc {
  const canonical: Record<string, unknown> = { id: Number(normaliseValue('bigint', row.id)) };
  canonical.version = normaliseValue('bigint', row.version);
  for (const [name, column] of Object.entries(entity.columns)) canonical[name] = normaliseValue(column.type, row[name]);
  const doc: Record<string, unknown> = { id: canonical.id, version: canonical.version };
  const { rename, drop, computed } = entity.projection;
  for (const name of Object.keys(entity.columns)) {
    if (!drop.includes(name)) doc[rename[name] ?? name] = canonical[name];
  }
  for (const [name, expr] of Object.entries(computed)) doc[name] = evaluate(expr, canonical);
  return doc as Doc;
}

/** Every column an expression reads. */
export function exprColumns(expr: Expr): string[] {
  if (expr === null || typeof expr !== 'object') return [];
  if ('col' in expr) return [expr.col];
  if ('upper' in expr) return exprColumns(expr.upper);
  if ('lower' in expr) return exprColumns(expr.lower);
  const list = 'concat' in expr ? expr.concat : 'add' in expr ? expr.add : 'multiply' in expr ? expr.multiply : expr.coalesce;
  return list.flatMap(exprColumns);
}
