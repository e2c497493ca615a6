// converge: the tiny, safe expression language inside `${...}` in scenario files: numbers, param
// names, + - * / %, unary minus and parentheses. A recursive-descent parser, no eval.

/** A param's value: its type is the type of its default in the scenario's `params`. */
export type ParamValue = number | string | boolean;

/** A malformed expression, or one that uses a param it cannot (unknown, or not a number). */
export class ParamExpressionError extends Error {
  override readonly name = 'ParamExpressionError';
}

type Token = { kind: 'num'; value: number } | { kind: 'name'; value: string } | { kind: 'op'; value: string };

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s*(?:(\d+(?:\.\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|([-+*/%()]))/y;
  let at = 0;
  while (at < src.length) {
    if (/^\s*$/.test(src.slice(at))) break;
    re.lastIndex = at;
    const m = re.exec(src);
    if (m === null) throw new ParamExpressionError(`unexpected "${src.slice(at).trim()[0] ?? ''}" in \${${src}}`);
    if (m[1] !== undefined) tokens.push({ kind: 'num', value: Number(m[1]) });
    else if (m[2] !== undefined) tokens.push({ kind: 'name', value: m[2] });
    else tokens.push({ kind: 'op', value: m[3] ?? '' });
    at = re.lastIndex;
  }
  return tokens;
}

/**
 * Evaluates `src` (the text between `${` and `}`) against `params`. A lone name yields the param's
 * value of whatever type; any arithmetic requires numbers and a finite result.
 */
export function evaluateParamExpression(src: string, params: ReadonlyMap<string, ParamValue>): ParamValue {
  const tokens = tokenize(src);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const isOp = (t: Token | undefined, ops: string): t is { kind: 'op'; value: string } =>
    t !== undefined && t.kind === 'op' && ops.includes(t.value);
  const lookup = (name: string): ParamValue => {
    const value = params.get(name);
    if (value === undefined) {
      const known = [...params.keys()].join(', ') || 'none';
      throw new ParamExpressionError(`unknown param "${name}" (params: ${known})`);
    }
    return value;
  };
  const num = (v: ParamValue): number => {
    if (typeof v !== 'number') throw new ParamExpressionError(`arithmetic needs numbers, got ${JSON.stringify(v)} in \${${src}}`);
    return v;
  };

  const primary = (): ParamValue => {
    const t = peek();
    pos++;
    if (t === undefined) throw new ParamExpressionError(`unexpected end of \${${src}}`);
    if (t.kind === 'num') return t.value;
    if (t.kind === 'name') return lookup(t.value);
    if (t.value === '(') {
      const v = sum();
      if (!isOp(peek(), ')')) throw new ParamExpressionError(`missing ")" in \${${src}}`);
      pos++;
      return v;
    }
    if (t.value === '-') return -num(primary());
    throw new ParamExpressionError(`unexpected "${t.value}" in \${${src}}`);
  };
  // One precedence level: operands from `next`, joined left to right by the operators in `ops`.
  const level = (next: () => ParamValue, ops: string) => (): ParamValue => {
    let left = next();
    for (let t = peek(); isOp(t, ops); t = peek()) {
      pos++;
      const a = num(left);
      const b = num(next());
      if ((t.value === '/' || t.value === '%') && b === 0) throw new ParamExpressionError(`division by zero in \${${src}}`);
      left = { '+': a + b, '-': a - b, '*': a * b, '/': a / b, '%': a % b }[t.value] ?? NaN;
    }
    return left;
  };
  const product = level(primary, '*/%');
  const sum = level(product, '+-');

  if (tokens.length === 0) throw new ParamExpressionError('empty ${}');
  const value = sum();
  if (pos !== tokens.length) throw new ParamExpressionError(`unexpected "${String(tokens[pos]?.value)}" in \${${src}}`);
  if (typeof value === 'number' && !Number.isFinite(value)) throw new ParamExpressionError(`\${${src}} is not finite`);
  return value;
}
