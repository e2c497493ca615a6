// Transaction ids (XA xids) of the 2pc coordinator. Each is the gtrid of an XA branch (format 1,
// empty bqual), the id of its staged document, and the key of its decision-log row:
//   cv2pc-<run>-<worker>-<seq>-<started>
// <run> is 10 hex digits of a digest of the run id and the table: every xid of one strategy run
// shares the prefix `cv2pc-<run>-`, so recovery and teardown touch this run's branches only (XA
// RECOVER lists every prepared branch of the server). <worker> is random per worker process, so a
// restarted coordinator never reuses a crashed one's xid; <seq> counts up in the process (base 36);
// <started> is when the transaction began (epoch ms, base 36): after a crash, a branch's in-doubt
// time is measured from it. 6 + 11 + 7 + ≤ 7 + 9 characters: far below XA's 64-byte gtrid limit.
import { createHash, randomBytes } from 'node:crypto';

const XID_PATTERN = /^(cv2pc-[0-9a-f]{10}-)[0-9a-f]{6}-[0-9a-z]+-([0-9a-z]+)$/;

/** The prefix every xid of this strategy run starts with. */
export function xidPrefix(runId: string, table: string): string {
  return `cv2pc-${createHash('sha1').update(`${runId}\0${table}`).digest('hex').slice(0, 10)}-`;
}

export class XidSource {
  private seq = 0;

  constructor(
    readonly prefix: string,
    private readonly worker = randomBytes(3).toString('hex'),
    private readonly now: () => number = Date.now,
  ) {}

  next(): string {
    return `${this.prefix}${this.worker}-${(this.seq++).toString(36)}-${this.now().toString(36)}`;
  }
}

/** When the transaction `xid` began (epoch ms); null for a string that is not a 2pc xid. */
export function xidStartedAt(xid: string): number | null {
  const match = XID_PATTERN.exec(xid);
  return match ? parseInt(match[2]!, 36) : null;
}

/** One row of `XA RECOVER`: the format id, the lengths of gtrid and bqual, and both in `data`. */
export interface RecoveredBranch {
  formatID: number;
  gtrid_length: number;
  bqual_length: number;
  data: Buffer | string;
}

/** The gtrids of the prepared branches that belong to the run of `prefix` (format 1, empty bqual). */
export function runBranches(rows: readonly RecoveredBranch[], prefix: string): string[] {
  const out: string[] = [];
  for (const row of rows) {
    if (Number(row.formatID) !== 1 || Number(row.bqual_length) !== 0) continue;
    const data = typeof row.data === 'string' ? Buffer.from(row.data, 'latin1') : row.data;
    const gtrid = data.subarray(0, Number(row.gtrid_length)).toString('latin1');
    if (gtrid.startsWith(prefix) && XID_PATTERN.test(gtrid)) out.push(gtrid);
  }
  return out;
}
