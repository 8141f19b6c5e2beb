import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { compensatedSum, distribution, PERCENTILES, quantileSorted } from '../../src/metrics/stats.js';
import { LogHistogram } from '../../src/metrics/log-histogram.js';

describe('distribution (numpy-style linear interpolation)', () => {
  it('1..10 shuffled', () => {
    const d = distribution([7, 3, 10, 1, 5, 9, 2, 8, 4, 6]);
    // position p·(n − 1) in the sorted list, interpolated:
    // p50: 4.5 -> 5 + 0.5·1 = 5.5; p90: 8.1 -> 9.1; p95: 8.55 -> 9.55; p99: 8.91 -> 9.91
    expect(d.count).toBe(10);
    expect(d.mean).toBeCloseTo(5.5, 12);
    expect(d.p50).toBeCloseTo(5.5, 12);
    expect(d.p90).toBeCloseTo(9.1, 12);
    expect(d.p95).toBeCloseTo(9.55, 12);
    expect(d.p99).toBeCloseTo(9.91, 12);
    expect(d.max).toBe(10);
  });

  it('uneven values, sorted numerically (not as strings)', () => {
    const d = distribution([10, 0.5, 3, 1, 100, 9]);
    // sorted: 0.5, 1, 3, 9, 10, 100 (n = 6)
    // p50: 2.5 -> 3 + 0.5·6 = 6; p90: 4.5 -> 10 + 0.5·90 = 55;
    // p95: 4.75 -> 10 + 0.75·90 = 77.5; p99: 4.95 -> 10 + 0.95·90 = 95.5
    // mean: 123.5 / 6
    expect(d.p50).toBeCloseTo(6, 12);
    expect(d.p90).toBeCloseTo(55, 12);
    expect(d.p95).toBeCloseTo(77.5, 12);
    expect(d.p99).toBeCloseTo(95.5, 12);
    expect(d.mean).toBeCloseTo(123.5 / 6, 12);
    expect(d.max).toBe(100);
  });

  it('one sample: every statistic is that sample', () => {
    expect(distribution([0.25])).toEqual({ count: 1, mean: 0.25, p50: 0.25, p90: 0.25, p95: 0.25, p99: 0.25, max: 0.25 });
  });

  it('no samples: all zero', () => {
    expect(distribution([])).toEqual({ count: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, max: 0 });
  });

  it('does not modify its input', () => {
    const xs = [3, 1, 2];
    distribution(xs);
    expect(xs).toEqual([3, 1, 2]);
  });

  it('property: selection finds exactly the order statistics a full sort gives (ties, infinities, > 600 samples, NaN)', () => {
    // Reference: sort everything, interpolate (quantileSorted); the mean is compensatedSum's (tested below).
    const reference = (xs: number[]) => {
      const sorted = Float64Array.from(xs).sort();
      const [p50, p90, p95, p99] = PERCENTILES.map((p) => quantileSorted(sorted, p));
      return { count: xs.length, mean: compensatedSum(xs) / xs.length, p50, p90, p95, p99, max: sorted[sorted.length - 1] };
    };
    // Few distinct values make ties; -0 is left out (selection counts it equal to +0).
    const value = fc.oneof(fc.double({ min: 0, max: 1e4, noNaN: true, noDefaultInfinity: true }).filter((x) => !Object.is(x, -0)), fc.integer({ min: 0, max: 5 }), fc.constantFrom(Infinity, 0.1, 1e-9));
    const samples = fc.oneof(fc.array(value, { minLength: 1, maxLength: 40 }), fc.array(value, { minLength: 601, maxLength: 3000 }));
    fc.assert(
      fc.property(samples, fc.boolean(), (xs, withNaN) => {
        if (withNaN) xs.splice(xs.length >> 1, 0, Number.NaN);
        expect(distribution(xs)).toEqual(reference(xs));
        expect(distribution(Float64Array.from(xs))).toEqual(reference(xs));
      }),
      { numRuns: 300 },
    );
  });

  it('compensatedSum: within 2ε of the exact sum (BigInt arithmetic), where plain summation drifts', () => {
    // A double is an integer multiple of 2^-1074: the exact sum is a BigInt count of those units.
    const units = (x: number): bigint => {
      const view = new DataView(new ArrayBuffer(8));
      view.setFloat64(0, x);
      const bits = view.getBigUint64(0);
      const exponent = Number((bits >> 52n) & 0x7ffn);
      const mantissa = bits & ((1n << 52n) - 1n);
      const magnitude = exponent === 0 ? mantissa : (mantissa | (1n << 52n)) << BigInt(exponent - 1);
      return bits >> 63n ? -magnitude : magnitude;
    };
    // 1 + 1e-16 added 10,000 times: plain summation loses every 1e-16 (1 + 1e-16 rounds to 1).
    const xs = [1, ...Array<number>(10_000).fill(1e-16)];
    expect(xs.reduce((a, x) => a + x, 0)).toBe(1);
    expect(compensatedSum(xs)).toBe(1 + 1e-12); // the double nearest 1.000000000001
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1e4, noNaN: true }), { minLength: 1, maxLength: 1000 }), (values) => {
        const exact = values.reduce((a, x) => a + units(x), 0n);
        const got = compensatedSum(values);
        // Neumaier: |error| <= ε·S + O(n·ε²)·Σ|x|; all terms >= 0, so Σ|x| = S. Bound: (2ε + 4nε²)·S
        // with ε = 2^-53, times 2^106 to stay in integers: |error|·2^106 <= (2·2^53 + 4n)·S.
        const error = units(got) - exact;
        const magnitude = error < 0n ? -error : error;
        expect(magnitude << 106n <= (2n * (1n << 53n) + 4n * BigInt(values.length)) * exact).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('property: matches a reference linear-interpolation percentile', () => {
    const ref = (sorted: number[], p: number) => {
      const h = p * (sorted.length - 1);
      const lo = Math.floor(h);
      const hi = Math.min(lo + 1, sorted.length - 1);
      return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    };
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1000, noNaN: true }), { minLength: 1, maxLength: 50 }), (xs) => {
        const s = [...xs].sort((a, b) => a - b);
        const d = distribution(xs);
        const tol = 1e-9 * (1 + s[s.length - 1]);
        expect(Math.abs(d.p50 - ref(s, 0.5))).toBeLessThanOrEqual(tol);
        expect(Math.abs(d.p90 - ref(s, 0.9))).toBeLessThanOrEqual(tol);
        expect(Math.abs(d.p95 - ref(s, 0.95))).toBeLessThanOrEqual(tol);
        expect(Math.abs(d.p99 - ref(s, 0.99))).toBeLessThanOrEqual(tol);
        expect(d.max).toBe(s[s.length - 1]);
        expect(d.count).toBe(xs.length);
      }),
      { numRuns: 200 },
    );
  });
});

/** Weighted samples into a LogHistogram, then its distribution. */
function weightedDistribution(values: Float64Array, weights: Float64Array) {
  const h = new LogHistogram();
  values.forEach((v, i) => h.add(v, weights[i]));
  return h.distribution();
}

/** Percentiles come back within the histogram's relative error (1e-4), or its 1 µs floor. */
function expectNear(actual: number, exact: number): void {
  expect(Math.abs(actual - exact)).toBeLessThanOrEqual(Math.max(exact * 1e-4, 1e-6));
}

describe('LogHistogram (weighted nearest rank, within 1e-4 relative)', () => {
  /** Nearest-rank percentile of plain samples: the smallest value whose rank reaches p·n. */
  const nearestRank = (sorted: number[], p: number) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)];
  const expand = (values: number[], weights: number[]) => values.flatMap((v, i) => new Array<number>(weights[i]).fill(v));

  it('small hand-made example equals expanding the weights into repeated values', () => {
    // (0.3, 2), (0.1, 5), (0.2, 2), (1.0, 1) -> expanded sorted:
    //   0.1 ×5, 0.2 ×2, 0.3 ×2, 1.0 ×1 (n = 10)
    // p50: rank ceil(5) = 5 -> 0.1; p90: rank 9 -> 0.3; p95: rank ceil(9.5) = 10 -> 1.0; p99: rank 10 -> 1.0
    // mean = (0.6 + 0.5 + 0.4 + 1.0) / 10 = 0.25
    const values = [0.3, 0.1, 0.2, 1.0];
    const weights = [2, 5, 2, 1];
    const d = weightedDistribution(Float64Array.from(values), Float64Array.from(weights));
    expect(d.count).toBe(10);
    expect(d.mean).toBeCloseTo(0.25, 12);
    expectNear(d.p50, 0.1);
    expectNear(d.p90, 0.3);
    expectNear(d.p95, 1.0);
    expectNear(d.p99, 1.0);
    expect(d.max).toBe(1.0);
    const plain = expand(values, weights).sort((a, b) => a - b);
    expect(plain.length).toBe(10);
    [d.p50, d.p90, d.p95, d.p99].forEach((x, k) => expectNear(x, nearestRank(plain, [0.5, 0.9, 0.95, 0.99][k])));
  });

  it('all weight on one value', () => {
    const d = weightedDistribution(Float64Array.from([0.5, 2]), Float64Array.from([99, 1]));
    // n = 100: p99 = rank 99 -> 0.5; max = 2
    expectNear(d.p99, 0.5);
    expect(d.max).toBe(2);
    expect(d.mean).toBeCloseTo((0.5 * 99 + 2) / 100, 12);
  });

  it('empty: all zero', () => {
    expect(weightedDistribution(new Float64Array(0), new Float64Array(0))).toEqual({
      count: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, max: 0,
    });
  });

  it('property: equals the nearest-rank percentiles, mean and max of the expanded samples', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 1000 }).map((x) => x / 100), fc.integer({ min: 1, max: 20 })), {
          minLength: 1,
          maxLength: 40,
        }),
        (pairs) => {
          const values = pairs.map((p) => p[0]);
          const weights = pairs.map((p) => p[1]);
          const plain = expand(values, weights).sort((a, b) => a - b);
          const d = weightedDistribution(Float64Array.from(values), Float64Array.from(weights));
          expect(d.count).toBe(plain.length);
          expectNear(d.p50, nearestRank(plain, 0.5));
          expectNear(d.p90, nearestRank(plain, 0.9));
          expectNear(d.p95, nearestRank(plain, 0.95));
          expectNear(d.p99, nearestRank(plain, 0.99));
          expect(d.max).toBe(plain[plain.length - 1]);
          expect(d.mean).toBeCloseTo(plain.reduce((s, x) => s + x, 0) / plain.length, 9);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('LogHistogram bucket cache', () => {
  it('puts every value in the bucket the logarithm gives (slowly rising runs and random values)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 1e-7, max: 1e3, noNaN: true }), { maxLength: 200 }), fc.double({ min: 1e-3, max: 1, noNaN: true }), (xs, start) => {
        const cached = new LogHistogram();
        const reference = new LogHistogram();
        // A value in bucket 0 leaves no cached range: the next lookup takes the logarithm.
        const uncached = (v: number) => (reference.bucketOf(1e-12), reference.bucketOf(v));
        // a slowly rising run (like decode step times), then random values
        const values = [...Array.from({ length: 2000 }, (_, k) => start * (1 + 3e-6 * k)), ...xs];
        for (const v of values) expect(cached.bucketOf(v)).toBe(uncached(v));
      }),
      { numRuns: 30 },
    );
  });
});
