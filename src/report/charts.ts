import type { OccupancySample } from '../metrics/collector.js';
import type { RequestLog } from '../metrics/request-log.js';
import type { NumberColumn } from '../metrics/number-column.js';
import type { Summary } from '../metrics/summary.js';

/** A Vega-Lite spec with its data inlined, ready to write as .vl.json and render to SVG. */
export type VlSpec = Record<string, unknown>;

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
/** Charts stay light: at most this many points per series (evenly thinned, deterministic). */
const MAX_POINTS = 2000;

function thin<T>(xs: readonly T[]): T[] {
  return thinIndices(xs.length).map((i) => xs[i]);
}

/** Indices of the evenly thinned points of a series of n. */
function thinIndices(n: number): number[] {
  if (n <= MAX_POINTS) return Array.from({ length: n }, (_, i) => i);
  const step = n / MAX_POINTS;
  return Array.from({ length: MAX_POINTS }, (_, i) => Math.floor(i * step));
}

/** Cumulative distribution of TTFT and E2E latency over finished requests. */
function latencyCdf(log: RequestLog): VlSpec {
  const values: { metric: string; seconds: number; share: number }[] = [];
  for (const [metric, column] of [
    ['TTFT', log.ttft],
    ['E2E', log.e2e],
  ] as const) {
    const xs = column.toArray().sort();
    for (const i of thinIndices(xs.length)) values.push({ metric, seconds: xs[i], share: (i + 1) / xs.length });
  }
  return {
    $schema: SCHEMA,
    title: 'Latency CDF',
    width: 480,
    height: 300,
    data: { values },
    mark: { type: 'line', interpolate: 'step-after' },
    encoding: {
      x: { field: 'seconds', type: 'quantitative', scale: { type: 'log' }, title: 'seconds (log)' },
      y: { field: 'share', type: 'quantitative', title: 'share of requests' },
      color: { field: 'metric', type: 'nominal' },
    },
  };
}

/** TTFT of each request against its arrival time: where queues build up. */
function ttftOverTime(arrival: NumberColumn, ttft: NumberColumn): VlSpec {
  const values = thinIndices(ttft.length).map((i) => ({ arrival_s: arrival.at(i), ttft_s: ttft.at(i) }));
  return {
    $schema: SCHEMA,
    title: 'TTFT by arrival time',
    width: 480,
    height: 300,
    data: { values },
    mark: { type: 'point', size: 8, opacity: 0.5 },
    encoding: {
      x: { field: 'arrival_s', type: 'quantitative', title: 'arrival (s)' },
      y: { field: 'ttft_s', type: 'quantitative', title: 'TTFT (s)' },
    },
  };
}

/** Bytes held by each KV-cache tier over time. */
function tierOccupancy(samples: readonly OccupancySample[], blockBytes: number): VlSpec {
  const values = thin(samples).flatMap((s) =>
    (['hbm', 'local_cpu', 'local_disk', 'remote'] as const).map((tier) => ({ time_s: s.time, tier, gb: (s[tier] * blockBytes) / 1e9 })),
  );
  return {
    $schema: SCHEMA,
    title: 'KV cache occupancy by tier',
    width: 480,
    height: 300,
    data: { values },
    mark: 'line',
    encoding: {
      x: { field: 'time_s', type: 'quantitative', title: 'time (s)' },
      y: { field: 'gb', type: 'quantitative', title: 'GB (all instances)' },
      color: { field: 'tier', type: 'nominal' },
    },
  };
}

/** Where prompt tokens came from: each cache tier or recomputation. */
function tokenSources(summary: Summary): VlSpec {
  const t = summary.kv_cache.tokens;
  const values = (['hbm', 'local_cpu', 'local_disk', 'pool', 'remote', 'recomputed'] as const).map((source) => ({
    source,
    share: t.prompt > 0 ? t[source] / t.prompt : 0,
  }));
  return {
    $schema: SCHEMA,
    title: 'Prompt tokens by source',
    width: 360,
    height: 220,
    data: { values },
    mark: 'bar',
    encoding: {
      x: { field: 'source', type: 'nominal', sort: null, title: null },
      y: { field: 'share', type: 'quantitative', axis: { format: '%' }, title: 'share of prompt tokens' },
    },
  };
}

/** The charts of one run, by file stem. */
export function runCharts(summary: Summary, log: RequestLog, occupancy: readonly OccupancySample[], blockBytes: number): Record<string, VlSpec> {
  return {
    latency_cdf: latencyCdf(log),
    ttft_over_time: ttftOverTime(log.arrival, log.ttft),
    tier_occupancy: tierOccupancy(occupancy, blockBytes),
    token_sources: tokenSources(summary),
  };
}

/** Side-by-side bars of a comparison. */
export function compareChart(rows: readonly { variant: string; ttft_p95_s: number; tbt_p99_s: number; kv_hit_rate: number }[]): VlSpec {
  const values = rows.flatMap((r) => [
    { variant: r.variant, metric: 'TTFT p95 (s)', value: r.ttft_p95_s },
    { variant: r.variant, metric: 'TBT p99 (s)', value: r.tbt_p99_s },
    { variant: r.variant, metric: 'KV hit rate', value: r.kv_hit_rate },
  ]);
  return {
    $schema: SCHEMA,
    title: 'Comparison',
    data: { values },
    facet: { column: { field: 'metric', type: 'nominal', title: null } },
    spec: {
      width: 220,
      height: 220,
      mark: 'bar',
      encoding: {
        y: { field: 'variant', type: 'nominal', sort: null, title: null },
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
  const files: Record<string, string> = {};
  for (const [stem, spec] of Object.entries(specs)) {
    const compiled = vl.compile(spec as unknown as Parameters<typeof vl.compile>[0]).spec;
    const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
    files[`charts/${stem}.svg`] = await view.toSVG();
    view.finalize();
    files[`charts/${stem}.vl.json`] = `${JSON.stringify(spec, null, 1)}\n`;
  }
  return files;
}
