// A strategy's options (`strategies.<name>` in a scenario) parsed against its zod schema, defaults
// applied; every bad option is named in one ConfigError (`strategies.<name>.<option>: why`).
import type { z } from 'zod';
import { ConfigError } from '../harness/errors.ts';

/** The options as `schema` outputs them; a ConfigError naming every problem otherwise. */
export function parseStrategyOptions<S extends z.ZodType>(strategy: string, schema: S, raw: unknown): z.output<S> {
  const parsed = schema.safeParse(raw ?? {});
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') return `${issue.keys.map((key) => `strategies.${strategy}.${key}`).join(', ')}: unknown option`;
    return `strategies.${strategy}.${issue.path.join('.')}: ${issue.message}`;
  });
  throw optionsError(strategy, problems);
}

/** The ConfigError for problems with a strategy's options, each naming its option. */
export function optionsError(strategy: string, problems: string[]): ConfigError {
  return new ConfigError(`${strategy} options: ${problems.join('; ')}`);
}
