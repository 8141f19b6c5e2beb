import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rngStream } from '../../src/engine/rng.js';
import { latencyMoments, LatencySampler, type LatencyDist } from '../../src/storage/latency.js';

/** A stream replaying `us` (uniform draws), so sums can be computed by hand. */
const replay = (us: number[]) => {
  let i = 0;
  return () => us[i++];
};

describe('LatencySampler: the sum of n request latencies', () => {
  it('fixed: n times the value, no draws', () => {
    // 3 × 0.02 s = 0.06 s (added one by one, as the sampler does).
    expect(new LatencySampler({ dist: 'fixed', value: 0.02 }, () => NaN).sum(3)).toBe(0.02 + 0.02 + 0.02);
    expect(new LatencySampler({ dist: 'fixed', value: 0.02 }, () => NaN).sum(0)).toBe(0);
  });

  it('uniform: one request is min + u (max - min)', () => {
    // u = 0.25 over [0.01, 0.03]: 0.01 + 0.25 × 0.02 = 0.015 s.
    const s = new LatencySampler({ dist: 'uniform', min: 0.01, max: 0.03 }, replay([0.25])).sum(1);
    expect(s).toBeCloseTo(0.015, 12);
  });

  it('lognormal: Box-Muller draws clipped to [min, max]; cv 0 is the clipped mean', () => {
    // u1 = 1 - e^-0.5 (so sqrt(-2 ln(1 - u1)) = 1), u2 = 0 (cos 0 = 1): z = 1.
    // cv 0.5: sigma² = ln 1.25, mu = ln 0.05 - sigma²/2; draw = exp(mu + sigma).
    const sigma2 = Math.log(1.25);
    const expected = Math.exp(Math.log(0.05) - sigma2 / 2 + Math.sqrt(sigma2));
    const d = { dist: 'lognormal', mean: 0.05, cv: 0.5, min: 0, max: 1 } as const;
    expect(new LatencySampler(d, replay([1 - Math.exp(-0.5), 0])).sum(1)).toBeCloseTo(expected, 12);
    // The same draw clipped by max = 0.04 (expected = 0.05 · e^(0.4724 - 0.1116) ≈ 0.0717 > 0.04).
    expect(new LatencySampler({ ...d, max: 0.04 }, replay([1 - Math.exp(-0.5), 0])).sum(1)).toBe(0.04);
    expect(new LatencySampler({ ...d, cv: 0 }, () => NaN).sum(2)).toBe(0.05 + 0.05);
    expect(new LatencySampler({ ...d, cv: 0, min: 0.06 }, () => NaN).sum(1)).toBe(0.06);
  });
});

const ms = 1e-3;

describe('latencyMoments: mean and variance of one draw as drawn', () => {
  it('uniform: (a + b) / 2 and (b − a)² / 12', () => {
    // [1, 4] ms: mean 2.5 ms, variance 9 / 12 = 0.75 ms².
    const m = latencyMoments({ dist: 'uniform', min: 1 * ms, max: 4 * ms });
    expect(m.mean).toBeCloseTo(2.5 * ms, 15);
    expect(m.variance).toBeCloseTo(0.75 * ms * ms, 15);
  });

  it('lognormal without a binding clip: the mean and (cv × mean)²', () => {
    // mean 2, cv 0.5, clipped to [0, 1e6]: mean 2, variance (0.5 × 2)² = 1.
    const m = latencyMoments({ dist: 'lognormal', mean: 2, cv: 0.5, min: 0, max: 1e6 });
    expect(m.mean).toBeCloseTo(2, 9);
    expect(m.variance).toBeCloseTo(1, 9);
  });

  it('lognormal clipped below at its median: the clip raises the mean, lowers the variance', () => {
    // mean 2, cv 0.5: σ² = ln 1.25 = 0.2231436, σ = 0.4723807, median e^μ = 2 / √1.25 = 1.7888544.
    // Clipped at the median from below (max far away):
    //   E[X]  = e^μ Φ(0) + E[lognormal] Φ(σ)      = 0.8944272 + 2 × Φ(0.47238)
    //         = 0.8944272 + 2 × 0.68167 = 2.25777      (Φ(0.47) 0.68082, Φ(0.48) 0.68439, interpolated)
    //   E[X²] = e^2μ Φ(0) + E[lognormal²] Φ(2σ)   = 3.2 / 2 + 5 × Φ(0.94476)
    //         = 1.6 + 5 × 0.82760 = 5.73800         (Φ(0.94) 0.82639, Φ(0.95) 0.82894, interpolated)
    //   Var   = 5.73800 − 2.25777² = 0.64047
    const m = latencyMoments({ dist: 'lognormal', mean: 2, cv: 0.5, min: 2 / Math.sqrt(1.25), max: 1e6 });
    expect(m.mean).toBeCloseTo(2.25777, 4);
    expect(m.variance).toBeCloseTo(0.64047, 3);
  });

  it('fixed, and lognormal with cv 0: no variance', () => {
    expect(latencyMoments({ dist: 'fixed', value: 3 * ms })).toEqual({ mean: 3 * ms, variance: 0 });
    expect(latencyMoments({ dist: 'lognormal', mean: 9 * ms, cv: 0, min: 1 * ms, max: 5 * ms })).toEqual({ mean: 5 * ms, variance: 0 });
  });
});

describe('LatencySampler: a batch of n requests is one draw of the sum of n latencies', () => {
  it('one request is one draw of the distribution; a batch is one lognormal with the sum\'s mean and variance', () => {
    // Uniforms 0.5 and 0.25: Box-Muller z = √(−2 ln 0.5) × cos(π / 2) = 0 (to 1e-16): the median.
    const seq = (...u: number[]) => {
      let i = 0;
      return () => u[i++ % u.length];
    };
    const d: LatencyDist = { dist: 'lognormal', mean: 2, cv: 0.5, min: 0, max: 1e6 };
    // n = 1: the lognormal's median, 2 / √1.25 = 1.7888544.
    expect(new LatencySampler(d, seq(0.5, 0.25)).sum(1)).toBeCloseTo(1.7888544, 6);
    // n = 4: sum mean 8, variance 4 × 1 = 4, cv² = 4 / 64 = 1 / 16; median 8 / √(1 + 1/16) = 8 / 1.0307764 = 7.7611400.
    expect(new LatencySampler(d, seq(0.5, 0.25)).sum(4)).toBeCloseTo(7.76114, 6);
    // Uniform [1, 3], n = 3: mean 6, variance 3 × 4 / 12 = 1, cv² = 1/36: median 6 / √(37/36) = 6 / 1.0137938 = 5.9183635.
    expect(new LatencySampler({ dist: 'uniform', min: 1, max: 3 }, seq(0.5, 0.25)).sum(3)).toBeCloseTo(5.9183635, 6);
    // A fixed latency is summed.
    expect(new LatencySampler({ dist: 'fixed', value: 2 }, seq(0.5)).sum(5)).toBe(10);
    expect(new LatencySampler(d, seq(0.5, 0.25)).sum(0)).toBe(0);
  });

  it('over many batches the sums have mean n·E[X] and variance n·Var[X] (NFS profile, 70 files)', () => {
    // nfs_rdma: lognormal mean 2 ms, cv 0.5, clipped to [1, 5] ms; a batch of 70 requests.
    const d: LatencyDist = { dist: 'lognormal', mean: 2 * ms, cv: 0.5, min: 1 * ms, max: 5 * ms };
    const { mean, variance } = latencyMoments(d);
    const n = 70;
    const draws = 20_000;
    const sampler = new LatencySampler(d, rngStream(7, 'latency-test'));
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < draws; i++) {
      const x = sampler.sum(n);
      s += x;
      s2 += x * x;
    }
    const m = s / draws;
    const v = s2 / draws - m * m;
    // Within 5 standard errors: of the mean √(n Var / draws); of the variance ≈ n Var √(2 / draws)
    // (a near-normal sum's sample variance).
    expect(Math.abs(m - n * mean)).toBeLessThan(5 * Math.sqrt((n * variance) / draws));
    expect(Math.abs(v - n * variance)).toBeLessThan(5 * n * variance * Math.sqrt(2 / draws));
  });

  it('property: a sum lies in [n·min, n·max], takes two uniforms whatever n (a batch none if the clip leaves no spread), and repeats with its seed', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-4, max: 1, noNaN: true }),
        fc.double({ min: 0.01, max: 3, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 1, max: 10, noNaN: true }),
        fc.integer({ min: 1, max: 500 }),
        fc.integer({ min: 0, max: 1000 }),
        (mean, cv, lo, hi, n, seed) => {
          const d: LatencyDist = { dist: 'lognormal', mean, cv, min: mean * lo, max: mean * hi };
          let calls = 0;
          const rng = rngStream(seed, 'latency-property');
          const counted = () => {
            calls++;
            return rng();
          };
          const x = new LatencySampler(d, counted).sum(n);
          // One request is always a draw; a batch whose one-draw variance rounds to 0 is n × the mean.
          expect(calls).toBe(n === 1 || latencyMoments(d).variance > 0 ? 2 : 0);
          expect(x).toBeGreaterThanOrEqual(n * d.min * (1 - 1e-12));
          expect(x).toBeLessThanOrEqual(n * d.max * (1 + 1e-12));
          expect(new LatencySampler(d, rngStream(seed, 'latency-property')).sum(n)).toBe(x);
        },
      ),
      { numRuns: 200 },
    );
  });
});
