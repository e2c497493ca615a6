// converge report: a pair's verdict as it stands against what the scenario expects
// (harness/results/standing.ts), as the badge and cell class both matrices show: pass, fail
// (expected), fail, skipped — a skipped pair neither passes nor fails and is drawn neutral.
import type { Standing } from '../../harness/results/standing.ts';
import { html, type SafeHtml } from '../html.ts';

/** The classes of a matrix cell and its badge: `pass`, `fail expected`, `fail`, `skipped`. */
export function standingClass(s: Standing): string {
  switch (s.kind) {
    case 'pass':
    case 'pass-may-fail':
      return 'pass';
    case 'expected-fail':
      return 'fail expected';
    case 'unexpected-fail':
      return 'fail';
    case 'skipped':
      return 'skipped';
  }
}

const LABEL: Record<Standing['kind'], string> = {
  pass: 'pass',
  'pass-may-fail': 'pass',
  'expected-fail': 'fail (expected)',
  'unexpected-fail': 'fail',
  skipped: 'skipped',
};

export function standingBadge(s: Standing): SafeHtml {
  return html`<span class="badge ${standingClass(s)}">${LABEL[s.kind]}</span>`;
}
