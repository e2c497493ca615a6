// `npm run report -- RUN_DIR`: re-renders the index.html of an existing run folder from its
// results.json and prints the page's path. Exit 2 when the folder holds no readable results.json.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../harness/errors.ts';
import { writeReport } from './write-report.ts';

function main(args: string[]): number {
  if (args.length !== 1 || args[0]!.startsWith('-')) {
    process.stderr.write('usage: npm run report -- RUN_DIR   (a folder holding results.json)\n');
    return 2;
  }
  const runDir = path.resolve(args[0]!);
  if (!existsSync(path.join(runDir, 'results.json'))) {
    process.stderr.write(`converge report: no results.json in ${runDir}\n`);
    return 2;
  }
  try {
    const report = writeReport(runDir);
    for (const line of report.invalid) process.stderr.write(`converge report: ${line}\n`);
    process.stdout.write(`report: ${report.path}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`converge report: ${error.message}\n`);
    return 2;
  }
}

process.exit(main(process.argv.slice(2)));
