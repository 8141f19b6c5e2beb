import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { VlSpec } from './charts.js';

/** One block of the page: a heading and its (already escaped) HTML. */
export interface ReportSection {
  heading: string;
  html: string;
}

export const esc = (s: string | number | boolean): string =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** An HTML table from a header row and body rows (cells are text; escaped here). */
export function htmlTable(head: readonly string[], rows: readonly (readonly (string | number | boolean)[])[], opts: { classes?: (row: number, col: number) => string } = {}): string {
  const th = head.map((h) => `<th>${esc(h)}</th>`).join('');
  const body = rows
    .map((r, i) => `<tr>${r.map((c, j) => `<td${opts.classes?.(i, j) ? ` class="${opts.classes(i, j)}"` : ''}>${esc(c)}</td>`).join('')}</tr>`)
    .join('\n');
  return `<table><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

const require = createRequire(import.meta.url);
let bundles: string | undefined;
/**
 * vega, vega-lite and vega-embed builds from the installed npm packages, inlined into every page,
 * so a report opens offline, from an archive or a CI artifact, with no network at view time.
 */
function inlineBundles(): string {
  if (bundles === undefined) {
    const build = (pkg: string, file: string) => readFileSync(join(dirname(require.resolve(pkg)), file), 'utf8');
    bundles = [build('vega', 'vega.min.js'), build('vega-lite', 'vega-lite.min.js'), build('vega-embed', 'vega-embed.min.js')]
      .map((js) => `<script>${js.replace(/<\/script/gi, '<\\/script')}</script>`)
      .join('\n');
  }
  return bundles;
}

/** JSON safe inside a <script> element. */
const scriptJson = (x: unknown): string => JSON.stringify(x).replace(/</g, '\\u003c');

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px auto;max-width:1400px;padding:0 16px;color:#222}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
.sub{color:#555;margin:0 0 12px}table{border-collapse:collapse;margin:6px 0}th,td{padding:3px 10px;border-bottom:1px solid #eee;text-align:right}
th:first-child,td:first-child{text-align:left}th{background:#f6f6f6}.met{color:#1a7f37;font-weight:600}.missed{color:#c62828;font-weight:700}
.verdict{padding:8px 12px;border-radius:4px;margin:8px 0;font-weight:600}.verdict.bad{background:#fdecea;color:#b71c1c}.verdict.ok{background:#e8f5e9;color:#1b5e20}
.charts{display:flex;flex-wrap:wrap;gap:18px}.chart{min-height:120px}footer{color:#777;margin-top:32px;font-size:12px}`;

/**
 * A self-contained report page: tables and verdicts as HTML, charts as embedded Vega-Lite specs
 * rendered in the browser by vega-embed. The page records how many charts rendered (and any
 * error) on <body data-charts-rendered data-render-errors>, so a headless browser can check it.
 */
export function htmlReport(opts: { title: string; subtitle: string; sections: readonly ReportSection[]; charts: Readonly<Record<string, VlSpec>>; footer: string }): string {
  const ids = Object.keys(opts.charts);
  const chartDivs = ids.map((id) => `<div class="chart" id="chart-${esc(id)}"></div>`).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(opts.title)}</title><style>${STYLE}</style>
${inlineBundles()}
</head><body data-charts="${ids.length}">
<h1>${esc(opts.title)}</h1><p class="sub">${esc(opts.subtitle)}</p>
${opts.sections.map((s) => `<h2>${esc(s.heading)}</h2>\n${s.html}`).join('\n')}
${ids.length ? `<h2>Charts</h2>\n<div class="charts">\n${chartDivs}\n</div>` : ''}
<footer>${esc(opts.footer)}</footer>
<script>
const specs = ${scriptJson(opts.charts)};
const errors = [];
Promise.all(Object.entries(specs).map(([id, spec]) =>
  vegaEmbed('#chart-' + CSS.escape(id), spec, { actions: false, renderer: 'svg' }).catch((e) => { errors.push(id + ': ' + e.message); })
)).then(() => {
  document.body.dataset.chartsRendered = String(document.querySelectorAll('.chart svg, .chart canvas').length);
  document.body.dataset.renderErrors = errors.join('; ');
});
</script>
</body></html>
`;
}
