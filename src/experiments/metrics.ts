import type { Summary } from '../metrics/summary.js';

/** A scalar read from a run's summary: a column of sweep/compare tables and a replicate statistic. */
export interface MetricDef {
  readonly name: string;
  /** How the console shows it. */
  readonly unit: 's' | 'share' | 'count' | 'per_s' | 'usd' | 'joule';
  readonly pick: (s: Summary) => number;
}

/** The numbers planners compare configurations by; names are CSV/JSON column names. */
export const METRICS: readonly MetricDef[] = [
  { name: 'ttft_p50_s', unit: 's', pick: (s) => s.ttft_s.p50 },
  { name: 'ttft_p95_s', unit: 's', pick: (s) => s.ttft_s.p95 },
  { name: 'ttft_p99_s', unit: 's', pick: (s) => s.ttft_s.p99 },
  { name: 'ttft_prefill_p95_s', unit: 's', pick: (s) => s.ttft_prefill_s.p95 },
  { name: 'tbt_p50_s', unit: 's', pick: (s) => s.tbt_s.p50 },
  { name: 'tbt_p99_s', unit: 's', pick: (s) => s.tbt_s.p99 },
  { name: 'tpot_p50_s', unit: 's', pick: (s) => s.tpot_s.p50 },
  { name: 'e2e_p50_s', unit: 's', pick: (s) => s.e2e_s.p50 },
  { name: 'e2e_p95_s', unit: 's', pick: (s) => s.e2e_s.p95 },
  { name: 'kv_hit_rate', unit: 'share', pick: (s) => s.kv_cache.hit_rate },
  { name: 'slo_attainment', unit: 'share', pick: (s) => s.slo.attainment },
  { name: 'finished', unit: 'count', pick: (s) => s.requests.finished },
  { name: 'rejected', unit: 'count', pick: (s) => s.requests.rejected },
  { name: 'requests_per_s', unit: 'per_s', pick: (s) => s.throughput.requests_per_s },
  { name: 'output_tokens_per_s', unit: 'per_s', pick: (s) => s.throughput.output_tokens_per_s },
  { name: 'prefill_busy_share', unit: 'share', pick: (s) => s.prefill.busy_share },
  { name: 'decode_busy_share', unit: 'share', pick: (s) => s.decode.busy_share },
  { name: 'decode_batch_occupancy', unit: 'share', pick: (s) => s.decode.batch_occupancy.mean },
  { name: 'makespan_s', unit: 's', pick: (s) => s.makespan_s },
  { name: 'cost_per_hour', unit: 'usd', pick: (s) => s.cost.cluster_per_hour },
  { name: 'cost_per_million_output_tokens', unit: 'usd', pick: (s) => s.cost.per_million_output_tokens },
  { name: 'cost_per_million_tokens', unit: 'usd', pick: (s) => s.cost.per_million_tokens },
  { name: 'energy_j_per_output_token', unit: 'joule', pick: (s) => s.energy.per_output_token_j },
];

export const metricByName = (name: string): MetricDef | undefined => METRICS.find((m) => m.name === name);

/** Whether a run drained its load (overload detection's verdict). */
export function isStable(s: Summary): boolean {
  return s.stability.stable;
}

/** A run "meets the SLO" when every target is met, nothing was rejected or left unfinished, and it is stable. */
export function meetsSlo(s: Summary): boolean {
  return s.slo.all_met && s.requests.rejected === 0 && s.requests.unfinished === 0 && isStable(s);
}
