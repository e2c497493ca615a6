// The saga's options: defaults, and errors that name the option.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../harness/errors.ts';
import { parseSagaOptions } from './options.ts';

describe('saga options', () => {
  it('defaults to ack end, semantic-lock with a 5 s wait, 5 index attempts', () => {
    expect(parseSagaOptions({})).toEqual({
      ack: 'end',
      isolation: 'semantic-lock',
      lockTimeoutMs: 5000,
      indexAttempts: 5,
      compensationAttempts: 20,
      retryInitialMs: 50,
      retryMaxMs: 2000,
      indexRefresh: 'none',
    });
    expect(parseSagaOptions(undefined).ack).toBe('end');
  });

  it('names every bad option', () => {
    const error = (() => {
      try {
        parseSagaOptions({ ack: 'later', lockTimeoutMs: -1, isolaton: 'none' });
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('strategies.saga.ack');
    expect(message).toContain('strategies.saga.lockTimeoutMs');
    expect(message).toContain('strategies.saga.isolaton: unknown option');
    expect(() => parseSagaOptions({ retryInitialMs: 500, retryMaxMs: 100 })).toThrow('strategies.saga.retryMaxMs: 100 is below retryInitialMs (500)');
  });
});
