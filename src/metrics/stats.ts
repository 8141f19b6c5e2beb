import { sortDoubles } from './sort-doubles.js';

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

/**
 * Quantile of sorted samples by linear interpolation between closest ranks (numpy's default,
 * mathjs's quantileSeq): index p·(n−1), Q = (1−f)·x[i] + f·x[i+1]. Written out, in mathjs's
 * operation order, so summaries do not load mathjs (~0.1 CPU-s of start-up).
 */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const index = p * (sorted.length - 1);
  if (Number.isInteger(index)) return sorted[index];
  const i = Math.floor(index);
  const f = index % 1;
  return sorted[i] * (1 - f) + sorted[i + 1] * f;
}

/** Mean and percentiles (linear interpolation, as numpy's default) of plain samples. */
export function distribution(samples: ArrayLike<number>): Distribution {
  if (samples.length === 0) return { ...EMPTY };
  // A typed array is copied whole (a memcpy); `Float64Array.from` would walk it with an iterator.
  const sorted = sortDoubles(samples instanceof Float64Array ? samples.slice() : Float64Array.from(samples));
  let sum = 0;
  for (let i = 0; i < sorted.length; i++) sum += sorted[i];
  return {
    count: sorted.length,
    mean: sum / sorted.length,
    p50: quantileSorted(sorted, PERCENTILES[0]),
    p90: quantileSorted(sorted, PERCENTILES[1]),
    p95: quantileSorted(sorted, PERCENTILES[2]),
    p99: quantileSorted(sorted, PERCENTILES[3]),
    max: sorted[sorted.length - 1],
  };
}
