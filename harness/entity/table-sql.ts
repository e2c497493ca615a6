// SQL for an entity's table: the CREATE TABLE (harness-managed `id` BIGINT primary key and
// `version` BIGINT), and the statements of the four write kinds. Identifiers are validated by the
// scenario schema and quoted here; values always travel as placeholders.
import type { ColumnType, Entity } from '../scenario/schema.ts';

export const quote = (identifier: string) => `\`${identifier.replaceAll('`', '``')}\``;

const SQL_TYPES: Record<Exclude<ColumnType, 'varchar'>, string> = {
  int: 'INT',
  bigint: 'BIGINT',
  text: 'TEXT',
  double: 'DOUBLE',
  boolean: 'BOOLEAN',
  datetime: 'DATETIME',
};

export function createTableSql(entity: Entity, table: string): string {
  const columns = Object.entries(entity.columns).map(([name, column]) => {
    const type = column.type === 'varchar' ? `VARCHAR(${column.length})` : SQL_TYPES[column.type];
    return `  ${quote(name)} ${type} ${column.nullable ? 'NULL' : 'NOT NULL'}`;
  });
  return [
    `CREATE TABLE ${quote(table)} (`,
    ['  `id` BIGINT NOT NULL', '  `version` BIGINT NOT NULL', ...columns, '  PRIMARY KEY (`id`)'].join(',\n'),
    ') ENGINE=InnoDB DEFAULT CHARSET=utf8mb4',
  ].join('\n');
}

export function dropTableSql(table: string): string {
  return `DROP TABLE IF EXISTS ${quote(table)}`;
}

export interface Statement {
  sql: string;
  params: unknown[];
}

export function insertStatement(table: string, id: number, values: Record<string, unknown>): Statement {
  const names = Object.keys(values);
  return {
    sql: `INSERT INTO ${quote(table)} (\`id\`, \`version\`${names.map((name) => `, ${quote(name)}`).join('')}) VALUES (?, 1${', ?'.repeat(names.length)})`,
    params: [id, ...names.map((name) => values[name])],
  };
}

export function updateStatement(table: string, id: number, values: Record<string, unknown>): Statement {
  const names = Object.keys(values);
  return {
    sql: `UPDATE ${quote(table)} SET ${names.map((name) => `${quote(name)} = ?`).join(', ')}${names.length ? ', ' : ''}\`version\` = \`version\` + 1 WHERE \`id\` = ?`,
    params: [...names.map((name) => values[name]), id],
  };
}

export function incrementStatement(table: string, id: number, column: string, delta: number): Statement {
  return {
    sql: `UPDATE ${quote(table)} SET ${quote(column)} = ${quote(column)} + ?, \`version\` = \`version\` + 1 WHERE \`id\` = ?`,
    params: [delta, id],
  };
}

export function deleteStatement(table: string, id: number): Statement {
  return { sql: `DELETE FROM ${quote(table)} WHERE \`id\` = ?`, params: [id] };
}

export function selectRowStatement(table: string, id: number, forUpdate = false): Statement {
  return { sql: `SELECT * FROM ${quote(table)} WHERE \`id\` = ?${forUpdate ? ' FOR UPDATE' : ''}`, params: [id] };
}

/** Keyset pagination over the table in id order, for the checker's final read. */
export function keysetPageStatement(table: string, afterId: number, limit: number): Statement {
  return { sql: `SELECT * FROM ${quote(table)} WHERE \`id\` > ? ORDER BY \`id\` LIMIT ?`, params: [afterId, limit] };
}
