// converge report: one table cell holding a figure, styled by its state (good, bad, none, …) and
// titled with its note; free text is marked so it may wrap where a number never does.
import type { Figure } from '../format.ts';
import { html, type SafeHtml } from '../html.ts';

export function figureCell(figure: Figure): SafeHtml {
  const classes = `fig ${figure.state}${figure.prose ? ' prose' : ''}`;
  return figure.note === undefined ? html`<td class="${classes}">${figure.text}</td>` : html`<td class="${classes}" title="${figure.note}">${figure.text}</td>`;
}
