// `npm run check -- RUN_DIR`: re-judges every history of a run folder without the services — also
// a run that was killed (SIGKILL) before it wrote results.json. Reads the run manifest (run.json)
// for the scenarios, params, seed and pairs; judges each pair's history (judge-history.ts); prints a
// summary; writes RUN_DIR/check.json (check-file.ts). Exit 1 when a judged line fails where the
// scenario expects the strategy to pass, 0 otherwise, 2 for a folder that is not a run folder.
import path from 'node:path';
import { ConfigError } from '../errors.ts';
import { EXIT_BAD_INPUT, EXIT_OK, EXIT_UNEXPECTED } from '../bench/exit-code.ts';
import { ScenarioError } from '../scenario/errors.ts';
import { checkRun, checkSummary } from './check-run.ts';

async function main(args: string[]): Promise<number> {
  if (args.length !== 1 || args[0]!.startsWith('-')) {
    process.stderr.write('usage: npm run check -- RUN_DIR   (a run folder written by npm run bench: run.json and its histories)\n');
    return EXIT_BAD_INPUT;
  }
  try {
    const { file, path: written } = await checkRun(path.resolve(args[0]!));
    process.stdout.write(`${checkSummary(file)}\n\ncheck: ${written}\n`);
    return file.pairs.every((pair) => pair.asExpected) ? EXIT_OK : EXIT_UNEXPECTED;
  } catch (error) {
    if (!(error instanceof ConfigError) && !(error instanceof ScenarioError)) throw error;
    process.stderr.write(`converge check: ${error.message}\n`);
    return EXIT_BAD_INPUT;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`converge check: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(EXIT_UNEXPECTED);
  },
);
