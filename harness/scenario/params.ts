// converge: scenario params — defaults declared in the file, `--param k=v` overrides type-checked
// against each default's type, and `${...}` references substituted through the whole document.
import { evaluateParamExpression, ParamExpressionError, type ParamValue } from './param-expression.ts';
import { formatPath, type PathSegment } from './errors.ts';

/** A problem before its line number is known. */
export type PathProblem = { path: PathSegment[]; message: string };

const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Reads the `params` block (name → default number | string | boolean) and applies `overrides`
 * (from `--param k=v`): a number default takes a finite number, a boolean default `true`/`false`,
 * a string default anything. Unknown names are problems, as are defaults of other types.
 */
export function resolveParams(
  declared: unknown,
  overrides: Readonly<Record<string, string>>,
): { params: Map<string, ParamValue>; problems: PathProblem[] } {
  const params = new Map<string, ParamValue>();
  const problems: PathProblem[] = [];
  if (declared !== undefined && declared !== null) {
    if (typeof declared !== 'object' || Array.isArray(declared)) {
      problems.push({ path: ['params'], message: 'expected a mapping of param name to default value' });
    } else {
      for (const [name, value] of Object.entries(declared)) {
        if (!PARAM_NAME.test(name)) problems.push({ path: ['params', name], message: `param name must match ${PARAM_NAME.source}` });
        else if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') params.set(name, value);
        else problems.push({ path: ['params', name], message: 'a default must be a number, a string or a boolean' });
      }
    }
  }
  for (const [name, raw] of Object.entries(overrides)) {
    const fallback = params.get(name);
    const where: PathSegment[] = [`--param ${name}`];
    if (fallback === undefined) {
      const known = [...params.keys()].join(', ') || 'none';
      problems.push({ path: where, message: `unknown param "${name}" (params: ${known})` });
    } else if (typeof fallback === 'number') {
      const n = raw.trim() === '' ? NaN : Number(raw);
      if (Number.isFinite(n)) params.set(name, n);
      else problems.push({ path: where, message: `expected a number like the default ${fallback}, got "${raw}"` });
    } else if (typeof fallback === 'boolean') {
      if (raw === 'true' || raw === 'false') params.set(name, raw === 'true');
      else problems.push({ path: where, message: `expected true or false, got "${raw}"` });
    } else {
      params.set(name, raw);
    }
  }
  return { params, problems };
}

const WHOLE = /^\$\{([^{}]*)\}$/;
const EMBEDDED = /\$\{([^{}]*)\}/g;

/**
 * Replaces `${expr}` everywhere in `tree` except under `params`. A string that is exactly one
 * `${expr}` takes the expression's typed value (`ops: ${rows}` is a number); `${expr}` inside a
 * longer string is interpolated as text. Returns the new tree, problems, and the paths that failed
 * (so the schema check does not report them a second time).
 */
export function substituteParams(
  tree: unknown,
  params: ReadonlyMap<string, ParamValue>,
): { value: unknown; problems: PathProblem[]; failed: Set<string> } {
  const problems: PathProblem[] = [];
  const failed = new Set<string>();
  const evaluate = (src: string, path: PathSegment[]): ParamValue | undefined => {
    try {
      return evaluateParamExpression(src, params);
    } catch (error) {
      if (!(error instanceof ParamExpressionError)) throw error;
      problems.push({ path, message: error.message });
      failed.add(formatPath(path));
      return undefined;
    }
  };
  const walk = (node: unknown, path: PathSegment[]): unknown => {
    if (typeof node === 'string') {
      const whole = WHOLE.exec(node);
      if (whole !== null) return evaluate(whole[1] ?? '', path) ?? node;
      return node.replace(EMBEDDED, (text, src: string) => {
        const v = evaluate(src, path);
        return v === undefined ? text : String(v);
      });
    }
    if (Array.isArray(node)) return node.map((item, i) => walk(item, [...path, i]));
    if (node !== null && typeof node === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(node)) {
        out[key] = path.length === 0 && key === 'params' ? value : walk(value, [...path, key]);
      }
      return out;
    }
    return node;
  };
  return { value: walk(tree, []), problems, failed };
}

