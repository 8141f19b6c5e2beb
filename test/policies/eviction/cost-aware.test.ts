import { describe, expect, it } from 'vitest';
import { CostAwarePolicy } from '../../../src/policies/eviction/cost-aware.js';
import { LfuPolicy } from '../../../src/policies/eviction/lfu.js';
import type { EvictionPolicy } from '../../../src/policies/eviction/policy.js';
import { drain } from './helpers.js';

/** Block 1: cheap (cost 1) and used `uses` times; block 2: expensive (cost 10), used once. */
function cheapFrequentVsExpensiveRare(p: EvictionPolicy, uses: number): number[] {
  p.add(1, 1);
  for (let i = 1; i < uses; i++) p.access(1);
  p.add(2, 10);
  return drain(p);
}

describe('CostAwarePolicy', () => {
  it('evicts a cheap frequent block before an expensive rare one when frequency x cost says so', () => {
    // 4 x 1 < 1 x 10: the frequent cheap block goes first (LFU would keep it).
    expect(cheapFrequentVsExpensiveRare(new CostAwarePolicy({ alpha: 1 }), 4)).toEqual([1, 2]);
    expect(cheapFrequentVsExpensiveRare(new LfuPolicy(), 4)).toEqual([2, 1]);
    // 20 x 1 > 1 x 10: now frequency wins.
    expect(cheapFrequentVsExpensiveRare(new CostAwarePolicy({ alpha: 1 }), 20)).toEqual([2, 1]);
  });

  it('breaks benefit ties least recently used first', () => {
    const p = new CostAwarePolicy({ alpha: 1 });
    p.add(1, 2); // 1 x 2
    p.add(2, 1);
    p.access(2); // 2 x 1, more recent
    expect(drain(p)).toEqual([1, 2]);
  });

  it('keeps cost across a pin when the release gives none; a new cost replaces it', () => {
    const p = new CostAwarePolicy({ alpha: 1 });
    p.add(1, 5);
    p.remove(1, false);
    p.add(1); // still 1 x 5
    p.add(2, 2);
    p.access(2); // 2 x 2 = 4
    expect(drain(p)).toEqual([2, 1]);

    p.add(1, 5);
    p.remove(1, false);
    p.add(1, 0.5); // 1 x 0.5
    p.add(2); // default cost 1
    expect(drain(p)).toEqual([1, 2]);
  });

  it('keeps frequency across a pin and never evicts the pinned block', () => {
    const p = new CostAwarePolicy({ alpha: 1 });
    p.add(1, 1);
    p.access(1);
    p.access(1); // 3 x 1
    p.remove(1, false);
    p.add(2, 2); // 1 x 2
    expect(p.evict()).toBe(2);
    expect(p.evict()).toBeUndefined();
    p.add(1);
    p.add(3, 2.5); // 2.5 < 3
    expect(drain(p)).toEqual([3, 1]);
  });

  it('uses alpha: benefit = frequency x cost^alpha (vLLM RFC 23641 default alpha = 2)', () => {
    expect(new CostAwarePolicy().alpha).toBe(2);
    // alpha 2: 20 x 1^2 = 20 < 1 x 10^2 = 100 -> the frequent cheap block still goes first,
    // where alpha 1 (20 > 10) keeps it; at 150 uses frequency wins again (150 > 100).
    expect(cheapFrequentVsExpensiveRare(new CostAwarePolicy({ alpha: 2 }), 20)).toEqual([1, 2]);
    expect(cheapFrequentVsExpensiveRare(new CostAwarePolicy({ alpha: 1 }), 20)).toEqual([2, 1]);
    expect(cheapFrequentVsExpensiveRare(new CostAwarePolicy({ alpha: 2 }), 150)).toEqual([2, 1]);
    // alpha 0: cost is ignored, it is LFU.
    expect(cheapFrequentVsExpensiveRare(new CostAwarePolicy({ alpha: 0 }), 4)).toEqual([2, 1]);
    expect(() => new CostAwarePolicy({ alpha: Number.NaN })).toThrow(RangeError);
  });

  it('rejects negative or non-finite costs; evict on empty returns undefined', () => {
    const p = new CostAwarePolicy({ alpha: 1 });
    expect(() => p.add(1, -1)).toThrow(RangeError);
    expect(() => p.add(1, Number.NaN)).toThrow(RangeError);
    expect(() => p.add(1, Infinity)).toThrow(RangeError);
    expect(p.size).toBe(0);
    expect(p.evict()).toBeUndefined();
    expect(p.name).toBe('cost_aware');
  });
});
