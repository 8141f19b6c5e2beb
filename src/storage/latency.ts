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
 * A sampler of `d` over `rng` (uniform [0, 1)): the sum of `n` draws, added in draw order (a
 * batch of requests pays them all; one loop keeps the doubles unboxed, no call per draw).
 */
export function latencySampler(d: LatencyDist, rng: () => number): (n: number) => number {
  switch (d.dist) {
    case 'fixed': {
      const v = d.value;
      return (n) => {
        let s = 0;
        for (let j = 0; j < n; j++) s += v;
        return s;
      };
    }
    case 'uniform': {
      const { min, max } = d;
      return (n) => {
        let s = 0;
        for (let j = 0; j < n; j++) s += min + rng() * (max - min);
        return s;
      };
    }
    case 'lognormal': {
      const { min, max } = d;
      if (d.cv === 0 || d.mean === 0) {
        const v = Math.min(max, Math.max(min, d.mean));
        return (n) => {
          let s = 0;
          for (let j = 0; j < n; j++) s += v;
          return s;
        };
      }
      const sigma2 = Math.log(1 + d.cv * d.cv);
      const mu = Math.log(d.mean) - sigma2 / 2;
      const sigma = Math.sqrt(sigma2);
      return (n) => {
        let s = 0;
        for (let j = 0; j < n; j++) {
          // Box-Muller; 1 - u keeps log away from 0.
          const z = Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
          s += Math.min(max, Math.max(min, Math.exp(mu + sigma * z)));
        }
        return s;
      };
    }
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
