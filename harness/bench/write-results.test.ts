// Writing results.json: a file that fails its own schema is still written, marked invalid with
// every problem named by its path; a valid one is written unmarked.
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resultFixture, runFixture } from '../../reports/fixtures.ts';
import { readResults } from '../../reports/read-results.ts';
import { resultsFileSchema } from '../results/schema.ts';
import { writeResults } from './write-results.ts';

describe('writeResults', () => {
  it('writes an invalid result anyway, marked with its schema errors', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'converge-results-'));
    const invalid = resultFixture({ ops: { attempted: 3, ok: -1, failed: 0, unknown: 0 } });
    const written = writeResults(dir, runFixture([invalid, resultFixture({ scenario: 'seed-bulk' })]));
    expect(written.schemaErrors).toEqual([expect.stringMatching(/^results\[0\]\.ops\.ok: /)]);
    const onDisk = JSON.parse(readFileSync(path.join(dir, 'results.json'), 'utf8')) as { schemaErrors?: string[]; results: unknown[] };
    expect(onDisk.schemaErrors).toEqual(written.schemaErrors);
    expect(onDisk.results).toHaveLength(2);
    // the report can still read it: the valid pair is drawn, the invalid one named
    const read = readResults(readFileSync(path.join(dir, 'results.json'), 'utf8'));
    expect(read.file.schemaErrors).toEqual(written.schemaErrors);
    expect(read.file.results.map((r) => r.scenario)).toEqual(['seed-bulk']);
    expect(read.invalid[0]).toMatch(/^results\[0\] \(naive × counter-race\) does not match the schema/);
  });

  it('writes a valid file without a schemaErrors mark', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'converge-results-'));
    const written = writeResults(dir, runFixture([resultFixture()]));
    expect(written.schemaErrors).toEqual([]);
    const onDisk: unknown = JSON.parse(readFileSync(written.path, 'utf8'));
    expect(onDisk).not.toHaveProperty('schemaErrors');
    expect(resultsFileSchema.safeParse(onDisk).success).toBe(true);
  });
});
