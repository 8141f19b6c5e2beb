import type { Distribution } from './stats.js';
import { PERCENTILES } from './stats.js';

/**
 * A log-bucketed histogram (HdrHistogram-style) for latencies recorded millions of times, such as
 * inter-token gaps: O(1) per sample, constant memory, and percentiles within `relativeError` of
 * the exact value (mean, count and max stay exact). Sorting 5M exact samples took ~45% of a large
 * run's wall time (profiled with --cpu-prof), which is why TBT uses this instead.
 */
export class LogHistogram {
  private readonly counts: Float64Array;
  private readonly logBase: number;
  private total = 0;
  private sum = 0;
  private maxValue = 0;
  /**
   * The last bucket used and a range of values certainly in it (a hair inside its edges): decode
   * steps add slowly changing values, so most adds skip the logarithm. Same buckets as computing it.
   */
  private cachedIndex = -1;
  private cachedLo = Infinity;
  private cachedHi = -Infinity;

  constructor(
    /** Smallest resolved value (seconds); anything smaller lands in the first bucket. */
    private readonly minValue = 1e-6,
    maxValue = 1e6,
    readonly relativeError = 1e-4,
  ) {
    this.logBase = Math.log1p(relativeError);
    this.counts = new Float64Array(Math.ceil(Math.log(maxValue / minValue) / this.logBase) + 2);
  }

  get count(): number {
    return this.total;
  }

  add(value: number, weight = 1): void {
    if (weight <= 0) return;
    const i = this.bucketOf(value);
    this.counts[i] += weight;
    this.total += weight;
    this.sum += value * weight;
    if (value > this.maxValue) this.maxValue = value;
  }

  /**
   * Adds the `n` values first + step·j (j = 0 .. n−1, step >= 0), each with `weight`: one update per
   * bucket the run crosses instead of one per value (decode steps whose context grows linearly).
   * Each value lands in the bucket `add` would put it in: a run's last index in a bucket is found
   * from the bucket's edge, then checked against `indexOf` itself.
   */
  addLinear(first: number, step: number, n: number, weight: number): void {
    if (weight <= 0 || n <= 0) return;
    const last = first + step * (n - 1);
    // Values more than a bucket apart: per value (with the cached bucket) is no slower.
    if (step > first * this.relativeError * 0.25) {
      for (let j = 0; j < n; j++) this.add(first + step * j, weight);
      return;
    }
    const top = this.counts.length - 1;
    let j = 0;
    while (j < n) {
      const i = this.indexOf(first + step * j);
      let k = n - 1;
      if (step > 0 && i < top) {
        const edge = i === 0 ? this.minValue : this.minValue * Math.exp(i * this.logBase);
        k = Math.min(n - 1, Math.max(j, Math.ceil((edge - first) / step) - 1));
        while (k + 1 < n && this.indexOf(first + step * (k + 1)) === i) k++;
        while (k > j && this.indexOf(first + step * k) !== i) k--;
      }
      this.counts[i] += weight * (k - j + 1);
      j = k + 1;
    }
    this.total += weight * n;
    this.sum += weight * (n * first + (step * n * (n - 1)) / 2);
    if (last > this.maxValue) this.maxValue = last;
  }

  /** Index of the bucket `value` falls in. */
  bucketOf(value: number): number {
    if (value >= this.cachedLo && value <= this.cachedHi) return this.cachedIndex;
    const i = this.indexOf(value);
    this.remember(i);
    return i;
  }

  private indexOf(value: number): number {
    return value <= this.minValue ? 0 : Math.min(this.counts.length - 1, 1 + Math.floor(Math.log(value / this.minValue) / this.logBase));
  }

  /**
   * Caches bucket i's interior: values within 1e-9 (relative) of its edges are left to the
   * logarithm, so rounding (~1e-16) can never put a cached value in the wrong bucket.
   */
  private remember(i: number): void {
    this.cachedIndex = -1;
    this.cachedLo = Infinity;
    this.cachedHi = -Infinity;
    if (i === 0 || i === this.counts.length - 1) return;
    const lo = this.minValue * Math.exp((i - 1) * this.logBase) * (1 + 1e-9);
    const hi = this.minValue * Math.exp(i * this.logBase) * (1 - 1e-9);
    if (this.indexOf(lo) !== i || this.indexOf(hi) !== i) return;
    this.cachedIndex = i;
    this.cachedLo = lo;
    this.cachedHi = hi;
  }

  /** Representative value of bucket i: its geometric middle (bucket 0: the minimum). */
  private valueOf(i: number): number {
    if (i === 0) return this.minValue;
    return Math.min(this.maxValue, this.minValue * Math.exp((i - 0.5) * this.logBase));
  }

  /** Mean and nearest-rank percentiles (smallest value whose cumulative weight reaches p). */
  distribution(): Distribution {
    if (this.total === 0) return { count: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, max: 0 };
    const out = [0, 0, 0, 0];
    let k = 0;
    let acc = 0;
    for (let i = 0; i < this.counts.length && k < PERCENTILES.length; i++) {
      if (this.counts[i] === 0) continue;
      acc += this.counts[i];
      while (k < PERCENTILES.length && acc >= PERCENTILES[k] * this.total) out[k++] = this.valueOf(i);
    }
    return { count: this.total, mean: this.sum / this.total, p50: out[0], p90: out[1], p95: out[2], p99: out[3], max: this.maxValue };
  }

  /** Values at the given cumulative shares (ascending, in (0, 1]): a CDF for charts. */
  quantiles(shares: readonly number[]): number[] {
    const out: number[] = [];
    if (this.total === 0) return out;
    let k = 0;
    let acc = 0;
    for (let i = 0; i < this.counts.length && k < shares.length; i++) {
      if (this.counts[i] === 0) continue;
      acc += this.counts[i];
      while (k < shares.length && acc >= shares[k] * this.total) {
        out.push(this.valueOf(i));
        k++;
      }
    }
    return out;
  }
}
