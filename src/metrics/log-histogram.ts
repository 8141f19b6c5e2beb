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
