import { describe, expect, it } from 'vitest';
import { LatencySampler } from '../../src/storage/latency.js';

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

  it('uniform: min + u (max - min) per draw', () => {
    // u = 0.5 and 0.25 over [0.01, 0.03]: 0.02 + 0.015 = 0.035 s.
    const s = new LatencySampler({ dist: 'uniform', min: 0.01, max: 0.03 }, replay([0.5, 0.25])).sum(2);
    expect(s).toBeCloseTo(0.035, 12);
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
