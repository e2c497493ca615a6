// converge report: one table cell holding a figure, styled by its state (good, bad, none, …) and
// titled with its note.
import type { Figure } from '../format.ts';
import { html, type SafeHtml } from '../html.ts';

export function figureCell(figure: Figure): SafeHtml {
  return figure.note === undefined
    ? html`<td class="fig ${figure.state}">${figure.text}</td>`
    : html`<td class="fig ${figure.state}" title="${figure.note}">${figure.text}</td>`;
}
