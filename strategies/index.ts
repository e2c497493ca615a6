// The strategy registry: one name → factory map. The CLI validates names against it, and the
// worker process builds strategies from it by name.
import { ConfigError } from '../harness/errors.ts';
import type { StrategyFactory } from './contract.ts';
import { cdcStrategy } from './cdc/index.ts';
import { naiveStrategy } from './naive/index.ts';
import { sagaStrategy } from './saga/index.ts';

export const strategyRegistry: Readonly<Record<string, StrategyFactory>> = {
  naive: naiveStrategy,
  cdc: cdcStrategy,
  saga: sagaStrategy,
};

export function strategyNames(): string[] {
  return Object.keys(strategyRegistry);
}

export function strategyFactory(name: string): StrategyFactory {
  const factory = strategyRegistry[name];
  if (!factory) throw new ConfigError(`--strategies: unknown strategy ${JSON.stringify(name)}; known: ${strategyNames().join(', ')}`);
  return factory;
}
