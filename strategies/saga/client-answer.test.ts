// What the client is told at each end of a saga, under both ack modes.
import { describe, expect, it } from 'vitest';
import type { Op } from '../../harness/workload/op.ts';
import { answerAfterStepOne, answerAtEnd } from './client-answer.ts';
import { SagaCompensatedError, SagaFailedError } from './errors.ts';
import type { SagaContext } from './saga-machine.ts';

const op: Op = { index: 0, phase: 'p', kind: 'update', id: 1, values: { a: 1 } };
const row = { id: 1, version: 2, a: 1 };
const context = (over: Partial<SagaContext> = {}): SagaContext => ({
  sagaId: 's',
  op,
  limits: { lockDeadline: 0, lockTimeoutMs: 0, indexAttempts: 1, compensationAttempts: 1, retryInitialMs: 1, retryMaxMs: 1 },
  step: { seq: 1, outcome: { value: row, version: 2 }, before: { ...row, version: 1 }, after: row },
  compensation: null,
  attempts: 0,
  rejection: null,
  error: null,
  ...over,
});

describe('client answers', () => {
  it('ack end: done and moot are ok with the committed row, compensated is a definite fail, failed is unknown', () => {
    expect(answerAtEnd('done', context())).toEqual({ value: row, version: 2 });
    expect(answerAtEnd('compensationMoot', context())).toEqual({ value: row, version: 2 });
    expect(() => answerAtEnd('compensated', context({ rejection: { name: 'SearchRequestError', message: '400', definite: true, retriable: false } }))).toThrow(SagaCompensatedError);
    expect(() => answerAtEnd('compensated', context())).toThrow(expect.objectContaining({ definite: true }));
    expect(() => answerAtEnd('failed', context())).toThrow(SagaFailedError);
    expect(() => answerAtEnd('failed', context())).toThrow(expect.objectContaining({ definite: false }));
  });

  it('both modes: an aborted step 1 answers with its own error and flags; an unchanged write is ok with no row', () => {
    const error = { name: 'MysqlRejectedError', message: 'MySQL rejected the write: ER_DUP_ENTRY', definite: true, retriable: false };
    for (const answer of [answerAtEnd, answerAfterStepOne]) {
      expect(() => answer('aborted', context({ step: null, error }))).toThrow(expect.objectContaining({ message: error.message, definite: true, name: 'MysqlRejectedError' }));
      expect(answer('unchanged', context({ step: { seq: null, outcome: { value: null, version: null }, before: null, after: null } }))).toEqual({ value: null, version: null });
    }
  });

  it('ack step1: the committed row, whatever the saga does next', () => {
    expect(answerAfterStepOne('indexing', context())).toEqual({ value: row, version: 2 });
    expect(answerAfterStepOne('compensated', context())).toEqual({ value: row, version: 2 });
  });

  it('a machine that stopped on an error before step 1 settled is an unknown outcome, in both modes', () => {
    const broken = context({ step: null, error: { name: 'MachineError', message: 'boom', definite: false, retriable: false } });
    expect(() => answerAfterStepOne('error', broken)).toThrow(expect.objectContaining({ definite: false, name: 'SagaFailedError' }));
    expect(() => answerAtEnd('error', broken)).toThrow(expect.objectContaining({ definite: false, name: 'SagaFailedError' }));
  });
});
