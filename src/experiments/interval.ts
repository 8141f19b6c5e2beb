import jstatModule from 'jstat';

const { jStat } = jstatModule as unknown as { jStat: JStat };
interface JStat {
  mean(xs: number[]): number;
  stdev(xs: number[], sample: boolean): number;
  studentt: { inv(p: number, dof: number): number };
}

/** Mean of replicate values with a two-sided Student-t confidence interval. */
export interface Interval {
  readonly mean: number;
  readonly ci95_low: number;
  readonly ci95_high: number;
  readonly n: number;
}

/**
 * 95% t-interval of the mean: mean ± t(0.975, n-1) · s / √n, s the sample standard deviation.
 * Seeds are independent replicates, which is what the t-interval assumes; with one value the
 * interval is the point itself (no spread can be estimated).
 */
export function meanInterval(values: readonly number[]): Interval {
  const xs = [...values];
  const n = xs.length;
  if (n === 0) throw new Error('meanInterval of no values');
  const mean = jStat.mean(xs);
  if (n === 1) return { mean, ci95_low: mean, ci95_high: mean, n };
  const half = (jStat.studentt.inv(0.975, n - 1) * jStat.stdev(xs, true)) / Math.sqrt(n);
  return { mean, ci95_low: mean - half, ci95_high: mean + half, n };
}
