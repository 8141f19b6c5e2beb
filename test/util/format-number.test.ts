import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatFixed, formatInteger } from '../../src/util/format-number.js';

const icu = (x: number, d: number): string => x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });

describe('formatFixed / formatInteger: toLocaleString("en-US") without ICU', () => {
  it('hand-picked cases: grouping, ICU rounding of the shortest decimal (half away from zero), signs', () => {
    expect(formatFixed(1234567.891, 1)).toBe('1,234,567.9');
    // 1.005 is 1.00499999999999989... in binary; its shortest decimal is 1.005, which ICU rounds up.
    expect(formatFixed(1.005, 2)).toBe('1.01');
    expect(formatFixed(0.005, 2)).toBe('0.01');
    expect(formatFixed(999.96, 1)).toBe('1,000.0');
    expect(formatFixed(0.0001, 2)).toBe('0.00');
    expect(formatFixed(-2.5, 0)).toBe('-3');
    expect(formatFixed(-0, 1)).toBe('-0.0');
    expect(formatFixed(1e21, 0)).toBe('1,000,000,000,000,000,000,000');
    expect(formatFixed(1.5e-7, 2)).toBe('0.00');
    expect(formatFixed(NaN, 1)).toBe('NaN');
    expect(formatFixed(-Infinity, 1)).toBe('-∞');
    expect(formatInteger(12031)).toBe('12,031');
    expect(formatInteger(-1000)).toBe('-1,000');
    for (const [x, d] of [[1.005, 2], [0.005, 2], [999.96, 1], [-2.5, 0], [-0, 1], [1e21, 0], [NaN, 1], [-Infinity, 1]] as const) {
      expect(formatFixed(x, d), `${x}, ${d}`).toBe(icu(x, d));
    }
  });

  it('equals toLocaleString on random doubles of every magnitude, 0 to 3 decimals', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, min: -1e22, max: 1e22 }), fc.integer({ min: 0, max: 3 }), (x, d) => formatFixed(x, d) === icu(x, d)),
      { numRuns: 5_000 },
    );
  });

  it('equals toLocaleString on decimals that sit on a rounding tie, and just beside one', () => {
    const tie = fc.tuple(fc.integer({ min: -1_000_000, max: 1_000_000 }), fc.integer({ min: 0, max: 3 }), fc.constantFrom(-1, 0, 1)).map(([k, d, nudge]) => {
      // k.5 units of the last decimal kept, then maybe moved one ulp away.
      const x = (k + 0.5) / 10 ** d;
      return { x: nudge === 0 ? x : nudge > 0 ? x + Number.EPSILON * Math.abs(x) : x - Number.EPSILON * Math.abs(x), d };
    });
    fc.assert(fc.property(tie, ({ x, d }) => formatFixed(x, d) === icu(x, d)), { numRuns: 5_000 });
  });

  it('formatInteger equals toLocaleString("en-US") on integers', () => {
    fc.assert(fc.property(fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), (n) => formatInteger(n) === n.toLocaleString('en-US')), { numRuns: 5_000 });
  });
});
