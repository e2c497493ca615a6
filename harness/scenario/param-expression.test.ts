// converge: the `${...}` expression language: arithmetic over params, and nothing else.
import { describe, expect, it } from 'vitest';
import { evaluateParamExpression, ParamExpressionError } from './param-expression.ts';

const params = new Map<string, number | string | boolean>([
  ['increments', 10_000],
  ['name', 'x'],
  ['on', true],
]);
const run = (src: string): unknown => evaluateParamExpression(src, params);

describe('param expressions', () => {
  it('computes with precedence, parentheses and unary minus', () => {
    expect(run('2*increments+1')).toBe(20_001);
    expect(run(' (increments - 1) % 7 ')).toBe(9_999 % 7);
    expect(run('-increments / -4')).toBe(2_500);
    expect(run('1.5 * 2')).toBe(3);
  });

  it('gives a lone param its own type', () => {
    expect(run('name')).toBe('x');
    expect(run('on')).toBe(true);
  });

  it('refuses anything else', () => {
    for (const bad of ['', 'name + 1', 'nope', '1 +', '(1', '1 / 0', 'process.exit()', '1; 2', 'increments increments']) {
      expect(() => run(bad), bad).toThrow(ParamExpressionError);
    }
  });
});
