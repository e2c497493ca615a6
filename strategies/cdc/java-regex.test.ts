// Java regex semantics as Connect applies them, run in JavaScript: whole-topic matches, Java's
// replacement syntax and replaceFirst, and the constructs refused because JavaScript lacks them.
import { describe, expect, it } from 'vitest';
import { compileJavaPattern, javaMatches, javaReplaceFirst } from './java-regex.ts';

const route = (regex: string, replacement: string, topic: string) => {
  const pattern = compileJavaPattern(regex, 'test');
  return javaMatches(pattern, topic) ? javaReplaceFirst(pattern, topic, replacement, 'test') : topic;
};

describe('Java regexes as RegexRouter applies them', () => {
  it('routes only topics the regex matches whole (matches(), not find())', () => {
    expect(route('([^.]+)\\.([^.]+)\\.([^.]+)', '$3', 'dbserver1.inventory.customers')).toBe('customers');
    expect(route('([^.]+)\\.([^.]+)', '$2', 'dbserver1.inventory.customers')).toBe('dbserver1.inventory.customers');
    expect(route('inventory', 'x', 'dbserver1.inventory.customers')).toBe('dbserver1.inventory.customers');
  });

  it("replaces the first match find() meets, which may be shorter than the whole topic", () => {
    // matches() takes "ab" through the second alternative; replaceFirst's find() stops at "a".
    expect(route('a|ab', 'X', 'ab')).toBe('Xb');
  });

  it("reads Java's replacement syntax: $n greedily while the group exists, ${name}, \\$ as a literal", () => {
    expect(route('(a)(b)', '$12', 'ab')).toBe('a2');
    expect(route('(?<db>[^.]+)\\.(?<table>[^.]+)', '${table}_in_${db}', 'shop.orders')).toBe('orders_in_shop');
    expect(route('(.*)', 'cost\\$$1', 'x')).toBe('cost$x');
    expect(() => route('(.*)', '$2', 'x')).toThrow(/names group 2, the regex has 1/);
    expect(() => route('(.*)', '$<n>', 'x')).toThrow(/followed by a group number/);
  });

  it('leaves out a group that did not take part', () => {
    expect(route('(a)?(b)', '[$1]$2', 'b')).toBe('[]b');
  });

  it('translates \\Q..\\E, \\A, \\z and a leading (?i)', () => {
    expect(route('\\Qa.b\\E\\.(.*)', '$1', 'a.b.c')).toBe('c');
    expect(javaMatches(compileJavaPattern('\\Qa.b\\E', 't'), 'axb')).toBe(false);
    expect(route('\\A(.*)\\z', '<$1>', 'x')).toBe('<x>');
    expect(javaMatches(compileJavaPattern('(?i)SHOP\\..*', 't'), 'shop.orders')).toBe(true);
  });

  it('refuses by name what JavaScript cannot run with Java’s meaning', () => {
    expect(() => compileJavaPattern('a*+', 'transforms.r.regex')).toThrow(/transforms\.r\.regex: .*possessive quantifier/);
    expect(() => compileJavaPattern('(?>ab)', 't')).toThrow(/atomic group/);
    expect(() => compileJavaPattern('[a-z&&[^e]]', 't')).toThrow(/nested character class|intersection/);
    expect(() => compileJavaPattern('\\p{Alpha}+', 't')).toThrow(/escape \\p/);
    expect(() => compileJavaPattern('a(?i)b', 't')).toThrow(/inline flag/);
    expect(() => compileJavaPattern('(unclosed', 't')).toThrow(/not valid/);
  });
});
