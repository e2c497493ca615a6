// converge report: reading results.json — a damaged pair is named and the others still render; a
// file that is not a run of schemaVersion 1 is refused with what is wrong.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../harness/errors.ts';
import { resultFixture, runFixture } from './fixtures.ts';
import { readResults } from './read-results.ts';

describe('readResults', () => {
  it('reads a valid file whole', () => {
    const file = runFixture([resultFixture()]);
    expect(readResults(JSON.stringify(file))).toEqual({ file, invalid: [] });
  });

  it('keeps the valid pairs and names the damaged one with its fields', () => {
    const good = resultFixture();
    const { latencyMs: _, ...bad } = resultFixture({ strategy: 'cdc' });
    const read = readResults(JSON.stringify({ ...runFixture([good]), results: [good, bad] }));
    expect(read.file.results).toEqual([good]);
    expect(read.invalid).toHaveLength(1);
    expect(read.invalid[0]).toMatch(/^results\[1\] \(cdc × counter-race\) does not match the schema: .*latencyMs/);
  });

  it('refuses text that is not JSON and a run of another schema version', () => {
    expect(() => readResults('{"schemaVersion":', 'run/results.json')).toThrow(ConfigError);
    expect(() => readResults(JSON.stringify({ ...runFixture([]), schemaVersion: 2 }))).toThrow(/schemaVersion/);
  });
});
