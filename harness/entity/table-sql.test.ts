// SQL built from an entity: column types, quoting, placeholders for every value, and how MySQL
// errors map onto definite failures and unknown outcomes.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario/load.ts';
import { classifyMysqlError, MysqlRejectedError } from './mysql-writes.ts';
import { createTableSql, deleteStatement, incrementStatement, insertStatement, keysetPageStatement, updateStatement } from './table-sql.ts';

const scenario = parseScenario(
  `
name: sql
description: entity for SQL tests
entity:
  table: accounts
  columns:
    owner: { type: varchar, length: 40 }
    note: { type: text, nullable: true }
    amount: { type: int }
    balance: { type: double }
    active: { type: boolean }
    opened: { type: datetime }
phases:
  - { name: p, ops: 1, mix: { read: 1 } }
faults: []
`,
  {},
  'sql.yaml',
);

describe('table SQL', () => {
  it('creates the harness columns and one typed column per declared column', () => {
    const sql = createTableSql(scenario.entity, 'accounts_naive_abc');
    expect(sql).toContain('CREATE TABLE `accounts_naive_abc`');
    expect(sql).toContain('`id` BIGINT NOT NULL');
    expect(sql).toContain('`version` BIGINT NOT NULL');
    expect(sql).toContain('`owner` VARCHAR(40) NOT NULL');
    expect(sql).toContain('`note` TEXT NULL');
    expect(sql).toContain('`active` BOOLEAN NOT NULL');
    expect(sql).toContain('`opened` DATETIME NOT NULL');
    expect(sql).toContain('PRIMARY KEY (`id`)');
  });

  it('sends every value as a placeholder and bumps the version on updates', () => {
    expect(insertStatement('t', 5, { owner: "x'); DROP TABLE t; --", amount: 3 })).toEqual({
      sql: 'INSERT INTO `t` (`id`, `version`, `owner`, `amount`) VALUES (?, 1, ?, ?)',
      params: [5, "x'); DROP TABLE t; --", 3],
    });
    expect(updateStatement('t', 5, { amount: 4 })).toEqual({ sql: 'UPDATE `t` SET `amount` = ?, `version` = `version` + 1 WHERE `id` = ?', params: [4, 5] });
    expect(incrementStatement('t', 5, 'amount', 2)).toEqual({
      sql: 'UPDATE `t` SET `amount` = `amount` + ?, `version` = `version` + 1 WHERE `id` = ?',
      params: [2, 5],
    });
    expect(deleteStatement('t', 5)).toEqual({ sql: 'DELETE FROM `t` WHERE `id` = ?', params: [5] });
    expect(keysetPageStatement('t', 100, 50)).toEqual({ sql: 'SELECT * FROM `t` WHERE `id` > ? ORDER BY `id` LIMIT ?', params: [100, 50] });
  });
});

describe('MySQL error classification', () => {
  const sqlError = (code: string, sqlState?: string) => Object.assign(new Error(code), { code, ...(sqlState ? { sqlState } : {}) });

  it('a duplicate key is a definite rejection, never retried', () => {
    const error = classifyMysqlError(sqlError('ER_DUP_ENTRY', '23000'), false);
    expect(error).toBeInstanceOf(MysqlRejectedError);
    expect(error).toMatchObject({ definite: true, retriable: false });
  });

  it('a connection lost mid-write leaves the outcome unknown', () => {
    expect(classifyMysqlError(sqlError('PROTOCOL_CONNECTION_LOST'), false)).toMatchObject({ definite: false });
    expect(classifyMysqlError(sqlError('ECONNRESET'), true)).toMatchObject({ definite: false });
  });

  it('a refused connection or a deadlock is definite and retriable', () => {
    expect(classifyMysqlError(sqlError('ECONNREFUSED'), false)).toMatchObject({ definite: true, retriable: true });
    expect(classifyMysqlError(sqlError('ER_LOCK_DEADLOCK', '40001'), false)).toMatchObject({ definite: true, retriable: true });
  });
});
