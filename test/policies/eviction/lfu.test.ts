import { describe, expect, it } from 'vitest';
import { CostAwarePolicy } from '../../../src/policies/eviction/cost-aware.js';
import { FifoPolicy } from '../../../src/policies/eviction/fifo.js';
import type { LazyHeap } from '../../../src/policies/eviction/lazy-heap.js';
import { LfuPolicy } from '../../../src/policies/eviction/lfu.js';
import { LruPolicy } from '../../../src/policies/eviction/lru.js';
import type { EvictionPolicy } from '../../../src/policies/eviction/policy.js';
import { drain } from './helpers.js';

/** key 1 used 4 times long ago, then 2 (used twice) and 3 (used once) more recently. */
function script(p: EvictionPolicy): number[] {
  p.add(1);
  p.access(1);
  p.access(1);
  p.access(1); // freq 4
  p.add(2);
  p.add(3);
  p.access(2); // 2: freq 2, most recent
  return drain(p);
}

describe('LfuPolicy', () => {
  it('keeps a frequently used key that LRU evicts first', () => {
    expect(script(new LruPolicy())).toEqual([1, 3, 2]);
    expect(script(new LfuPolicy())).toEqual([3, 2, 1]);
  });

  it('breaks frequency ties least recently used first', () => {
    const p = new LfuPolicy();
    p.add(1);
    p.add(2);
    p.add(3);
    p.access(3);
    p.access(2);
    p.access(1); // all freq 2; recency 3 < 2 < 1
    expect(drain(p)).toEqual([3, 2, 1]);
  });

  it('keeps frequency across a pin (including hits while pinned), never evicting the pinned key', () => {
    const p = new LfuPolicy();
    p.add(1);
    p.access(1); // freq 2
    p.remove(1, false); // pinned
    p.access(1); // freq 3 (hit while pinned)
    p.add(2);
    p.access(2);
    p.access(2); // freq 3, more recent than 1's last touch
    p.add(3); // freq 1
    expect(p.size).toBe(2);
    expect(p.evict()).toBe(3);
    p.add(1); // released: freq stays 3, now most recent
    p.add(4);
    expect(drain(p)).toEqual([4, 2, 1]);
  });

  it('forgets history on remove(key, true) and on eviction', () => {
    const p = new LfuPolicy();
    p.add(1);
    p.access(1);
    p.access(1); // freq 3
    p.add(2);
    p.access(2); // freq 2
    p.remove(1, true);
    p.add(1); // freq 1 again
    expect(p.evict()).toBe(1);
    p.add(1); // freq 1 again after eviction
    expect(drain(p)).toEqual([1, 2]);
  });

  it('counts the first add as a use even when accesses came first (block hit while its writer pins it)', () => {
    const p = new LfuPolicy();
    p.access(7);
    p.access(7);
    p.add(7); // freq 3
    p.add(8);
    p.access(8); // freq 2
    expect(drain(p)).toEqual([8, 7]);
  });

  it('evict on empty returns undefined', () => {
    const p = new LfuPolicy();
    expect(p.evict()).toBeUndefined();
    p.add(1);
    p.remove(1, false);
    expect(p.evict()).toBeUndefined();
    expect(p.name).toBe('lfu');
  });

  it('keeps its lazy heap proportional to the candidates (stale entries are compacted)', () => {
    for (const p of [new LfuPolicy(), new CostAwarePolicy(), new FifoPolicy()]) {
      const heap = (p as unknown as { heap: LazyHeap }).heap;
      for (let k = 0; k < 100; k++) p.add(k);
      for (let i = 0; i < 100_000; i++) {
        const k = i % 100;
        p.access(k); // a hit (new heap entry for LFU / cost-aware)
        p.remove(k, false); // pin ...
        p.add(k); // ... and release (new heap entry)
      }
      expect(p.size).toBe(100);
      expect(heap.length).toBeLessThanOrEqual(2 * 100 + 64 + 1);
    }
  });

  it('aging (LFU-DA): a block hot long ago leaves once enough newcomers were evicted; plain LFU keeps it forever', () => {
    // A is used 5 times, then one-time blocks stream through a one-slot-per-newcomer cache.
    // With aging each newcomer is queued at L + 1, L = the last victim's priority: victims 1, 2,
    // 3, 4 raise L to 4, so the 5th newcomer (4 + 1 = 5) ties A (5) and A, less recent, goes.
    const stream = (p: LfuPolicy) => {
      p.add(1);
      for (let i = 0; i < 4; i++) p.access(1);
      const victims: number[] = [];
      for (let i = 0; i < 8; i++) {
        p.add(100 + i);
        victims.push(p.evict()!);
      }
      return victims;
    };
    expect(stream(new LfuPolicy({ aging: true }))).toEqual([100, 101, 102, 103, 1, 104, 105, 106]);
    expect(stream(new LfuPolicy())).not.toContain(1);
  });

  it('after compactions, evicts exactly the right candidates in the right order (forgotten and pinned keys dropped)', () => {
    // 100 keys; key k is hit k % 7 times per round over 4 rounds (lots of stale heap entries:
    // compaction runs several times). Then keys 0..9 are forgotten and 10..19 pinned.
    // Expected order: frequency 1 + 4·(k % 7) ascending, ties by last touch (the last round
    // touches keys in increasing order, so smaller k first among equals).
    const p = new LfuPolicy();
    const heap = (p as unknown as { heap: LazyHeap }).heap;
    let compactedAt = -1;
    for (let k = 0; k < 100; k++) p.add(k);
    for (let round = 0; round < 4; round++) {
      for (let k = 0; k < 100; k++) {
        for (let j = 0; j < k % 7; j++) {
          const before = heap.length;
          p.access(k);
          if (heap.length < before) compactedAt = round;
        }
      }
    }
    expect(compactedAt).toBeGreaterThanOrEqual(0);
    for (let k = 0; k < 10; k++) p.remove(k, true);
    for (let k = 10; k < 20; k++) p.remove(k, false);
    const expected = Array.from({ length: 80 }, (_, i) => i + 20).sort((a, b) => (a % 7) - (b % 7) || a - b);
    expect(drain(p)).toEqual(expected);
  });
});
