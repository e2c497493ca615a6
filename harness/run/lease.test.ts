// A pair's lease: written with what a teardown needs (never endpoints), read back, unreadable ones
// reported rather than thrown, and a pid that is gone told apart from a live one.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { processAlive, readLeases, removeLease, writeLease, type Lease } from './lease.ts';

const lease: Lease = {
  pid: process.pid,
  strategy: 'cdc',
  scenario: 'mixed-crud',
  createdAt: '2026-11-27T20:00:00.000Z',
  keepData: false,
  context: {
    runId: '2026-11-27_20-00-00',
    entity: { table: 'mixed_crud', columns: { n: { type: 'int', nullable: false } }, projection: { rename: {}, drop: [], computed: {} } },
    table: 'mixed_crud_cdc_a1b2c3',
    index: 'converge-mixed-crud-cdc-a1b2c3',
    concurrency: 8,
    options: {},
    logFile: '/tmp/run/worker-cdc-mixed-crud.log',
  },
};

describe('leases', () => {
  it('are written, read back and removed', () => {
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'converge-leases-')), 'leases');
    const file = writeLease(dir, 'a1b2c3', lease);
    expect(path.basename(file)).toBe('2026-11-27_20-00-00-cdc-mixed-crud-a1b2c3.json');
    expect(readFileSync(file, 'utf8')).not.toContain('endpoints');
    writeFileSync(path.join(dir, 'broken.json'), '{"pid": "nope"');
    const found = readLeases(dir);
    expect(found).toHaveLength(2);
    expect(found.find((f) => f.file === file)).toEqual({ file, lease });
    expect(found.find((f) => f.file.endsWith('broken.json'))).toHaveProperty('error');
    removeLease(file);
    expect(existsSync(file)).toBe(false);
    expect(readLeases(path.join(dir, 'none'))).toEqual([]);
  });

  it('tell a live process from one that is gone', () => {
    expect(processAlive(process.pid)).toBe(true);
    const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    expect(processAlive(Number(child.stdout))).toBe(false);
  });
});
