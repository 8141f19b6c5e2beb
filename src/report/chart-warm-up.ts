import { cdfChart, poolBars, sourceBars, tierLines, ttftScatter, type ChartContext, type VlSpec } from './charts.js';

/** Points of the synthetic series: as many as a real run draws at most (charts.ts thins to 2,000). */
const POINTS = 2000;

/**
 * Synthetic charts of every kind `kvsim run` draws (log-scale CDF with SLO rules, scatter, tier
 * lines, bars, faceted bars), sized like a real run's. The chart thread renders them while the
 * simulation runs, and throws the files away: Vega's code is then compiled and optimised when the
 * run's charts arrive, which renders those in about half the time (README "Start-up"). Fixed data
 * (no randomness): warming up does the same work on every run.
 */
export function warmUpCharts(): VlSpec[] {
  const ctx: ChartContext = { scenario: 'warm-up', seed: 0 };
  const rules = [
    { label: 'SLO ttft_p95 2000 ms', seconds: 2 },
    { label: 'SLO ttft_p99 5 s', seconds: 5 },
  ];
  const cdf = Array.from({ length: POINTS }, (_, i) => ({ seconds: 0.01 * Math.exp((8 * i) / POINTS), share: (i + 1) / POINTS }));
  const scatter = Array.from({ length: POINTS }, (_, i) => ({ arrival_s: 1.8 * i, ttft_s: 0.2 + ((i * 37) % 101) / 20 }));
  const tiers = ['HBM', 'DRAM (local CPU)', 'NVMe (local disk)', 'remote'];
  const lines = Array.from({ length: 400 }, (_, i) => tiers.map((tier, k) => ({ time_s: 10 * i, tier, gb: (k + 1) * 100 * (1 - Math.exp(-i / 50)) }))).flat();
  const sources = ['hbm', 'local_cpu', 'local_disk', 'remote', 'recomputed'].map((source, k) => ({ source, share: (k + 1) / 15 }));
  const measures = ['busy time share', 'batch occupancy (mean)', 'KV occupancy (mean)', 'compute share of peak', 'HBM bandwidth share of peak'];
  const pools = ['prefill', 'decode'].flatMap((pool, p) => measures.map((measure, k) => ({ pool, measure, value: (p + k + 1) / 8 })));
  return [
    cdfChart(ctx, 'TTFT', cdf, rules, ['2,000 of 10,000 requests shown (evenly sampled)']),
    ttftScatter(ctx, scatter, rules, 10_000),
    tierLines(ctx, lines, []),
    poolBars(ctx, pools, 'prefill 12 × mi300x, decode 4 × gaudi3'),
    sourceBars(ctx, sources),
  ];
}
