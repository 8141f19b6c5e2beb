import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatFixed, formatInteger, NANOSECOND_EXACT_BELOW_S, secondsText } from '../../src/util/format-number.js';

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

describe('secondsText: a time to the nanosecond', () => {
  it('hand-picked cases: rounding at the ninth decimal, trailing zeros dropped, signs, the bound', () => {
    // 1.3838527620951246 s = 1,383,852,762.095... ns -> 1,383,852,762 ns.
    expect(secondsText(1.3838527620951246)).toBe('1.383852762');
    // 0.01962345395384971 s = 19,623,453.95... ns -> 19,623,454 ns.
    expect(secondsText(0.01962345395384971)).toBe('0.019623454');
    expect(secondsText(11.219315590995803)).toBe('11.219315591');
    expect(secondsText(2.5)).toBe('2.5');
    expect(secondsText(3)).toBe('3');
    // A day in: the double nearest 86,400.0000005 is within 2^-37 s of it, so 86,400,000,000,500 ns.
    expect(secondsText(86_400.000_000_5)).toBe('86400.0000005');
    expect(secondsText(0)).toBe('0');
    expect(secondsText(-0)).toBe('0');
    expect(secondsText(4e-10)).toBe('0'); // 0.4 ns
    expect(secondsText(-4e-10)).toBe('0');
    expect(secondsText(6e-10)).toBe('0.000000001');
    expect(secondsText(-1.25e-3)).toBe('-0.00125');
    expect(secondsText(1e7 + 0.25)).toBe('10000000.25'); // beyond the bound: toFixed(9)
    expect(secondsText(1e21)).toBe('1e+21');
    expect(secondsText(Infinity)).toBe('Infinity');
    expect(secondsText(-Infinity)).toBe('-Infinity');
  });

  it('reads back within half a nanosecond plus the rounding of x * 1e9, and is never longer than 32 bytes', () => {
    fc.assert(
      fc.property(fc.oneof(fc.double({ min: -2 * NANOSECOND_EXACT_BELOW_S, max: 2 * NANOSECOND_EXACT_BELOW_S, noNaN: true }), fc.double({ min: 0, max: 100, noNaN: true })), (x) => {
        const text = secondsText(x);
        expect(text).toMatch(/^-?\d+(\.\d{0,8}[1-9])?$/);
        expect(text.length).toBeLessThanOrEqual(32);
        // x * 1e9 is rounded once (half an ulp of the product, at most 2^-53 of it) before Math.round:
        // below 2^53 ns, |error| <= 0.5 ns + |x| * 2^-53 s (+ the same again for reading text back).
        expect(Math.abs(Number(text) - x)).toBeLessThanOrEqual(0.5e-9 + Math.abs(x) * 2 ** -52);
      }),
      { numRuns: 3000 },
    );
  });
});
