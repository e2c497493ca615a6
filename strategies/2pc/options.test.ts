// The 2pc strategy's options: defaults, and errors that name the option.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../harness/errors.ts';
import { parseTwoPcOptions } from './options.ts';

describe('2pc options', () => {
  it('defaults to a 10 s lock wait, 3 prepare attempts, 40 phase-2 attempts, no hold point', () => {
    expect(parseTwoPcOptions({})).toEqual({ lockWaitTimeoutS: 10, prepareAttempts: 3, phaseTwoAttempts: 40, retryInitialMs: 20, retryMaxMs: 1000 });
    expect(parseTwoPcOptions(undefined).lockWaitTimeoutS).toBe(10);
    expect(parseTwoPcOptions({ holdAt: { point: 'after-decision', ids: [7] } }).holdAt).toEqual({ point: 'after-decision', ids: [7] });
  });

  it('names every bad option', () => {
    let error: unknown;
    try {
      parseTwoPcOptions({ lockWaitTimeoutS: 0, holdAt: { point: 'mid-air', ids: [] }, lockwait: 3 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('strategies.2pc.lockWaitTimeoutS');
    expect(message).toContain('strategies.2pc.holdAt.point');
    expect(message).toContain('strategies.2pc.holdAt.ids');
    expect(message).toContain('strategies.2pc.lockwait: unknown option');
    expect(() => parseTwoPcOptions({ retryInitialMs: 500, retryMaxMs: 100 })).toThrow('strategies.2pc.retryMaxMs: 100 is below retryInitialMs (500)');
  });
});
