// converge: ScenarioError — every problem found in a scenario file, each named by its YAML path.
// The CLI exits with `exitCode` (2) before any service starts.

/** One problem in a scenario: `path` is the YAML path (`phases[1].mix.update`), `line` is 1-based. */
export interface ScenarioProblem {
  readonly path: string;
  readonly message: string;
  readonly line?: number;
}

/** A path segment as zod and the YAML library give it. */
export type PathSegment = string | number;

/** `['phases', 1, 'mix', 'update']` → `phases[1].mix.update`; the root is `(root)`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? String(seg) : `.${String(seg)}`;
  }
  return out === '' ? '(root)' : out;
}

/** Thrown by the loader; lists every problem, never only the first. */
export class ScenarioError extends Error {
  /** The process exit code the CLI uses for an invalid scenario. */
  readonly exitCode = 2;
  readonly source: string;
  readonly problems: readonly ScenarioProblem[];

  constructor(source: string, problems: readonly ScenarioProblem[]) {
    const lines = problems.map((p) => `  ${p.path}${p.line === undefined ? '' : ` (line ${p.line})`}: ${p.message}`);
    super(`invalid scenario ${source}: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n${lines.join('\n')}`);
    this.name = 'ScenarioError';
    this.source = source;
    this.problems = problems;
  }
}
