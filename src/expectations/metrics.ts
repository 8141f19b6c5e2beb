/**
 * The metrics an `expectations:` block may make claims about, and how each is measured from a run.
 * Throughput claims are capacity claims ("the prefill pool does 400K tokens/s"), so they are checked
 * against the pool's sustained rate — tokens per busy instance-second × instances — not against the
 * workload's offered load; each also has a physical ceiling (src/expectations/ceiling.ts).
 */
import type { ClusterPlan } from '../cluster/plan.js';
import type { MetricsCollector } from '../metrics/collector.js';
import type { Distribution } from '../metrics/stats.js';
import { distribution } from '../metrics/stats.js';
import type { Summary } from '../metrics/summary.js';
import { decodeCeiling, prefillCeiling } from './ceiling.js';

export type MetricKind = 'time' | 'rate' | 'share' | 'count';

export interface MeasureContext {
  summary: Summary;
  metrics: MetricsCollector;
  plan: ClusterPlan;
}

export interface MetricSpec {
  kind: MetricKind;
  description: string;
  /** Undefined when the run has nothing to measure (e.g. no request hit the cache). */
  measure(ctx: MeasureContext): number | undefined;
  /** Throughput claims: the most this hardware could do at 100% efficiency. */
  ceiling?(ctx: MeasureContext): { value: number; bound: string };
}

const PERCENTILES = ['p50', 'p90', 'p95', 'p99'] as const;

/** Tokens per busy instance-second × instances: what the pool delivers while working. */
function sustained(ctx: MeasureContext, pool: 'prefill' | 'decode'): number | undefined {
  const s = ctx.metrics[pool];
  if (ctx.plan.mode === 'colocated') {
    // Colocated instances mix both phases in one step; only the run's achieved rate is meaningful.
    return pool === 'prefill' ? ctx.summary.throughput.input_tokens_per_s : ctx.summary.throughput.output_tokens_per_s;
  }
  return s.busyTime > 0 ? (s.tokens / s.busyTime) * ctx.plan[pool].instances : undefined;
}

function ttftWhere(ctx: MeasureContext, hit: boolean): Distribution {
  // A loop, not filter/map callbacks: closures made per run would be optimized anew in every run.
  const ttft: number[] = [];
  for (const r of ctx.metrics.records) {
    if (!Number.isNaN(r.finish) && (r.cachedTokens > 0) === hit) ttft.push(r.firstToken - r.req.arrival);
  }
  return distribution(ttft);
}

const specs: Record<string, MetricSpec> = {
  prefill_tokens_per_s: {
    kind: 'rate',
    description: 'prompt tokens computed per second by the prefill pool while busy (sustained rate × instances)',
    measure: (c) => sustained(c, 'prefill'),
    ceiling: prefillCeiling,
  },
  decode_tokens_per_s: {
    kind: 'rate',
    description: 'output tokens per second of the decode pool while busy (sustained rate × instances)',
    measure: (c) => sustained(c, 'decode'),
    ceiling: decodeCeiling,
  },
  output_tokens_per_s: {
    kind: 'rate',
    description: 'output tokens per second over the makespan (achieved, limited by the offered load)',
    measure: (c) => c.summary.throughput.output_tokens_per_s,
  },
  hit_rate: {
    kind: 'share',
    description: 'share of prompt tokens whose KV was reused from any tier (kv_cache.hit_rate)',
    measure: (c) => c.summary.kv_cache.hit_rate,
  },
  concurrent_users: {
    kind: 'count',
    description: 'requests in flight (arrived, not yet finished), time-averaged over the makespan',
    measure: (c) => c.summary.concurrency.mean_requests_in_flight,
  },
  slo_attainment: {
    kind: 'share',
    description: 'share of requests meeting every SLO target (slo.attainment)',
    measure: (c) => c.summary.slo.attainment,
  },
};
for (const metric of ['ttft', 'tbt', 'tpot', 'e2e'] as const) {
  const key = `${metric}_s` as const;
  for (const p of PERCENTILES) {
    specs[`${metric}_${p}`] = { kind: 'time', description: `${metric.toUpperCase()} ${p}`, measure: (c) => c.summary[key][p] };
  }
}
for (const p of PERCENTILES) {
  const pick = (d: Distribution) => (d.count > 0 ? d[p] : undefined);
  specs[`ttft_cache_hit_${p}`] = {
    kind: 'time',
    description: `TTFT ${p} of requests that reused any cached KV`,
    measure: (c) => pick(ttftWhere(c, true)),
  };
  specs[`ttft_cache_miss_${p}`] = {
    kind: 'time',
    description: `TTFT ${p} of requests that reused no cached KV`,
    measure: (c) => pick(ttftWhere(c, false)),
  };
}

export const METRICS: Readonly<Record<string, MetricSpec>> = specs;
