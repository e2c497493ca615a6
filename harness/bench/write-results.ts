// Writing a run's results.json: validated against its own schema first, and written whatever the
// outcome — a file that does not validate is still the only record of the run, so it is kept,
// marked invalid with its problems (`schemaErrors`), and the caller says so loudly and exits 1.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { resultsFileSchema, type ResultsFile } from '../results/schema.ts';
import { formatPath } from '../scenario/errors.ts';

export interface WrittenResults {
  path: string;
  /** The schema's problems, one line each (`results[0].ops.ok: …`); empty when the file validated. */
  schemaErrors: string[];
}

export function writeResults(runDir: string, file: ResultsFile): WrittenResults {
  const { schemaErrors: _, ...unmarked } = file;
  const checked = resultsFileSchema.safeParse(unmarked);
  const schemaErrors = checked.success ? [] : checked.error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
  const target = path.join(runDir, 'results.json');
  writeFileSync(target, `${JSON.stringify(schemaErrors.length > 0 ? { ...unmarked, schemaErrors } : unmarked, null, 2)}\n`);
  return { path: target, schemaErrors };
}
