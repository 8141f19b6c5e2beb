/**
 * Per-request latency of a storage service (first byte of a GET/PUT, one NFS operation), as a
 * distribution drawn from a seeded stream: object stores have a wide spread (the recipe quotes
 * 10-100 ms for Ceph S3), so a load of many objects pays more than the mean on its slowest lane.
 */
export type LatencyDist =
  | { readonly dist: 'fixed'; readonly value: number }
  | { readonly dist: 'uniform'; readonly min: number; readonly max: number }
  /** Lognormal with this mean and coefficient of variation, clipped to [min, max]. */
  | { readonly dist: 'lognormal'; readonly mean: number; readonly cv: number; readonly min: number; readonly max: number };

/** Mean of the distribution (for load-or-recompute estimates); for clipped lognormal, the unclipped mean clamped. */
export function meanLatency(d: LatencyDist): number {
  switch (d.dist) {
    case 'fixed':
      return d.value;
    case 'uniform':
      return (d.min + d.max) / 2;
    case 'lognormal':
      return Math.min(d.max, Math.max(d.min, d.mean));
  }
}

/**
 * A sampler of `d` over `rng` (uniform [0, 1)): `sum(n)` is the sum of `n` draws, added in draw
 * order (a batch of requests pays them all; one loop keeps the doubles unboxed, no call per draw).
 * A class rather than a closure per service: its optimized code then outlives each run (see
 * src/util/countdown.ts).
 */
export class LatencySampler {
  /** 'constant': every draw is `value`; 'uniform': min + u (max - min); 'lognormal': clipped exp(mu + sigma z). */
  private readonly kind: 'constant' | 'uniform' | 'lognormal';
  private readonly value: number;
  private readonly min: number;
  private readonly max: number;
  private readonly mu: number;
  private readonly sigma: number;

  constructor(
    d: LatencyDist,
    private readonly rng: () => number,
  ) {
    const lognormal = d.dist === 'lognormal' && d.cv !== 0 && d.mean !== 0;
    this.kind = d.dist === 'uniform' ? 'uniform' : lognormal ? 'lognormal' : 'constant';
    this.value = d.dist === 'fixed' ? d.value : d.dist === 'lognormal' ? Math.min(d.max, Math.max(d.min, d.mean)) : 0;
    this.min = d.dist === 'fixed' ? 0 : d.min;
    this.max = d.dist === 'fixed' ? 0 : d.max;
    const sigma2 = lognormal ? Math.log(1 + d.cv * d.cv) : 0;
    this.mu = lognormal ? Math.log(d.mean) - sigma2 / 2 : 0;
    this.sigma = Math.sqrt(sigma2);
  }

  sum(n: number): number {
    let s = 0;
    if (this.kind === 'constant') {
      const v = this.value;
      for (let j = 0; j < n; j++) s += v;
    } else if (this.kind === 'uniform') {
      const { min, max, rng } = this;
      for (let j = 0; j < n; j++) s += min + rng() * (max - min);
    } else {
      const { min, max, mu, sigma, rng } = this;
      for (let j = 0; j < n; j++) {
        // Box-Muller; 1 - u keeps log away from 0.
        const z = Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
        s += Math.min(max, Math.max(min, Math.exp(mu + sigma * z)));
      }
    }
    return s;
  }
}

/** Validation message for a distribution, or '' if it is usable. */
export function latencyProblem(d: LatencyDist): string {
  const values = d.dist === 'fixed' ? [d.value] : d.dist === 'uniform' ? [d.min, d.max] : [d.mean, d.min, d.max];
  if (values.some((v) => !(v >= 0) || !Number.isFinite(v))) return 'latencies must be finite and not negative';
  if (d.dist !== 'fixed' && d.min > d.max) return `min (${d.min} s) must not exceed max (${d.max} s)`;
  if (d.dist === 'lognormal' && !(d.cv >= 0 && Number.isFinite(d.cv))) return 'cv must be a finite number >= 0';
  return '';
}
