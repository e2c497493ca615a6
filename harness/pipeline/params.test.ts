import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.ts';
import { parsePipelineParams } from './params.ts';

describe('pipeline params', () => {
  it('defaults to the issue sizes and takes --param overrides as numbers', () => {
    expect(parsePipelineParams({})).toEqual({ changes: 100_000, snapshotRows: 100_000, writePathOps: 5_000, concurrency: 4, loadConcurrency: 16, probeOps: 12_000, halfLoadSeconds: 30 });
    expect(parsePipelineParams({ changes: '5000', halfLoadSeconds: '10' })).toMatchObject({ changes: 5000, halfLoadSeconds: 10 });
  });

  it('names an unknown or bad param', () => {
    expect(() => parsePipelineParams({ rows: '5' })).toThrow(ConfigError);
    expect(() => parsePipelineParams({ rows: '5' })).toThrow(/--param rows: the pipeline suite has no such param \(params: changes, /);
    expect(() => parsePipelineParams({ changes: '0' })).toThrow(/--param changes: .*got "0"/);
    expect(() => parsePipelineParams({ concurrency: 'four' })).toThrow(/--param concurrency/);
  });
});
