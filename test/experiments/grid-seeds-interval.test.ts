import { describe, expect, it } from 'vitest';
import { gridPoints, parseAxes, pointLabel } from '../../src/experiments/grid.js';
import { meanInterval } from '../../src/experiments/interval.js';
import { parseSeedSpec, resolveSeeds } from '../../src/experiments/seeds.js';
import { InputError } from '../../src/scenario/input-error.js';

describe('grid of --vary axes', () => {
  it('is the cartesian product, first axis slowest', () => {
    const axes = parseAxes('--vary', ['a.b=1,2', 'c=x,y,z']);
    expect(gridPoints(axes).map(pointLabel)).toEqual(['a.b=1 c=x', 'a.b=1 c=y', 'a.b=1 c=z', 'a.b=2 c=x', 'a.b=2 c=y', 'a.b=2 c=z']);
  });
  it('accepts a single flag as a string and no flag as one empty point', () => {
    expect(gridPoints(parseAxes('--vary', 'k=1')).map(pointLabel)).toEqual(['k=1']);
    expect(gridPoints(parseAxes('--vary', undefined))).toEqual([[]]);
  });
  it('refuses malformed axes and a key varied twice', () => {
    for (const bad of [['k'], ['=1,2'], ['k='], ['k=1,1'], ['k=1', 'k=2']]) {
      expect(() => parseAxes('--vary', bad)).toThrow(InputError);
    }
  });
});

describe('seeds', () => {
  it('--seeds N counts up from the scenario seed, or from --seed', () => {
    expect(resolveSeeds(parseSeedSpec(undefined, '3'), 7)).toEqual([7, 8, 9]);
    expect(resolveSeeds(parseSeedSpec('20', '2'), 7)).toEqual([20, 21]);
    expect(resolveSeeds(parseSeedSpec('1,5,9', undefined), 7)).toEqual([1, 5, 9]);
    expect(resolveSeeds(parseSeedSpec(undefined, undefined), 7)).toBeUndefined();
    expect(resolveSeeds(parseSeedSpec(undefined, '2'), 'abc')).toEqual(['abc', 'abc+1']);
  });
  it('refuses zero, negative, fractional and non-numeric replicates, and repeated seeds', () => {
    for (const n of ['0', '-1', '1.5', 'x', '']) expect(() => parseSeedSpec(undefined, n)).toThrow(InputError);
    expect(() => parseSeedSpec('1,x', undefined)).toThrow(InputError);
    expect(() => parseSeedSpec('1,1', undefined)).toThrow(InputError);
    expect(() => parseSeedSpec('1,2', '3')).toThrow(InputError);
  });
});

describe('95% t-interval of the mean', () => {
  it('matches the hand computation', () => {
    // [1,2,3]: mean 2, sample sd 1, t(0.975, 2) = 4.302653 → half-width 4.302653/√3 = 2.484138
    const iv = meanInterval([1, 2, 3]);
    expect(iv.mean).toBe(2);
    expect(iv.ci95_low).toBeCloseTo(2 - 2.484138, 5);
    expect(iv.ci95_high).toBeCloseTo(2 + 2.484138, 5);
    // [10, 14]: mean 12, sd √8 = 2.828427, t(0.975, 1) = 12.706205 → half 12.706205·2.828427/√2 = 25.41241
    const two = meanInterval([10, 14]);
    expect(two.ci95_high - two.mean).toBeCloseTo(25.41241, 4);
  });
  it('is the point itself for one value or identical values', () => {
    expect(meanInterval([5])).toEqual({ mean: 5, ci95_low: 5, ci95_high: 5, n: 1 });
    const same = meanInterval([3, 3, 3]);
    expect([same.ci95_low, same.ci95_high]).toEqual([3, 3]);
  });
});
