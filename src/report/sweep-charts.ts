import type { SweepTable } from '../experiments/sweep-table.js';
import type { VlSpec } from './charts.js';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** Metrics charted against the varied keys, with their axis titles. */
const CHARTED: readonly [string, string][] = [
  ['ttft_p95_s', 'TTFT p95 (s)'],
  ['tbt_p99_s', 'TBT p99 (s)'],
  ['kv_hit_rate', 'KV hit rate'],
  ['output_tokens_per_s', 'output tokens/s'],
  ['cost_per_million_output_tokens', '$ per 1M output tokens'],
];

/** Vega-Lite reads dots in field names as nested access; varied keys are dotted paths. */
const field = (key: string): string => key.replace(/\./g, '\\.');

/**
 * One chart per metric: the metric against the first varied key, one line per value of the
 * second; each point is the mean over seeds (and any further keys), with ±1 standard error bars.
 * (Vega-Lite's "ci" extent bootstraps with random draws, which would make the SVG differ per render.)
 */
export function sweepCharts(table: SweepTable): Record<string, VlSpec> {
  const { sweep, rows } = table;
  const [xKey, colorKey, ...rest] = sweep.axes.map((a) => a.key);
  if (xKey === undefined) return {};
  const over = ['seeds', ...rest].join(', ');
  const specs: Record<string, VlSpec> = {};
  for (const [metric, title] of CHARTED) {
    const color = colorKey ? { color: { field: field(colorKey), type: 'nominal', title: colorKey, sort: null } } : {};
    const enc = { x: { field: field(xKey), type: 'ordinal', title: xKey, sort: null, axis: { labelAngle: 0 } }, ...color };
    specs[`sweep_${metric}`] = {
      $schema: SCHEMA,
      title: { text: `${sweep.scenario_name}: ${title} by ${xKey}`, subtitle: `mean over ${over} (${sweep.seeds.length} seed${sweep.seeds.length > 1 ? 's' : ''}: ${sweep.seeds.join(', ')}); bars ±1 standard error` },
      width: 560,
      height: 340,
      data: { values: rows },
      layer: [
        { mark: { type: 'line', point: true }, encoding: { ...enc, y: { field: metric, aggregate: 'mean', type: 'quantitative', title } } },
        ...(sweep.seeds.length > 1 ? [{ mark: { type: 'errorbar', extent: 'stderr' }, encoding: { ...enc, y: { field: metric, type: 'quantitative', title } } }] : []),
      ],
    };
  }
  return specs;
}
