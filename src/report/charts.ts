import type { MetricsCollector, OccupancySample } from '../metrics/collector.js';
import type { NumberColumn } from '../metrics/number-column.js';
import type { Summary } from '../metrics/summary.js';
import { formatInteger } from '../util/format-number.js';
import { phase } from '../util/phase-trace.js';

/** A Vega-Lite spec with its data inlined, ready to write as .vl.json and render to SVG. */
export type VlSpec = Record<string, unknown>;

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
/** Charts stay light: at most this many points per series (evenly thinned, deterministic; said in the chart). */
const MAX_POINTS = 2000;
/** Readable on a laptop screen and in a report page. */
const WIDTH = 640;
const HEIGHT = 360;

function thin<T>(xs: readonly T[]): T[] {
  return thinIndices(xs.length).map((i) => xs[i]);
}

/** Indices of the evenly thinned points of a series of n. */
function thinIndices(n: number): number[] {
  if (n <= MAX_POINTS) return Array.from({ length: n }, (_, i) => i);
  const step = n / MAX_POINTS;
  return Array.from({ length: MAX_POINTS }, (_, i) => Math.floor(i * step));
}

/** Says when a chart shows a sample of its points rather than all of them. */
const sampled = (shown: number, total: number, what: string): string[] =>
  shown < total ? [`${formatInteger(shown)} of ${formatInteger(total)} ${what} shown (evenly sampled)`] : [];

/** Whose chart this is: every title names the scenario, seed and (in a comparison) the variant. */
export interface ChartContext {
  scenario: string;
  seed: number | string;
  variant?: string;
}

const title = (ctx: ChartContext, what: string, notes: string[] = []): VlSpec => ({
  text: `${what} — ${ctx.scenario}${ctx.variant ? ` [${ctx.variant}]` : ''}, seed ${ctx.seed}`,
  ...(notes.length ? { subtitle: notes } : {}),
});

/** SLO targets on one metric, as vertical reference lines. */
function sloRules(summary: Summary, metric: string): { label: string; seconds: number }[] {
  return Object.entries(summary.slo.targets)
    .filter(([k]) => k.startsWith(`${metric}_`))
    .map(([k, t]) => ({ label: `SLO ${k} ${t!.target_s * 1e3 >= 10_000 ? `${t!.target_s} s` : `${+(t!.target_s * 1e3).toFixed(1)} ms`}`, seconds: t!.target_s }));
}

/** Cumulative distribution of one latency, log x axis, with its SLO targets as red rules. */
export function cdfChart(ctx: ChartContext, name: string, values: { seconds: number; share: number }[], rules: { label: string; seconds: number }[], notes: string[], of = 'requests'): VlSpec {
  const line = {
    data: { values },
    mark: { type: 'line', interpolate: 'step-after' },
    encoding: {
      x: { field: 'seconds', type: 'quantitative', scale: { type: 'log' }, title: `${name} (s, log scale)` },
      y: { field: 'share', type: 'quantitative', title: `share of ${of} at or below`, axis: { format: '%' } },
    },
  };
  const layers: VlSpec[] = [line];
  if (rules.length) {
    layers.push(
      { data: { values: rules }, mark: { type: 'rule', color: '#d62728', strokeDash: [6, 4], strokeWidth: 2 }, encoding: { x: { field: 'seconds', type: 'quantitative' } } },
      { data: { values: rules }, mark: { type: 'text', color: '#d62728', align: 'right', dx: -4, dy: 4, baseline: 'top' }, encoding: { x: { field: 'seconds', type: 'quantitative' }, y: { datum: 0.05 }, text: { field: 'label' } } },
    );
  }
  return { $schema: SCHEMA, title: title(ctx, `${name} CDF`, notes), width: WIDTH, height: HEIGHT, layer: layers };
}

/**
 * A CDF's steps: 500 of them are more than its 360-pixel height can tell apart (each ≤ 0.2% of
 * requests, under a pixel), and each drawn point costs Vega time and the files bytes.
 */
const CDF_POINTS = 500;

/** Ranks of the points drawn of a sorted series of n: evenly spaced, always the first and the last (the maximum). */
function cdfRanks(n: number): number[] {
  if (n <= CDF_POINTS) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: CDF_POINTS }, (_, k) => Math.round((k * (n - 1)) / (CDF_POINTS - 1)));
}

/** Per-request latency CDF (exact values at evenly spaced ranks, the slowest request included). */
function requestCdf(ctx: ChartContext, summary: Summary, column: NumberColumn, name: string, metric: string): VlSpec {
  // One value per finished request (the run's compact log: no per-request records needed).
  const xs = column.toArray().sort();
  const points = cdfRanks(xs.length).map((i) => ({ seconds: Math.max(xs[i], 1e-6), share: (i + 1) / xs.length }));
  return cdfChart(ctx, name, points, sloRules(summary, metric), sampled(points.length, xs.length, 'requests'));
}

/** TBT (inter-token gap) CDF from the log histogram: 200 quantiles of every decoded token's gap. */
function tbtCdf(ctx: ChartContext, summary: Summary, metrics: MetricsCollector): VlSpec {
  const shares = Array.from({ length: 200 }, (_, i) => (i + 1) / 200);
  const qs = metrics.interTokenGaps.quantiles(shares);
  const values = qs.map((seconds, i) => ({ seconds: Math.max(seconds, 1e-6), share: shares[i] }));
  return cdfChart(ctx, 'TBT (inter-token gap)', values, sloRules(summary, 'tbt'), [`${formatInteger(metrics.interTokenGaps.count)} gaps, drawn at 200 quantiles`], 'inter-token gaps');
}

/** TTFT of each request against its arrival time: where queues build up. */
function ttftOverTime(ctx: ChartContext, summary: Summary, arrival: NumberColumn, ttft: NumberColumn): VlSpec {
  const values = thinIndices(ttft.length).map((i) => ({ arrival_s: arrival.at(i), ttft_s: ttft.at(i) }));
  return ttftScatter(ctx, values, sloRules(summary, 'ttft'), ttft.length);
}

/** The TTFT-by-arrival scatter of `values` (drawn points of `total` requests), SLO targets as horizontal rules. */
export function ttftScatter(ctx: ChartContext, values: { arrival_s: number; ttft_s: number }[], rules: { label: string; seconds: number }[], total: number): VlSpec {
  const layers: VlSpec[] = [
    {
      data: { values },
      // No ARIA label per point: 2,000 points read out one by one help no screen-reader user, and
      // formatting each label was a fifth of the chart's rendering (the chart keeps its title).
      mark: { type: 'point', size: 10, opacity: 0.5, filled: true, aria: false },
      encoding: { x: { field: 'arrival_s', type: 'quantitative', title: 'arrival (s)' }, y: { field: 'ttft_s', type: 'quantitative', title: 'TTFT (s)' } },
    },
  ];
  if (rules.length) {
    layers.push({ data: { values: rules }, mark: { type: 'rule', color: '#d62728', strokeDash: [6, 4], strokeWidth: 2 }, encoding: { y: { field: 'seconds', type: 'quantitative' } } });
  }
  return { $schema: SCHEMA, title: title(ctx, 'TTFT by arrival time', sampled(values.length, total, 'requests')), width: WIDTH, height: HEIGHT, layer: layers };
}

const TIER_LABELS = { hbm: 'HBM', local_cpu: 'DRAM (local CPU)', local_disk: 'NVMe (local disk)', remote: 'remote' } as const;

/** Bytes held by each configured KV-cache tier over time (unconfigured tiers are not drawn). */
function tierOccupancy(ctx: ChartContext, summary: Summary, samples: readonly OccupancySample[], blockBytes: number): VlSpec {
  const tiers = (['hbm', 'local_cpu', 'local_disk', 'remote'] as const).filter((t) => t in summary.kv_cache.tiers);
  const shown = thin(samples);
  const values = shown.flatMap((s) => tiers.map((tier) => ({ time_s: s.time, tier: TIER_LABELS[tier], gb: (s[tier] * blockBytes) / 1e9 })));
  return tierLines(ctx, values, sampled(shown.length, samples.length, 'samples'));
}

/** One line per cache tier: GB held over simulated time. */
export function tierLines(ctx: ChartContext, values: { time_s: number; tier: string; gb: number }[], notes: string[]): VlSpec {
  return {
    $schema: SCHEMA,
    title: title(ctx, 'KV cache occupancy by tier', notes),
    width: WIDTH,
    height: HEIGHT,
    data: { values },
    mark: 'line',
    encoding: {
      x: { field: 'time_s', type: 'quantitative', title: 'simulated time (s)' },
      y: { field: 'gb', type: 'quantitative', title: 'GB held (all instances)' },
      color: { field: 'tier', type: 'nominal', sort: null, title: 'tier' },
    },
  };
}

/** Where prompt tokens came from: each configured cache tier or recomputation. */
function tokenSources(ctx: ChartContext, summary: Summary): VlSpec {
  const t = summary.kv_cache.tokens;
  const configured = summary.kv_cache.tiers as Record<string, unknown>;
  const sources = (['hbm', 'local_cpu', 'local_disk', 'pool', 'remote'] as const).filter((s) => s in configured || t[s] > 0);
  const values = [...sources, 'recomputed' as const].map((source) => ({ source, share: t.prompt > 0 ? t[source] / t.prompt : 0 }));
  return sourceBars(ctx, values);
}

/** One bar per source of prompt tokens: its share. */
export function sourceBars(ctx: ChartContext, values: { source: string; share: number }[]): VlSpec {
  return {
    $schema: SCHEMA,
    title: title(ctx, 'Prompt tokens by source'),
    width: WIDTH,
    height: 260,
    data: { values },
    mark: 'bar',
    encoding: {
      x: { field: 'source', type: 'nominal', sort: null, title: null, axis: { labelAngle: 0 } },
      y: { field: 'share', type: 'quantitative', axis: { format: '%' }, title: 'share of prompt tokens' },
    },
  };
}

/** How busy and how full each pool was, and how much of the hardware's peak it used. */
function poolUtilization(ctx: ChartContext, summary: Summary): VlSpec {
  const values = (['prefill', 'decode'] as const).flatMap((pool) => {
    const p = summary[pool];
    return [
      { pool, measure: 'busy time share', value: p.busy_share },
      { pool, measure: 'batch occupancy (mean)', value: p.batch_occupancy.mean },
      { pool, measure: 'KV occupancy (mean)', value: p.kv_occupancy.mean },
      { pool, measure: 'compute share of peak', value: p.compute_share_of_peak },
      { pool, measure: 'HBM bandwidth share of peak', value: p.hbm_bandwidth_share_of_peak },
    ];
  });
  return poolBars(ctx, values, `prefill ${summary.prefill.instances} × ${summary.prefill.device}, decode ${summary.decode.instances} × ${summary.decode.device}`);
}

/** Utilization measures of the two pools as bars, one column per pool. */
export function poolBars(ctx: ChartContext, values: { pool: string; measure: string; value: number }[], pools: string): VlSpec {
  return {
    $schema: SCHEMA,
    title: title(ctx, 'Pool utilization', [pools]),
    width: 300,
    height: 260,
    data: { values },
    mark: 'bar',
    encoding: {
      column: { field: 'pool', type: 'nominal', title: null, sort: ['prefill', 'decode'] },
      x: { field: 'measure', type: 'nominal', title: null, sort: null, axis: { labelAngle: -20, labelLimit: 220 } },
      y: { field: 'value', type: 'quantitative', axis: { format: '%' }, title: 'share', scale: { domain: [0, 1] } },
      color: { field: 'measure', type: 'nominal', legend: null },
    },
  };
}

/** The charts of one run, by file stem. */
export function runCharts(summary: Summary, metrics: MetricsCollector, blockBytes: number, variant?: string): Record<string, VlSpec> {
  const ctx: ChartContext = { scenario: summary.scenario, seed: summary.seed, variant };
  const { log } = metrics;
  return {
    ttft_cdf: requestCdf(ctx, summary, log.ttft, 'TTFT', 'ttft'),
    tbt_cdf: tbtCdf(ctx, summary, metrics),
    e2e_cdf: requestCdf(ctx, summary, log.e2e, 'E2E latency', 'e2e'),
    ttft_over_time: ttftOverTime(ctx, summary, log.arrival, log.ttft),
    tier_occupancy: tierOccupancy(ctx, summary, metrics.occupancy, blockBytes),
    token_sources: tokenSources(ctx, summary),
    pool_utilization: poolUtilization(ctx, summary),
  };
}

/** Side-by-side bars of a comparison, with full variant labels. */
export function compareChart(scenario: string, rows: readonly { variant: string; ttft_p95_s: number; tbt_p99_s: number; kv_hit_rate: number }[], seeds: string): VlSpec {
  const values = rows.flatMap((r) => [
    { variant: r.variant, metric: 'TTFT p95 (s)', value: r.ttft_p95_s },
    { variant: r.variant, metric: 'TBT p99 (s)', value: r.tbt_p99_s },
    { variant: r.variant, metric: 'KV hit rate', value: r.kv_hit_rate },
  ]);
  return {
    $schema: SCHEMA,
    title: { text: `Comparison — ${scenario}, ${seeds}` },
    data: { values },
    facet: { column: { field: 'metric', type: 'nominal', title: null, sort: ['TTFT p95 (s)', 'TBT p99 (s)', 'KV hit rate'] } },
    spec: {
      width: 260,
      height: Math.max(160, 28 * rows.length),
      mark: 'bar',
      encoding: {
        y: { field: 'variant', type: 'nominal', sort: null, title: null, axis: { labelLimit: 0 } },
        x: { field: 'value', type: 'quantitative', title: null },
      },
    },
    resolve: { scale: { x: 'independent' } },
  };
}

/** Renders specs to SVG with Vega (headless, no canvas); returns file name -> content. */
export async function renderCharts(specs: Record<string, VlSpec>): Promise<Record<string, string>> {
  // Loaded on demand: Vega adds ~0.5 s of start-up that runs without charts should not pay.
  const [vl, vega] = await Promise.all([import('vega-lite'), import('vega')]);
  phase('charts: vega loaded');
  const files: Record<string, string> = {};
  for (const [stem, spec] of Object.entries(specs)) {
    const compiled = vl.compile(spec as unknown as Parameters<typeof vl.compile>[0]).spec;
    const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
    files[`charts/${stem}.svg`] = await view.toSVG();
    view.finalize();
    files[`charts/${stem}.vl.json`] = `${JSON.stringify(spec, null, 1)}\n`;
    phase(`charts: ${stem} rendered`);
  }
  return files;
}
