// converge report: the files inlined into every index.html — uPlot (script and stylesheet, from
// node_modules) and the page's own script and stylesheet (reports/page/). Read once per process.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ReportAssets {
  chartLibrary: string;
  chartLibraryCss: string;
  pageScript: string;
  pageCss: string;
}

const here = path.dirname(fileURLToPath(import.meta.url));
let cached: ReportAssets | undefined;

export function loadAssets(): ReportAssets {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const uplotDist = path.dirname(require.resolve('uplot/dist/uPlot.iife.min.js'));
  cached = {
    chartLibrary: readFileSync(path.join(uplotDist, 'uPlot.iife.min.js'), 'utf8'),
    chartLibraryCss: readFileSync(path.join(uplotDist, 'uPlot.min.css'), 'utf8'),
    pageScript: readFileSync(path.join(here, 'page', 'report-page.js'), 'utf8'),
    pageCss: readFileSync(path.join(here, 'page', 'report-page.css'), 'utf8'),
  };
  return cached;
}
