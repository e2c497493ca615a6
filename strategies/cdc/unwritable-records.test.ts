// A record the sink cannot write: skipped, dropped or failing the task by the option that applies
// to whoever met the problem, and reported to the dead-letter topic only with errors.tolerance=all.
import { describe, expect, it } from 'vitest';
import { reportsToDeadLetter, unwritableOutcome } from './unwritable-records.ts';

const defaults = { errorsTolerance: 'none' as const, dropInvalid: false, malformed: 'fail' as const };

describe('records the sink cannot write', () => {
  it('fail the task with every option at its default (the Confluent connector as shipped)', () => {
    expect(unwritableOutcome('framework', defaults)).toEqual({ outcome: 'fail', rule: 'errors.tolerance=none' });
    expect(unwritableOutcome('connector', defaults)).toEqual({ outcome: 'fail', rule: 'drop.invalid.message=false' });
    expect(unwritableOutcome('malformed', defaults)).toEqual({ outcome: 'fail', rule: 'behavior.on.malformed.documents=fail' });
    expect(unwritableOutcome('engine', defaults).outcome).toBe('fail');
  });

  it('are skipped only by the option that applies to whoever met the problem', () => {
    expect(unwritableOutcome('framework', { ...defaults, errorsTolerance: 'all' })).toEqual({ outcome: 'skip', counter: 'skippedByTolerance' });
    expect(unwritableOutcome('connector', { ...defaults, errorsTolerance: 'all' }).outcome).toBe('fail');
    expect(unwritableOutcome('connector', { ...defaults, dropInvalid: true })).toEqual({ outcome: 'skip', counter: 'droppedInvalid' });
    expect(unwritableOutcome('framework', { ...defaults, dropInvalid: true }).outcome).toBe('fail');
    expect(unwritableOutcome('malformed', { ...defaults, malformed: 'warn' })).toEqual({ outcome: 'skip', counter: 'malformedSkipped' });
    expect(unwritableOutcome('malformed', { ...defaults, malformed: 'ignore' })).toEqual({ outcome: 'skip', counter: 'malformedSkipped' });
    expect(unwritableOutcome('engine', { errorsTolerance: 'all', dropInvalid: true, malformed: 'ignore' }).outcome).toBe('fail');
  });

  it('go to the dead-letter topic only with errors.tolerance=all and a named topic', () => {
    expect(reportsToDeadLetter({ errorsTolerance: 'all', deadLetterNamed: true })).toBe(true);
    expect(reportsToDeadLetter({ errorsTolerance: 'none', deadLetterNamed: true })).toBe(false);
    expect(reportsToDeadLetter({ errorsTolerance: 'all', deadLetterNamed: false })).toBe(false);
  });
});
