import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EVICTION_POLICY_NAMES } from '../../src/policies/eviction/registry.js';
import { store } from './helpers.js';

describe('BlockStore', () => {
  it('LRU: keeps at most capacity blocks and returns victims in LRU order', () => {
    const s = store('cpu', 3);
    const out: number[] = [];
    for (const h of [1, 2, 3]) s.write(h, 1, out);
    expect(out).toEqual([]);
    expect(s.usedBlocks).toBe(3);
    // LRU order (oldest first): 1 2 3. Writing 4 evicts 1.
    s.write(4, 1, out);
    expect(out).toEqual([1]);
    expect(s.has(1)).toBe(false);
    expect(s.usedBlocks).toBe(3);
    // order 2 3 4; reading 2 makes it most recent: 3 4 2; 5 evicts 3, 6 evicts 4.
    s.read(2);
    s.write(5, 1, out);
    s.write(6, 1, out);
    expect(out).toEqual([1, 3, 4]);
    expect([2, 5, 6].every((h) => s.has(h))).toBe(true);
    expect(s.usedBlocks).toBe(3);
  });

  it('writing a present block is an access, not a write', () => {
    const s = store('cpu', 3);
    const out: number[] = [];
    for (const h of [1, 2, 3]) s.write(h, 1, out);
    // 1 becomes the most recent: order 2 3 1, no new write counted, nothing evicted.
    s.write(1, 1, out);
    expect(s.counters.writtenBlocks).toBe(3);
    expect(s.usedBlocks).toBe(3);
    expect(out).toEqual([]);
    s.write(4, 1, out);
    expect(out).toEqual([2]);
    expect(s.has(1)).toBe(true);
  });

  it('FIFO: a re-write or a read does not move a block in line', () => {
    const s = store('disk', 3, 'fifo');
    const out: number[] = [];
    for (const h of [1, 2, 3]) s.write(h, 1, out);
    s.write(1, 1, out);
    s.read(1);
    s.write(4, 1, out); // first in, first out: 1
    s.write(5, 1, out); // then 2
    expect(out).toEqual([1, 2]);
  });

  it('LFU: evicts the least-read block, ties least recently used', () => {
    const s = store('disk', 3, 'lfu');
    const out: number[] = [];
    for (const h of [1, 2, 3]) s.write(h, 1, out);
    // freq: 1 -> 1 + 2 reads = 3, 2 -> 1 + 1 = 2, 3 -> 1
    s.read(1);
    s.read(1);
    s.read(2);
    s.write(4, 1, out); // evicts 3 (freq 1)
    // freq: 1:3, 2:2, 4:1 -> evicts 4
    s.write(5, 1, out);
    expect(out).toEqual([3, 4]);
  });

  it('counters: read, written, evicted and peak blocks', () => {
    const s = store('cpu', 2);
    const out: number[] = [];
    s.write(10, 1, out); // written 1
    expect(s.counters.peakBlocks).toBe(1);
    s.write(11, 1, out); // written 2, peak 2
    s.write(10, 1, out); // access only
    s.read(10);
    s.read(11);
    s.read(11);
    s.write(12, 1, out); // written 3, evicts the LRU one: order after reads is 10 11 -> evicts 10
    expect(out).toEqual([10]);
    expect(s.counters).toEqual({ readBlocks: 3, writtenBlocks: 3, evictedBlocks: 1, peakBlocks: 2, expiredBlocks: 0 });
  });

  it('an unlimited store never evicts; a zero-capacity store holds nothing', () => {
    const big = store('remote', Infinity);
    const out: number[] = [];
    for (let h = 0; h < 1000; h++) big.write(h, 1, out);
    expect(out).toEqual([]);
    expect(big.usedBlocks).toBe(1000);
    expect(big.counters.peakBlocks).toBe(1000);
    const none = store('cpu', 0);
    none.write(1, 1, out);
    expect(none.has(1)).toBe(false);
    expect(none.counters.writtenBlocks).toBe(0);
  });

  it('any policy, any op sequence: size <= capacity, written = used + evicted, victims were present and are gone', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...EVICTION_POLICY_NAMES),
        fc.integer({ min: 1, max: 12 }),
        fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 30 })), { maxLength: 200 }),
        (policy, capacity, ops) => {
          const s = store('x', capacity, policy);
          const present = new Set<number>();
          for (const [isRead, h] of ops) {
            if (isRead) {
              if (s.has(h)) s.read(h);
              continue;
            }
            const out: number[] = [];
            s.write(h, 1, out);
            for (const v of out) {
              expect(present.has(v)).toBe(true);
              expect(v).not.toBe(h);
              present.delete(v);
              expect(s.has(v)).toBe(false);
            }
            present.add(h);
            expect(s.has(h)).toBe(true);
            expect(s.usedBlocks).toBe(present.size);
            expect(s.usedBlocks).toBeLessThanOrEqual(capacity);
          }
          expect(s.counters.writtenBlocks).toBe(s.usedBlocks + s.counters.evictedBlocks);
          expect(s.counters.peakBlocks).toBeLessThanOrEqual(capacity);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('ignoreCosts: the same victims and counters as a store that keeps costs, every cost reads 1', () => {
    // Policies that do not read costs (all but cost_aware) decide alike whether costs are kept.
    const blind = EVICTION_POLICY_NAMES.filter((p) => p !== 'cost_aware');
    fc.assert(
      fc.property(
        fc.constantFrom(...blind),
        fc.integer({ min: 1, max: 12 }),
        fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 30 }), fc.integer({ min: 1, max: 9 })), { maxLength: 200 }),
        (policy, capacity, ops) => {
          const kept = store('x', capacity, policy);
          const ignored = store('x', capacity, policy);
          expect(kept.readsCosts).toBe(false);
          ignored.ignoreCosts();
          const costOf = new Map<number, number>();
          for (const [isRead, h, cost] of ops) {
            if (isRead) {
              expect(ignored.has(h)).toBe(kept.has(h));
              if (kept.has(h)) {
                expect(kept.costOf(h)).toBe(costOf.get(h));
                expect(ignored.costOf(h)).toBe(1);
                kept.read(h);
                ignored.read(h);
              }
              continue;
            }
            const n = kept.put(h, cost);
            expect(ignored.put(h, cost)).toBe(n);
            for (let i = 0; i < n; i++) {
              expect(ignored.victims[i]).toBe(kept.victims[i]);
              expect(kept.victimCosts[i]).toBe(costOf.get(kept.victims[i]));
              expect(ignored.victimCosts[i]).toBe(1);
              costOf.delete(kept.victims[i]);
            }
            if (!costOf.has(h)) costOf.set(h, cost); // a present block keeps the cost it was written with
          }
          expect(ignored.counters).toEqual(kept.counters);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a cost-aware store says it reads costs', () => {
    expect(store('x', 4, 'cost_aware').readsCosts).toBe(true);
  });
});
