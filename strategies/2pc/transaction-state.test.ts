// The coordinator's transition table: the happy path and the abort paths are legal, nothing leaves
// a final state, nothing goes back from the commit point, and in-doubt time runs from both votes.
import { describe, expect, it } from 'vitest';
import { IllegalTransitionError, TRANSACTION_STATES, TransactionRecord, TRANSITIONS, type TransactionState } from './transaction-state.ts';

const walk = (path: TransactionState[], clock = { t: 0 }) => {
  const record = new TransactionRecord('x', () => clock.t);
  for (const state of path) {
    clock.t += 10;
    record.to(state);
  }
  return record;
};

describe('2pc transaction states', () => {
  it('takes the commit path and the abort paths', () => {
    expect(walk(['preparing', 'prepared', 'committing', 'committed']).state).toBe('committed');
    expect(walk(['preparing', 'aborting', 'aborted']).state).toBe('aborted');
    expect(walk(['preparing', 'prepared', 'aborting', 'aborted']).state).toBe('aborted');
    expect(walk(['aborting', 'aborted']).state).toBe('aborted');
    expect(walk(['unchanged']).state).toBe('unchanged');
    expect(walk(['preparing', 'prepared', 'committing', 'inDoubt']).state).toBe('inDoubt');
  });

  it('never leaves a final state and never goes back from the commit point', () => {
    for (const final of ['committed', 'aborted', 'unchanged', 'inDoubt'] as const) expect(TRANSITIONS[final]).toEqual([]);
    expect(TRANSITIONS.committing).not.toContain('aborting');
    expect(() => walk(['preparing', 'prepared', 'committing', 'aborting'])).toThrow(IllegalTransitionError);
    expect(() => walk(['prepared'])).toThrow('no transition from active to prepared');
    for (const state of TRANSACTION_STATES) for (const next of TRANSITIONS[state]) expect(TRANSACTION_STATES).toContain(next);
  });

  it('measures in-doubt time from both votes to the end', () => {
    const clock = { t: 0 };
    const record = walk(['preparing', 'prepared', 'committing'], clock);
    expect(record.inDoubtMs()).toBeNull();
    clock.t += 25;
    record.to('committed');
    expect(record.inDoubtMs()).toBe(35); // prepared at 20, committing at 30, committed at 55
    expect(walk(['preparing', 'aborting', 'aborted']).inDoubtMs()).toBeNull();
  });
});
