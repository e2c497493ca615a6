// converge: loading a scenario — YAML text → params resolved and substituted → schema → cross-
// references → a typed Scenario, or one ScenarioError listing every problem with its YAML path.
import { readFile } from 'node:fs/promises';
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { formatPath, ScenarioError, type PathSegment, type ScenarioProblem } from './errors.ts';
import { resolveParams, substituteParams, type PathProblem } from './params.ts';
import { checkReferences } from './references.ts';
import { scenarioSchema, type Scenario } from './schema.ts';

type Issue = z.core.$ZodIssue;
type RawIssue = z.core.$ZodRawIssue;

const ARTICLE: Readonly<Record<string, string>> = {
  int: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'a boolean',
  object: 'a mapping',
  array: 'a list',
  null: 'null',
};

function describe(input: unknown): string {
  if (input === undefined) return 'nothing';
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'object') return 'a mapping';
  return `${typeof input} ${JSON.stringify(input)}`;
}

function bound(issue: { minimum?: unknown; maximum?: unknown; inclusive?: boolean; origin: string }, small: boolean): string {
  const n = String(small ? issue.minimum : issue.maximum);
  if (issue.origin === 'array') return `expected ${small ? 'at least' : 'at most'} ${n} item${n === '1' ? '' : 's'}`;
  if (issue.origin === 'string') return `expected ${small ? 'at least' : 'at most'} ${n} characters`;
  const op = small ? (issue.inclusive === false ? '>' : '>=') : issue.inclusive === false ? '<' : '<=';
  return `expected a number ${op} ${n}`;
}

/** Plain messages for zod's built-in issues; schema-given messages take precedence over these. */
function message(issue: RawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${ARTICLE[issue.expected] ?? issue.expected}, got ${describe(issue.input)}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${describe(issue.input)}`;
    case 'too_small':
      return bound(issue, true);
    case 'too_big':
      return bound(issue, false);
    case 'invalid_union': {
      if ('discriminator' in issue && typeof issue.discriminator === 'string') {
        const options = (issue as unknown as { options?: unknown[] }).options ?? [];
        const input = issue.input as Record<string, unknown> | undefined;
        const given = input !== null && typeof input === 'object' ? input[issue.discriminator] : input;
        return `expected one of ${options.map((v) => JSON.stringify(v)).join(', ')}, got ${describe(given)}`;
      }
      const expected = new Set<string>();
      for (const branch of issue.errors) {
        for (const sub of branch) if (sub.code === 'invalid_type' && sub.path.length === 0) expected.add(ARTICLE[sub.expected] ?? sub.expected);
      }
      return `matches none of the allowed forms${expected.size > 0 ? ` (${[...expected].join(', ')}, …)` : ''}`;
    }
    default:
      return undefined;
  }
}

function schemaProblems(issues: readonly Issue[]): PathProblem[] {
  const out: PathProblem[] = [];
  for (const issue of issues) {
    const path = issue.path.filter((p): p is PathSegment => typeof p !== 'symbol');
    if (issue.code === 'unrecognized_keys') for (const key of issue.keys) out.push({ path: [...path, key], message: 'unknown key' });
    else if (issue.code === 'invalid_key') for (const sub of issue.issues) out.push({ path, message: sub.message });
    else out.push({ path, message: issue.message });
  }
  return out;
}

function lineOf(doc: Document, lines: LineCounter, path: readonly PathSegment[]): number | undefined {
  for (let depth = path.length; depth >= 0; depth--) {
    const node: unknown = doc.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range) return lines.linePos(node.range[0]).line;
  }
  return undefined;
}

/**
 * Parses scenario text. `overrides` are `--param` values as given on the command line;
 * `sourceName` names the file in errors. Throws ScenarioError listing every problem.
 */
export function parseScenario(text: string, overrides: Readonly<Record<string, string>>, sourceName: string): Scenario {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const fail = (list: readonly PathProblem[]): never => {
    const problems: ScenarioProblem[] = list.map((p) => {
      const line = typeof p.path[0] === 'string' && p.path[0].startsWith('--param') ? undefined : lineOf(doc, lines, p.path);
      return line === undefined ? { path: formatPath(p.path), message: p.message } : { path: formatPath(p.path), message: p.message, line };
    });
    throw new ScenarioError(sourceName, problems);
  };
  if (doc.errors.length > 0) {
    throw new ScenarioError(
      sourceName,
      doc.errors.map((e) => ({ path: '(yaml)', message: e.message.split('\n')[0] ?? e.message, line: e.linePos?.[0].line ?? 0 })),
    );
  }
  const root: unknown = doc.toJS({ maxAliasCount: 100 });
  if (root === null || typeof root !== 'object' || Array.isArray(root)) return fail([{ path: [], message: 'expected a mapping at the top level' }]);

  const { params, problems } = resolveParams((root as Record<string, unknown>).params, overrides);
  const substituted = substituteParams(root, params);
  for (const p of problems) if (p.path[0] === 'params') substituted.failed.add(formatPath(p.path));
  problems.push(...substituted.problems);
  const parsed = scenarioSchema.safeParse(substituted.value, { error: message, reportInput: true });
  if (!parsed.success) {
    const isFailed = (p: PathProblem): boolean => {
      const text = formatPath(p.path);
      return [...substituted.failed].some((f) => text === f || text.startsWith(`${f}.`) || text.startsWith(`${f}[`));
    };
    problems.push(...schemaProblems(parsed.error.issues).filter((p) => !isFailed(p)));
    return fail(problems);
  }
  problems.push(...checkReferences(parsed.data));
  if (problems.length > 0) return fail(problems);
  return { ...parsed.data, params: Object.fromEntries(params) };
}

/** Reads and parses a scenario file; a missing or unreadable file is a ScenarioError too. */
export async function loadScenario(path: string, overrides: Readonly<Record<string, string>> = {}): Promise<Scenario> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ScenarioError(path, [{ path: '(file)', message: error instanceof Error ? error.message : String(error) }]);
  }
  return parseScenario(text, overrides, path);
}
