// The saga log's table name fits MySQL's identifier limit and stays distinct per business table.
import { describe, expect, it } from 'vitest';
import { createSagaLogSql, sagaLogTable } from './saga-log-sql.ts';

describe('saga log table', () => {
  it('is saga_log_<table>, or a digest of a long table name within 64 characters', () => {
    expect(sagaLogTable('mixed_crud_saga_a1b2c3')).toBe('saga_log_mixed_crud_saga_a1b2c3');
    const long = `${'x'.repeat(50)}_saga_a1b2c3`;
    const other = `${'x'.repeat(50)}_saga_d4e5f6`;
    expect(sagaLogTable(long).length).toBeLessThanOrEqual(64);
    expect(sagaLogTable(long)).not.toBe(sagaLogTable(other));
  });

  it('keys the pending marker and the saga id uniquely, and a key’s sagas by seq', () => {
    const sql = createSagaLogSql('saga_log_t');
    expect(sql).toContain('UNIQUE KEY `pending_key` (`pending_key`)');
    expect(sql).toContain('UNIQUE KEY `saga_id` (`saga_id`)');
    expect(sql).toContain('KEY `row_seq` (`row_id`, `seq`)');
  });
});
