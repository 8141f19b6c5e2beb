import type { Interval } from './interval.js';
import type { MetricDef } from './metrics.js';

/** A metric value for the console: ms below 10 s, seconds above (long waits read as seconds). */
export function formatValue(unit: MetricDef['unit'], x: number): string {
  switch (unit) {
    case 's':
      return Math.abs(x) >= 10 ? `${x.toFixed(1)} s` : `${(x * 1e3).toFixed(x < 0.1 ? 1 : 0)} ms`;
    case 'share':
      return `${(x * 100).toFixed(1)}%`;
    case 'count':
      return Number.isInteger(x) ? String(x) : x.toFixed(1);
    case 'per_s':
      return x.toFixed(x >= 100 ? 0 : 2);
    case 'usd':
      return x.toFixed(2);
    case 'joule':
      return x.toFixed(1);
  }
}

/** `mean ±half` of an interval (just the mean when there is one replicate). */
export function formatInterval(unit: MetricDef['unit'], iv: Interval): string {
  if (iv.n < 2) return formatValue(unit, iv.mean);
  return `${formatValue(unit, iv.mean)} ±${formatValue(unit, (iv.ci95_high - iv.ci95_low) / 2)}`;
}
