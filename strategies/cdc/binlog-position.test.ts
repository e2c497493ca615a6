// Versions from binlog positions: ordered like the binlog, distinct per change, stable per event.
import { describe, expect, it } from 'vitest';
import { binlogVersion, compareBinlog, fileSequence, sourcePosition } from './binlog-position.ts';

describe('binlog versions', () => {
  it('reads the file sequence from the name', () => {
    expect(fileSequence('mysql-bin.000004')).toBe(4);
    expect(fileSequence('binlog.123456')).toBe(123456);
    expect(() => fileSequence('mysql-bin')).toThrow(RangeError);
  });

  it('grows with file, then position, then row', () => {
    const ordered = [
      { file: 'mysql-bin.000004', pos: 100, row: 0 },
      { file: 'mysql-bin.000004', pos: 100, row: 1 },
      { file: 'mysql-bin.000004', pos: 350, row: 0 },
      { file: 'mysql-bin.000005', pos: 4, row: 0 },
    ];
    const versions = ordered.map(binlogVersion);
    expect([...versions].sort((a, b) => a - b)).toEqual(versions);
    expect(new Set(versions).size).toBe(versions.length);
    for (let i = 1; i < ordered.length; i++) expect(compareBinlog(ordered[i - 1]!, ordered[i]!)).toBeLessThan(0);
  });

  it('gives the same event the same version however often it is delivered', () => {
    const event = { file: 'mysql-bin.000004', pos: 18277407, row: 1 };
    expect(binlogVersion({ ...event })).toBe(binlogVersion(event));
  });

  it('keeps a file change above any position of the previous file', () => {
    expect(binlogVersion({ file: 'b.000002', pos: 4, row: 0 })).toBeGreaterThan(binlogVersion({ file: 'b.000001', pos: 2 ** 32 - 2, row: 1 }));
  });

  it('stays within safe integers and refuses what does not fit', () => {
    expect(Number.isSafeInteger(binlogVersion({ file: 'b.2097151', pos: 2 ** 32 - 2, row: 1 }))).toBe(true);
    expect(() => binlogVersion({ file: 'b.2097152', pos: 4, row: 0 })).toThrow(RangeError);
    expect(() => binlogVersion({ file: 'b.1', pos: 2 ** 32 - 1, row: 1 })).toThrow(RangeError);
  });

  it('reads the position from a Debezium source block', () => {
    expect(sourcePosition({ file: 'mysql-bin.000004', pos: 18277407, row: 1, snapshot: 'false' })).toEqual({ file: 'mysql-bin.000004', pos: 18277407, row: 1 });
    expect(sourcePosition({ file: 'mysql-bin.000004', pos: 9 })).toEqual({ file: 'mysql-bin.000004', pos: 9, row: 0 });
    expect(sourcePosition({ file: '', pos: 0 })).toBeNull();
    expect(sourcePosition(null)).toBeNull();
  });
});
