// converge report: renders a run folder's results.json into its index.html — what `npm run bench`
// calls after writing results.json, and what `npm run report -- RUN_DIR` calls to re-render.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadAssets } from './assets.ts';
import { readResults } from './read-results.ts';
import { renderReport } from './render-report.ts';

export interface WrittenReport {
  path: string;
  bytes: number;
  /** Pairs of results.json the page could not draw, said in one line each (also on the page). */
  invalid: string[];
}

export function writeReport(runDir: string): WrittenReport {
  const source = path.join(runDir, 'results.json');
  const read = readResults(readFileSync(source, 'utf8'), source);
  const page = renderReport(read, loadAssets());
  const target = path.join(runDir, 'index.html');
  writeFileSync(target, page);
  return { path: target, bytes: Buffer.byteLength(page), invalid: read.invalid };
}
