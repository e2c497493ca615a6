// converge report: escaping — hostile text stays text in HTML, and embedded JSON can neither end
// its <script> element nor break a line, while still parsing back to the same value.
import { describe, expect, it } from 'vitest';
import { escapeHtml, jsonForScript } from './escape.ts';
import { html, trusted } from './html.ts';

const HOSTILE = '<img src=x onerror=alert(1)>';

describe('escapeHtml', () => {
  it('turns markup characters and both quotes into entities', () => {
    expect(escapeHtml(HOSTILE)).toBe('&lt;img src=x onerror=alert(1)&gt;');
    expect(escapeHtml(`a & "b" 'c'`)).toBe('a &amp; &quot;b&quot; &#39;c&#39;');
  });

  it('escapes an ampersand once, never an entity twice over', () => {
    expect(escapeHtml('&lt;')).toBe('&amp;lt;');
  });
});

describe('jsonForScript', () => {
  it('cannot close the script element or open a comment', () => {
    const out = jsonForScript({ name: '</script><script>alert(1)</script><!--' });
    expect(out).not.toMatch(/<|>/);
    expect(JSON.parse(out)).toEqual({ name: '</script><script>alert(1)</script><!--' });
  });

  it('escapes U+2028 and U+2029, which end a line in older parsers', () => {
    const value = { text: 'a\u2028b\u2029c & d' };
    const out = jsonForScript(value);
    expect(out).not.toMatch(/[\u2028\u2029]/);
    expect(out).toContain('\\u2028');
    expect(JSON.parse(out)).toEqual(value);
  });
});

describe('html template', () => {
  it('escapes interpolated strings, in text and in attributes', () => {
    expect(html`<td title="${'"><b>'}">${HOSTILE}</td>`.markup).toBe('<td title="&quot;&gt;&lt;b&gt;">&lt;img src=x onerror=alert(1)&gt;</td>');
  });

  it('nests its own markup without escaping it again, and flattens arrays', () => {
    const items = ['a<', 'b'].map((x) => html`<li>${x}</li>`);
    expect(html`<ul>${items}</ul>`.markup).toBe('<ul><li>a&lt;</li><li>b</li></ul>');
  });

  it('renders null, undefined and false as nothing, numbers as text', () => {
    expect(html`${null}${undefined}${false}${0}${1.5}`.markup).toBe('01.5');
  });

  it('passes trusted markup through as it is', () => {
    expect(html`<style>${trusted('a > b {}')}</style>`.markup).toBe('<style>a > b {}</style>');
  });
});
