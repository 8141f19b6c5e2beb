import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sortDoubles } from '../../src/metrics/sort-doubles.js';

/** Same order and the same bits (Object.is tells -0 from +0) as the built-in typed-array sort. */
function expectSameAsBuiltIn(values: number[]): void {
  const expected = Float64Array.from(values).sort();
  const got = sortDoubles(Float64Array.from(values), 0);
  expect(got.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(Object.is(got[i], expected[i])).toBe(true);
}

describe('sortDoubles', () => {
  it('sorts like Float64Array.prototype.sort: negatives, -0 before +0, infinities, subnormals, NaN', () => {
    expectSameAsBuiltIn([3, -1, 0, -0, 0, Infinity, -Infinity, 5e-324, -5e-324, 1e308, -1e308, 2.5, 2.5]);
    expectSameAsBuiltIn([1, NaN, -2, 0]); // NaN: handed to the built-in sort (NaN last)
    expectSameAsBuiltIn([]);
    expectSameAsBuiltIn([7]);
  });

  it('equals the built-in sort on arbitrary doubles, and on latencies sharing their high digits', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true }), { maxLength: 300 }), (values) => expectSameAsBuiltIn(values)),
    );
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0.5, max: 0.75, noNaN: true }), { maxLength: 300 }), (values) => expectSameAsBuiltIn(values)),
    );
  });

  it('sorts a large array (radix path at the default threshold) like the built-in sort', () => {
    const n = 70_000;
    const values: number[] = [];
    let x = 12345;
    for (let i = 0; i < n; i++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      values.push(((x / 2147483648) * 20 - 2) ** 3);
    }
    const expected = Float64Array.from(values).sort();
    expect(sortDoubles(Float64Array.from(values))).toEqual(expected);
  });
});
