// Java regular expressions as Kafka Connect applies them (RegexRouter, Debezium's
// ByLogicalTableRouter, `topics.regex`), run in JavaScript: a pattern translated construct by
// construct, refused by name where JavaScript has no equivalent (possessive quantifiers, atomic
// groups, class intersections, `\p{..}`, inline flags past the start); `matches()` as a match of
// the whole topic; `replaceFirst` with Java's replacement syntax (`$1`, `${name}`, `\$`), not
// JavaScript's (`$<name>`, `$$`). Pure.
import { ConfigError } from '../../harness/errors.ts';

export interface JavaPattern {
  /** The pattern as written (Java syntax). */
  readonly source: string;
  /** Matches the whole input, as Java's `Matcher.matches()`. */
  readonly whole: RegExp;
  /** Finds the first match anywhere, as Java's `Matcher.find()`. */
  readonly first: RegExp;
  /** Number of capturing groups. */
  readonly groups: number;
}

/** Letter escapes with the same meaning in Java and JavaScript. */
const CLASS_ESCAPES = new Set([...'dDsSwWbBtnrf']);

/** Translate a Java pattern to a JavaScript source, or throw naming the construct JavaScript lacks. */
function translate(pattern: string, where: string): { source: string; flags: string; groups: number } {
  const refuse = (what: string) => new ConfigError(`${where}: the Java regex ${JSON.stringify(pattern)} uses ${what}, which converge cannot run with Java's meaning`);
  let out = '';
  let flags = '';
  let groups = 0;
  let inClass = false;
  let i = 0;
  if (pattern.startsWith('(?i)')) {
    flags = 'i';
    i = 4;
  }
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === '\\') {
      const next = pattern[i + 1];
      if (next === undefined) throw refuse('a trailing backslash');
      if (next === 'Q') {
        const end = pattern.indexOf('\\E', i + 2);
        const literal = pattern.slice(i + 2, end === -1 ? undefined : end);
        out += literal.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
        i = end === -1 ? pattern.length : end + 2;
        continue;
      }
      if (next === 'A' && !inClass) out += '^';
      else if ((next === 'z' || next === 'Z') && !inClass) out += '$';
      else if (next === 'e') out += '\\x1B';
      else if (next === 'a') out += '\\x07';
      else if (next === 'x' && pattern[i + 2] === '{') throw refuse('\\x{...}');
      else if (next === 'x' || next === 'u' || next === 'c') out += `\\${next}`;
      else if (next === 'k' && pattern[i + 2] === '<') out += '\\k';
      else if (/[1-9]/.test(next)) out += `\\${next}`;
      else if (CLASS_ESCAPES.has(next) || !/[A-Za-z0-9]/.test(next)) out += `\\${next}`;
      else throw refuse(`the escape \\${next}`);
      i += 2;
      continue;
    }
    if (inClass) {
      if (c === '[') throw refuse('a nested character class');
      if (c === '&' && pattern[i + 1] === '&') throw refuse('a character class intersection (&&)');
      if (c === ']') inClass = false;
      out += c;
      i++;
      continue;
    }
    if (c === '[') {
      inClass = true;
      const negated = pattern[i + 1] === '^';
      if (pattern[i + (negated ? 2 : 1)] === ']') throw refuse('an empty character class or a leading ]');
      out += negated ? '[^' : '[';
      i += negated ? 2 : 1;
      continue;
    }
    if (c === '(') {
      if (pattern[i + 1] === '?') {
        const kind = pattern[i + 2];
        if (kind === ':' || kind === '=' || kind === '!') out += `(?${kind}`;
        else if (kind === '<' && (pattern[i + 3] === '=' || pattern[i + 3] === '!')) out += `(?<${pattern[i + 3]}`;
        else if (kind === '<') {
          groups++;
          out += '(?<';
          i += 3;
          continue;
        } else if (kind === '>') throw refuse('an atomic group (?>...)');
        else throw refuse(`the inline flag group (?${kind ?? ''}...)`);
        i += kind === '<' ? 4 : 3;
        continue;
      }
      groups++;
      out += '(';
      i++;
      continue;
    }
    if ((c === '*' || c === '+' || c === '?' || c === '}') && pattern[i + 1] === '+') throw refuse(`the possessive quantifier ${c}+`);
    out += c;
    i++;
  }
  if (inClass) throw refuse('an unclosed character class');
  return { source: out, flags, groups };
}

/** Compile a Java pattern; `where` names the option in errors (a pattern JavaScript rejects is refused too). */
export function compileJavaPattern(pattern: string, where: string): JavaPattern {
  const { source, flags, groups } = translate(pattern, where);
  try {
    return { source: pattern, whole: new RegExp(`^(?:${source})$`, flags), first: new RegExp(source, flags), groups };
  } catch (error) {
    throw new ConfigError(`${where}: the regex ${JSON.stringify(pattern)} is not valid: ${(error as Error).message}`);
  }
}

/** Java's `Matcher.matches()`: the whole input matches. */
export function javaMatches(pattern: JavaPattern, input: string): boolean {
  return pattern.whole.test(input);
}

/**
 * Java's `Matcher.replaceFirst(replacement)`: the first match found from the start (not
 * necessarily the whole input, even when the whole input matches) replaced, the rest kept.
 * Replacement syntax: `$n` (digits taken while they name an existing group), `${name}`, `\x` for a
 * literal x; a group that did not take part gives "".
 */
export function javaReplaceFirst(pattern: JavaPattern, input: string, replacement: string, where: string): string {
  const match = pattern.first.exec(input);
  if (match === null) return input;
  let out = '';
  for (let i = 0; i < replacement.length; i++) {
    const c = replacement[i]!;
    if (c === '\\') {
      if (i + 1 >= replacement.length) throw new ConfigError(`${where}: replacement ${JSON.stringify(replacement)} ends with a lone backslash`);
      out += replacement[++i];
    } else if (c === '$') {
      const next = replacement[i + 1];
      if (next === '{') {
        const end = replacement.indexOf('}', i + 2);
        const name = end === -1 ? '' : replacement.slice(i + 2, end);
        if (!/^[A-Za-z][A-Za-z0-9]*$/.test(name)) throw new ConfigError(`${where}: replacement ${JSON.stringify(replacement)}: bad named group reference`);
        if (!match.groups || !(name in match.groups)) throw new ConfigError(`${where}: replacement ${JSON.stringify(replacement)}: no group named ${name}`);
        out += match.groups[name] ?? '';
        i = end;
      } else if (next !== undefined && /[0-9]/.test(next)) {
        let group = Number(next);
        i++;
        while (i + 1 < replacement.length && /[0-9]/.test(replacement[i + 1]!)) {
          const longer = group * 10 + Number(replacement[i + 1]);
          if (longer > pattern.groups) break;
          group = longer;
          i++;
        }
        if (group > pattern.groups) throw new ConfigError(`${where}: replacement ${JSON.stringify(replacement)} names group ${group}, the regex has ${pattern.groups}`);
        out += match[group] ?? '';
      } else {
        throw new ConfigError(`${where}: replacement ${JSON.stringify(replacement)}: "$" must be followed by a group number or {name} (write \\$ for a literal $)`);
      }
    } else {
      out += c;
    }
  }
  return input.slice(0, match.index) + out + input.slice(match.index + match[0].length);
}
