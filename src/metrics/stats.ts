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

/**
 * Mean and percentiles of (value, weight) samples, e.g. inter-token gaps where one decode step
 * stands for all the sequences in its batch. Percentile = smallest value whose cumulative weight
 * reaches p of the total (nearest rank).
 */
export function weightedDistribution(values: Float64Array, weights: Float64Array): Distribution {
  const n = values.length;
  if (n === 0) return { ...EMPTY };
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => values[a] - values[b]);
  let total = 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    total += weights[i];
    sum += values[i] * weights[i];
  }
  const out = [0, 0, 0, 0];
  let k = 0;
  let acc = 0;
  for (let j = 0; j < n && k < PERCENTILES.length; j++) {
    acc += weights[order[j]];
    while (k < PERCENTILES.length && acc >= PERCENTILES[k] * total) out[k++] = values[order[j]];
  }
  while (k < PERCENTILES.length) out[k++] = values[order[n - 1]];
  return { count: total, mean: sum / total, p50: out[0], p90: out[1], p95: out[2], p99: out[3], max: values[order[n - 1]] };
}

