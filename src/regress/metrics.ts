import type { Summary } from '../metrics/summary.js';

/** Which way a metric should move: a change the other way is a regression. */
export type Direction = 'lower' | 'higher';

export interface MetricDef {
  readonly name: string;
  readonly better: Direction;
  readonly pick: (s: Summary) => number;
}

/**
 * The metrics a regression run compares, each with its good direction: latencies and cost should
 * go down, reuse, SLO attainment, completions and throughput up.
 */
export const METRICS: readonly MetricDef[] = [
  { name: 'ttft_p50_s', better: 'lower', pick: (s) => s.ttft_s.p50 },
  { name: 'ttft_p95_s', better: 'lower', pick: (s) => s.ttft_s.p95 },
  { name: 'ttft_p99_s', better: 'lower', pick: (s) => s.ttft_s.p99 },
  { name: 'tbt_p50_s', better: 'lower', pick: (s) => s.tbt_s.p50 },
  { name: 'tbt_p99_s', better: 'lower', pick: (s) => s.tbt_s.p99 },
  { name: 'tpot_p50_s', better: 'lower', pick: (s) => s.tpot_s.p50 },
  { name: 'e2e_p50_s', better: 'lower', pick: (s) => s.e2e_s.p50 },
  { name: 'e2e_p99_s', better: 'lower', pick: (s) => s.e2e_s.p99 },
  { name: 'kv_hit_rate', better: 'higher', pick: (s) => s.kv_cache.hit_rate },
  { name: 'slo_attainment', better: 'higher', pick: (s) => s.slo.attainment },
  { name: 'finished', better: 'higher', pick: (s) => s.requests.finished },
  { name: 'rejected', better: 'lower', pick: (s) => s.requests.rejected },
  { name: 'output_tokens_per_s', better: 'higher', pick: (s) => s.throughput.output_tokens_per_s },
  { name: 'cost_per_million_output_tokens', better: 'lower', pick: (s) => s.cost.per_million_output_tokens },
];

export const METRIC_NAMES = METRICS.map((m) => m.name);
