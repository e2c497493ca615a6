// converge: `npm run schema` — writes scenarios/schema.json from the zod schema.
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { scenarioJsonSchemaText } from './json-schema.ts';

/** Where the committed JSON Schema lives. */
export const SCHEMA_PATH = fileURLToPath(new URL('../../scenarios/schema.json', import.meta.url));

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await writeFile(SCHEMA_PATH, scenarioJsonSchemaText());
  console.log(`wrote ${SCHEMA_PATH}`);
}
