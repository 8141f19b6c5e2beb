import { math } from '../util/math.js';

/** Distribution summary of a latency, in seconds. */
export interface Distribution {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
}

export const PERCENTILES = [0.5, 0.9, 0.95, 0.99] as const;

const EMPTY: Distribution = { count: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, max: 0 };

/** Mean and percentiles (linear interpolation, as numpy's default) of plain samples. */
export function distribution(samples: readonly number[]): Distribution {
  if (samples.length === 0) return { ...EMPTY };
  const sorted = Float64Array.from(samples).sort();
  const arr = Array.from(sorted);
  const [p50, p90, p95, p99] = math.quantileSeq(arr, [...PERCENTILES], true) as number[];
  return { count: arr.length, mean: math.mean(arr) as number, p50, p90, p95, p99, max: arr[arr.length - 1] };
}
