// converge report: a tagged template that escapes every interpolated value unless it is already
// markup built by this template — so a string from a scenario, a result or an error can only ever
// become text on the page.
import { escapeHtml } from './escape.ts';

/** Markup produced by `html`; the only thing interpolated without escaping. */
export class SafeHtml {
  constructor(readonly markup: string) {}
  toString(): string {
    return this.markup;
  }
}

type Interpolated = SafeHtml | string | number | boolean | null | undefined | readonly Interpolated[];

function render(value: Interpolated): string {
  if (value instanceof SafeHtml) return value.markup;
  if (Array.isArray(value)) return (value as readonly Interpolated[]).map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

/** `html\`<td>${text}</td>\``: literal parts are trusted markup, interpolations are escaped. */
export function html(strings: TemplateStringsArray, ...values: Interpolated[]): SafeHtml {
  let markup = strings[0]!;
  values.forEach((value, i) => {
    markup += render(value) + strings[i + 1]!;
  });
  return new SafeHtml(markup);
}

/** Trusted markup from a source that is not user data (the inlined chart library, the page's CSS and script). */
export function trusted(markup: string): SafeHtml {
  return new SafeHtml(markup);
}
