import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cheapest } from '../../src/tco/cheapest.js';

/** A monotone toy cluster: passes when p·a ≥ P and d·b ≥ D; costs p·cp + d·cd per hour. */
function toy(a: number, b: number, P: number, D: number, cp: number, cd: number) {
  const range = Array.from({ length: 8 }, (_, i) => i + 1);
  const calls: string[] = [];
  const space = {
    prefill: range,
    decode: range,
    lowerBound: (p: number, d: number) => p * cp + d * cd,
    evaluate: (p: number, d: number) => {
      calls.push(`${p},${d}`);
      return { prefill: p, decode: d, pass: p * a >= P && d * b >= D, cost: p * cp + d * cd, result: null };
    },
  };
  return { space, calls, range };
}

describe('cheapest SLO-meeting configuration', () => {
  it('finds the brute-force optimum with fewer runs (hand case: needs 3 prefill and 5 decode nodes)', () => {
    const { space, calls } = toy(1, 1, 3, 5, 2, 1);
    const r = cheapest(space);
    expect([r.best?.prefill, r.best?.decode, r.best?.cost]).toEqual([3, 5, 11]); // 3·2 + 5·1
    expect(calls.length).toBeLessThan(64);
  });

  it('property: equals exhaustive search on monotone feasibility', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), (P, D, cp, cd) => {
        const { space, range } = toy(1, 1, P, D, cp, cd);
        let brute: number | undefined;
        for (const p of range) for (const d of range) if (p >= P && d >= D) brute = Math.min(brute ?? Infinity, p * cp + d * cd);
        expect(cheapest(space).best?.cost).toBe(brute);
      }),
    );
  });
});
