// converge: the committed scenarios/schema.json is what `npm run schema` would write now.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { SCHEMA_PATH } from './export-schema.ts';
import { scenarioJsonSchemaText } from './json-schema.ts';

describe('scenarios/schema.json', () => {
  it('equals a fresh export (run `npm run schema` after changing the scenario schema)', async () => {
    expect(await readFile(SCHEMA_PATH, 'utf8')).toBe(scenarioJsonSchemaText());
  });

  it('lets numbers be written as param references', () => {
    const text = scenarioJsonSchemaText();
    expect(text).toContain('"pattern": "^\\\\$\\\\{[^{}]*\\\\}$"');
  });
});
