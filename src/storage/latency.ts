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

/** Mean and variance of one draw, exactly as drawn (the lognormal's clipping included). */
export function latencyMoments(d: LatencyDist): { mean: number; variance: number } {
  switch (d.dist) {
    case 'fixed':
      return { mean: d.value, variance: 0 };
    case 'uniform':
      return { mean: (d.min + d.max) / 2, variance: (d.max - d.min) ** 2 / 12 };
    case 'lognormal': {
      if (d.cv === 0 || d.mean === 0) return { mean: Math.min(d.max, Math.max(d.min, d.mean)), variance: 0 };
      const { mu, sigma } = lognormalParams(d.mean, d.cv);
      return clippedLognormalMoments(mu, sigma, d.min, d.max);
    }
  }
}

function lognormalParams(mean: number, cv: number): { mu: number; sigma: number } {
  const sigma2 = Math.log(1 + cv * cv);
  return { mu: Math.log(mean) - sigma2 / 2, sigma: Math.sqrt(sigma2) };
}

const Z_RANGE = 12; // standard normal mass beyond ±12: ~4e-33, far below double precision
const SIMPSON_INTERVALS = 2048; // per piece; each piece's integrand is smooth (the clip's kinks are piece ends)

/**
 * E[X] and Var[X] of X = clip(exp(mu + sigma Z), min, max), Z standard normal: the integrals of
 * x(z) φ(z) and x(z)² φ(z) by Simpson's rule over three pieces split where the clip starts and
 * stops (z = (ln min − mu) / sigma and (ln max − mu) / sigma), so every piece is smooth.
 */
function clippedLognormalMoments(mu: number, sigma: number, min: number, max: number): { mean: number; variance: number } {
  const x = (z: number) => Math.min(max, Math.max(min, Math.exp(mu + sigma * z)));
  const clampZ = (z: number) => Math.min(Z_RANGE, Math.max(-Z_RANGE, z));
  const zLo = min > 0 ? clampZ((Math.log(min) - mu) / sigma) : -Z_RANGE;
  const zHi = Number.isFinite(max) ? clampZ((Math.log(max) - mu) / sigma) : Z_RANGE;
  let m1 = 0;
  let m2 = 0;
  for (const [a, b] of [[-Z_RANGE, zLo], [zLo, zHi], [zHi, Z_RANGE]]) {
    if (!(b > a)) continue;
    const h = (b - a) / SIMPSON_INTERVALS;
    for (let i = 0; i <= SIMPSON_INTERVALS; i++) {
      const z = a + i * h;
      const w = (i === 0 || i === SIMPSON_INTERVALS ? 1 : i % 2 === 1 ? 4 : 2) * (h / 3) * Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI);
      const v = x(z);
      m1 += w * v;
      m2 += w * v * v;
    }
  }
  // The quadrature's weights sum to 1 within ~1e-12: keep the mean inside the clip.
  return { mean: Math.min(max, Math.max(min, m1)), variance: Math.max(0, m2 - m1 * m1) };
}

/**
 * A sampler of `d` over `rng` (uniform [0, 1)): `sum(n)` is the summed latency of a batch of `n`
 * requests.
 *
 * One request (n = 1) is one draw of `d`. A batch (n ≥ 2) is one draw of the sum's distribution,
 * not n draws: the requests' latencies are independent, so their sum has mean n·E[X] and variance
 * n·Var[X] (E and Var of one draw, clipping included: latencyMoments); it is drawn as the lognormal
 * with that mean and variance (Fenton–Wilkinson's approximation of a sum of independent lognormals;
 * its skewness 3c + c³, c = cv/√n, matches the sum's to first order in c), clipped to what n draws
 * can add up to, [n·min, n·max]. Two uniforms per batch whatever n: a write-through of a 9,000-token
 * Llama-70B prompt at TP 2 is ~70 NFS files, one draw instead of 70. Constant latencies are summed
 * one by one (no draws).
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
  /** Mean and variance of one draw (the sum of n has n times each). */
  private readonly mean: number;
  private readonly variance: number;

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
    const m = latencyMoments(d);
    this.mean = m.mean;
    this.variance = m.variance;
  }

  sum(n: number): number {
    if (this.kind === 'constant') {
      const v = this.value;
      let s = 0;
      for (let j = 0; j < n; j++) s += v;
      return s;
    }
    if (n <= 0) return 0;
    if (n === 1) return this.one();
    const m = n * this.mean;
    if (this.variance === 0 || m === 0) return Math.min(n * this.max, Math.max(n * this.min, m));
    const s2 = Math.log(1 + (n * this.variance) / (m * m));
    return Math.min(n * this.max, Math.max(n * this.min, Math.exp(Math.log(m) - s2 / 2 + Math.sqrt(s2) * this.normal())));
  }

  /** One draw of the distribution (uniform or lognormal). */
  private one(): number {
    const { min, max } = this;
    if (this.kind === 'uniform') return min + this.rng() * (max - min);
    return Math.min(max, Math.max(min, Math.exp(this.mu + this.sigma * this.normal())));
  }

  /** A standard normal draw: Box-Muller; 1 - u keeps log away from 0. */
  private normal(): number {
    return Math.sqrt(-2 * Math.log(1 - this.rng())) * Math.cos(2 * Math.PI * this.rng());
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
