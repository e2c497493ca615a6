// Recovery's plan (presumed abort): prepared with COMMIT logged → commit; prepared without (or with
// ABORT) → roll back; staged with no prepared branch → drop; this process's running transactions untouched.
import { describe, expect, it } from 'vitest';
import { planRecovery } from './recovery.ts';

describe('2pc recovery plan', () => {
  it('commits what the log says, rolls back the rest, drops orphan staging, leaves running transactions alone', () => {
    const plan = planRecovery({
      prepared: ['a', 'b', 'c', 'running'],
      decisions: new Map([
        ['a', { decision: 'commit' as const }],
        ['c', { decision: 'abort' as const }],
        ['gone', { decision: 'commit' as const }],
      ]),
      staged: ['a', 'b', 'gone', 'never-prepared', 'running', 'staging-only-running'],
      inFlight: new Set(['running', 'staging-only-running']),
    });
    expect(plan).toEqual({ commit: ['a'], rollBack: ['b', 'c'], dropStaged: ['gone', 'never-prepared'] });
  });

  it('has nothing to do when nothing is prepared or staged', () => {
    expect(planRecovery({ prepared: [], decisions: new Map(), staged: [], inFlight: new Set() })).toEqual({ commit: [], rollBack: [], dropStaged: [] });
  });
});
