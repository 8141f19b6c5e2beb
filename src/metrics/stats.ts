import quickselect from 'quickselect';
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

/**
 * Mean and percentiles (linear interpolation, as numpy's default) of plain samples. The percentiles
 * are order statistics found by selection (Floyd-Rivest, the `quickselect` package), not by sorting:
 * each one partitions what lies above the previous, so the whole costs a few passes over the
 * samples (a large run's ten latency columns of 1M: ~0.19 CPU s instead of ~0.64 for sorting them
 * in a fresh process). The same values as sorting, except that -0 and +0 count as equal. The mean
 * is a compensated sum (compensatedSum), so it does not depend on the samples' order. Samples
 * holding NaN are sorted instead (NaN last, as Float64Array.prototype.sort puts it).
 */
export function distribution(samples: ArrayLike<number>): Distribution {
  const n = samples.length;
  if (n === 0) return { ...EMPTY };
  // A typed array is copied whole (a memcpy); `Float64Array.from` would walk it with an iterator.
  const xs = samples instanceof Float64Array ? samples.slice() : Float64Array.from(samples);
  const sum = compensatedSum(xs);
  if (Number.isNaN(sum) && xs.some((x) => Number.isNaN(x))) return distributionSorted(sortDoubles(xs), sum);
  // Ascending percentiles: each selection works above the last one's rank, whose items are all >= it.
  const values: number[] = [];
  let from = 0;
  for (const p of PERCENTILES) {
    const index = p * (n - 1);
    const i = Math.floor(index);
    if (i >= from) {
      quickselect(xs as unknown as number[], i, from, n - 1, ascending); // typed as an array, indexes any
      from = i + 1;
    }
    // Interpolation needs rank i + 1 too: the least of everything above rank i.
    values.push(Number.isInteger(index) ? xs[i] : xs[i] * (1 - (index % 1)) + leastFrom(xs, i + 1) * (index % 1));
  }
  let max = xs[from - 1];
  for (let i = from; i < n; i++) if (xs[i] > max) max = xs[i];
  return { count: n, mean: sum / n, p50: values[0], p90: values[1], p95: values[2], p99: values[3], max };
}

/** Numeric order for quickselect (no subtraction: Infinity - Infinity is NaN). */
export const ascending = (a: number, b: number): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Σ xs with Neumaier's compensated summation: the rounding error of every addition is carried and
 * added back at the end, so the result hardly depends on the order (error ~ε·Σ|x| instead of
 * ~n·ε·Σ|x|). Non-finite terms give what plain summation gives.
 */
export function compensatedSum(xs: ArrayLike<number>): number {
  let sum = 0;
  let carry = 0;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    const t = sum + x;
    carry += Math.abs(sum) >= Math.abs(x) ? sum - t + x : x - t + sum;
    sum = t;
  }
  const total = sum + carry;
  return Number.isFinite(total) ? total : sum;
}

/** The least of xs[from ..]. */
function leastFrom(xs: Float64Array, from: number): number {
  let least = xs[from];
  for (let i = from + 1; i < xs.length; i++) if (xs[i] < least) least = xs[i];
  return least;
}

/** distribution() of sorted samples whose sum is `sum`. */
function distributionSorted(sorted: Float64Array, sum: number): Distribution {
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
