import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeFault, faultKindNames, faultReferenceProblems, faultSpecSchema } from './fault-spec.ts';

// The way the scenario schema will hold the faults, so paths read as they would in a scenario.
const scenarioPart = z.strictObject({ faults: z.array(faultSpecSchema) });

function issuesOf(faults: unknown[]): { path: string; code: string; message: string }[] {
  const result = scenarioPart.safeParse({ faults });
  if (result.success) return [];
  return result.error.issues.map((issue) => ({ path: issue.path.join('.'), code: issue.code, message: issue.message }));
}

describe('fault spec', () => {
  it('knows the eight kinds', () => {
    expect([...faultKindNames].sort()).toEqual(
      ['connect-restart', 'kafka-restart', 'mysql-kill-connections', 'mysql-restart', 'network', 'search-pause', 'search-restart', 'strategy-crash'].sort(),
    );
  });

  it('fills each kind’s defaults: target, a 5 s pause, no down time for a restart', () => {
    const parsed = scenarioPart.parse({
      faults: [
        { kind: 'search-pause', at: { phase: 'load', fraction: 0.5 } },
        { kind: 'kafka-restart', at: { afterMs: 2000 } },
        { kind: 'mysql-restart', at: { afterMs: 0 }, durationMs: 1500 },
        { kind: 'strategy-crash', at: { phase: 'load', fraction: 0 } },
        { kind: 'network', at: { afterMs: 10 }, target: 'search', mode: 'drop' },
      ],
    }).faults;
    expect(parsed[0]).toEqual({ kind: 'search-pause', at: { phase: 'load', fraction: 0.5 }, durationMs: 5000, target: 'search' });
    expect(parsed[1]).toEqual({ kind: 'kafka-restart', at: { afterMs: 2000 }, durationMs: 0, target: 'kafka' });
    expect(parsed[2]).toMatchObject({ durationMs: 1500, target: 'mysql' });
    expect(parsed[3]).toEqual({ kind: 'strategy-crash', at: { phase: 'load', fraction: 0 }, target: 'worker' });
    expect(parsed[4]).toEqual({ kind: 'network', at: { afterMs: 10 }, durationMs: 5000, target: 'search', mode: 'drop' });
  });

  it('names the kind of an unknown fault kind', () => {
    const issues = issuesOf([{ kind: 'search-pause', at: { afterMs: 1 } }, { kind: 'pause', at: { afterMs: 1 } }]);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path).toBe('faults.1.kind');
  });

  it('names the exact field of a bad timing', () => {
    expect(issuesOf([{ kind: 'search-restart', at: { phase: 'load', fraction: 1.5 } }])).toEqual([
      expect.objectContaining({ path: 'faults.0.at.fraction', code: 'too_big' }),
    ]);
    expect(issuesOf([{ kind: 'search-restart', at: { afterMs: -5 } }])).toEqual([expect.objectContaining({ path: 'faults.0.at.afterMs', code: 'too_small' })]);
    expect(issuesOf([{ kind: 'search-restart', at: { afterMs: 5, phase: 'load' } }])).toEqual([
      expect.objectContaining({ path: 'faults.0.at', code: 'unrecognized_keys' }),
    ]);
    expect(issuesOf([{ kind: 'search-pause', at: { afterMs: 5 }, durationMs: 0 }])).toEqual([
      expect.objectContaining({ path: 'faults.0.durationMs', code: 'too_small' }),
    ]);
    expect(issuesOf([{ kind: 'search-pause' }])).toEqual([expect.objectContaining({ path: 'faults.0.at' })]);
  });

  it('refuses a target a kind cannot take, and a hold on an instantaneous kind', () => {
    expect(issuesOf([{ kind: 'search-restart', at: { afterMs: 1 }, target: 'mysql' }])).toEqual([expect.objectContaining({ path: 'faults.0.target' })]);
    expect(issuesOf([{ kind: 'network', at: { afterMs: 1 }, target: 'worker', mode: 'drop' }])).toEqual([expect.objectContaining({ path: 'faults.0.target' })]);
    expect(issuesOf([{ kind: 'mysql-kill-connections', at: { afterMs: 1 }, durationMs: 100 }])).toEqual([
      expect.objectContaining({ path: 'faults.0', code: 'unrecognized_keys' }),
    ]);
  });

  it('asks latency for its delay and refuses latency options on other modes', () => {
    expect(issuesOf([{ kind: 'network', at: { afterMs: 1 }, target: 'mysql', mode: 'latency' }])).toEqual([
      expect.objectContaining({ path: 'faults.0.latencyMs', message: 'mode latency needs latencyMs (the added delay in ms)' }),
    ]);
    expect(issuesOf([{ kind: 'network', at: { afterMs: 1 }, target: 'mysql', mode: 'reset', jitterMs: 3 }])).toEqual([
      expect.objectContaining({ path: 'faults.0.jitterMs' }),
    ]);
    expect(issuesOf([{ kind: 'network', at: { afterMs: 1 }, target: 'mysql', mode: 'latency', latencyMs: 50, jitterMs: 10 }])).toEqual([]);
  });

  it('checks that a phase trigger names a phase of the scenario', () => {
    const faults = scenarioPart.parse({
      faults: [
        { kind: 'search-pause', at: { phase: 'load', fraction: 0.5 } },
        { kind: 'search-pause', at: { phase: 'lod', fraction: 0.5 } },
        { kind: 'search-pause', at: { afterMs: 1 } },
      ],
    }).faults;
    expect(faultReferenceProblems(faults, ['seed', 'load'])).toEqual([{ path: ['faults', 1, 'at', 'phase'], message: 'unknown phase "lod" (phases: seed, load)' }]);
  });

  it('is representable as JSON Schema for editors, like the rest of the scenario', () => {
    expect(() => z.toJSONSchema(scenarioPart, { io: 'input', unrepresentable: 'throw' })).not.toThrow();
  });

  it('describes a fault in one line', () => {
    const [pause, network] = scenarioPart.parse({
      faults: [
        { kind: 'search-pause', at: { phase: 'load', fraction: 0.5 } },
        { kind: 'network', at: { afterMs: 3000 }, target: 'mysql', mode: 'latency', latencyMs: 100 },
      ],
    }).faults;
    expect(describeFault(pause!)).toBe('search-pause on search at load 50%');
    expect(describeFault(network!)).toBe('network latency 100±0 ms on mysql 3000 ms in');
  });
});
