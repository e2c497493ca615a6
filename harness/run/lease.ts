// A pair's lease on what it creates in an env: before a pair creates anything, the run writes
// `<envDir>/leases/<runId>-<strategy>-<scenario>-<tag>.json` with the bench's pid, the strategy's
// name and the StrategyContext it needs to tear that down again (never endpoints: the env's own
// env.json holds those); it removes the lease once the pair's machinery is torn down and its table
// and index dropped. A lease whose pid is gone is what a killed run left behind (leftovers.ts).
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { StrategyContext } from '../../strategies/contract.ts';

/** The StrategyContext without endpoints: what a teardown needs besides the env. */
export type LeasedContext = Omit<StrategyContext, 'endpoints'>;

export const leaseSchema = z.strictObject({
  /** The process that ran the pair (the bench, or whoever called runStrategy). */
  pid: z.number().int().min(1),
  strategy: z.string().min(1),
  scenario: z.string().min(1),
  /** ISO 8601. */
  createdAt: z.string(),
  /** The pair's table and index are to be kept (`--keep-data`): a cleanup removes only the machinery. */
  keepData: z.boolean(),
  context: z.strictObject({
    runId: z.string(),
    entity: z.record(z.string(), z.unknown()),
    table: z.string(),
    index: z.string(),
    concurrency: z.number().int().min(0),
    options: z.record(z.string(), z.unknown()),
    /** The pair's worker log (in its run folder). */
    logFile: z.string().optional(),
  }),
});
export type Lease = Omit<z.infer<typeof leaseSchema>, 'context'> & { context: LeasedContext };

export function leaseDir(envDir: string): string {
  return path.join(envDir, 'leases');
}

/** Writes the lease (atomically) and returns its path. */
export function writeLease(dir: string, tag: string, lease: Lease): string {
  mkdirSync(dir, { recursive: true });
  const name = `${lease.context.runId}-${lease.strategy}-${lease.scenario}-${tag}.json`.replace(/[^A-Za-z0-9_.-]/g, '-');
  const file = path.join(dir, name);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(lease, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
  return file;
}

export function removeLease(file: string): void {
  rmSync(file, { force: true });
}

/** A lease file as found: its lease, or why it could not be read. */
export type FoundLease = { file: string; lease: Lease } | { file: string; error: string };

/** Every lease in `dir` (none when the folder does not exist), in name order. */
export function readLeases(dir: string): FoundLease[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => name.endsWith('.json')).sort();
  } catch {
    return [];
  }
  return names.map((name): FoundLease => {
    const file = path.join(dir, name);
    try {
      const parsed = leaseSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
      if (!parsed.success) return { file, error: `not a lease: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` };
      return { file, lease: parsed.data as Lease };
    } catch (error) {
      return { file, error: error instanceof Error ? error.message : String(error) };
    }
  });
}

/** A zombie (killed, not yet reaped by its parent) is gone too; only Linux says so, in /proc. */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

/** True while a process with this pid runs (signal 0 probes without signalling; EPERM: it exists). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(pid);
}
