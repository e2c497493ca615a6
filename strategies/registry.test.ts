// The strategy registry: one entry per name with factory, description, control-group flag and
// options schema; naive is the control group; names and factories are looked up as before.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../harness/errors.ts';
import { strategyEntry, strategyFactory, strategyNames, strategyRegistry } from './index.ts';

describe('strategy registry', () => {
  it('holds an entry per strategy, naive as the only control group', () => {
    expect(strategyNames()).toEqual(['naive', 'cdc', 'saga', '2pc']);
    expect(Object.entries(strategyRegistry).filter(([, entry]) => entry.controlGroup).map(([name]) => name)).toEqual(['naive']);
    for (const name of strategyNames()) {
      expect(strategyEntry(name).description.length).toBeGreaterThan(10);
      expect(strategyFactory(name)().name).toBe(name);
      expect(strategyEntry(name).optionsSchema.safeParse({}).success).toBe(true);
    }
  });

  it('gives every strategy an options schema that accepts no options and refuses unknown ones', () => {
    for (const name of strategyNames()) {
      expect(strategyEntry(name).optionsSchema.safeParse({}).success).toBe(true);
      expect(strategyEntry(name).optionsSchema.safeParse({ noSuchOption: 1 }).success).toBe(false);
    }
  });

  it('refuses an unknown name with a ConfigError listing the known ones', () => {
    expect(() => strategyFactory('telepathy')).toThrow(ConfigError);
    expect(() => strategyEntry('toString')).toThrow('--strategies: unknown strategy "toString"; known: naive, cdc');
  });
});
