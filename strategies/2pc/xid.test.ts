// 2pc xids: one prefix per strategy run, never reused across workers, carrying their start time;
// XA RECOVER's rows filtered down to this run's branches.
import { describe, expect, it } from 'vitest';
import { runBranches, xidPrefix, XidSource, xidStartedAt } from './xid.ts';

describe('2pc xids', () => {
  it('share a prefix per run and table, and differ between runs and tables', () => {
    const prefix = xidPrefix('run-1', 'accounts_2pc_ab12');
    expect(prefix).toMatch(/^cv2pc-[0-9a-f]{10}-$/);
    expect(xidPrefix('run-1', 'accounts_2pc_ab12')).toBe(prefix);
    expect(xidPrefix('run-2', 'accounts_2pc_ab12')).not.toBe(prefix);
    expect(xidPrefix('run-1', 'other_2pc_ab12')).not.toBe(prefix);
  });

  it('count up per worker, carry when they began, and stay within the gtrid limit', () => {
    const prefix = xidPrefix('run', 'table');
    const source = new XidSource(prefix, 'a1b2c3', () => 1_764_000_000_123);
    const first = source.next();
    const second = source.next();
    expect(first).toBe(`${prefix}a1b2c3-0-${(1_764_000_000_123).toString(36)}`);
    expect(second).not.toBe(first);
    expect(xidStartedAt(first)).toBe(1_764_000_000_123);
    expect(xidStartedAt('someone-elses-xid')).toBeNull();
    expect(first.length).toBeLessThanOrEqual(64);
    expect(new XidSource(prefix).next()).not.toBe(new XidSource(prefix).next());
  });

  it('keep only this run’s branches from XA RECOVER', () => {
    const prefix = xidPrefix('run', 'table');
    const mine = new XidSource(prefix, 'abcdef').next();
    const theirs = new XidSource(xidPrefix('other', 'table'), 'abcdef').next();
    const row = (gtrid: string, bqual = '', formatID = 1) => ({ formatID, gtrid_length: gtrid.length, bqual_length: bqual.length, data: Buffer.from(gtrid + bqual) });
    expect(runBranches([row(mine), row(theirs), row(mine, 'b1'), row(mine, '', 7), row(`${prefix}junk`)], prefix)).toEqual([mine]);
    expect(runBranches([{ ...row(mine), data: mine }], prefix)).toEqual([mine]);
  });
});
