import { describe, expect, it } from 'vitest';
import { LruPolicy } from '../../../src/policies/eviction/lru.js';
import { S3FifoPolicy } from '../../../src/policies/eviction/s3fifo.js';
import { addAll, drain, TinyCache } from './helpers.js';

describe('S3FifoPolicy', () => {
  it('sizes S at 10% of capacity (at least 1) and G at the rest', () => {
    expect(new S3FifoPolicy(100)).toMatchObject({ smallCapacity: 10, ghostCapacity: 90 });
    expect(new S3FifoPolicy(10)).toMatchObject({ smallCapacity: 1, ghostCapacity: 9 });
    expect(new S3FifoPolicy(5)).toMatchObject({ smallCapacity: 1, ghostCapacity: 4 });
    expect(new S3FifoPolicy(Infinity)).toMatchObject({ smallCapacity: Infinity, ghostCapacity: Infinity });
    expect(() => new S3FifoPolicy(-1)).toThrow(RangeError);
    expect(() => new S3FifoPolicy(Number.NaN)).toThrow(RangeError);
  });

  it('evicts one-hit keys from S, moves accessed ones to M, and sends ghost hits straight to M', () => {
    const p = new S3FifoPolicy(10); // S budget 1
    addAll(p, [1, 2, 3]); // S = [1, 2, 3]
    p.access(2);
    expect(p.evict()).toBe(1); // never accessed -> evicted, remembered in G
    expect(p.evict()).toBe(3); // 2 accessed -> moved to M (freq 0); 3 evicted -> G
    expect(p.evict()).toBe(2); // S empty; M's oldest has freq 0
    expect(p.evict()).toBeUndefined();
    p.add(1); // ghost hit -> M
    p.add(4); // new -> S
    expect(drain(p)).toEqual([4, 1]); // S at budget goes first, though 1 is older
  });

  it('gives M keys a second chance per access (reinsertion with freq - 1)', () => {
    const p = new S3FifoPolicy(10);
    addAll(p, [1, 2, 3]);
    p.access(1);
    p.access(1); // freq 2
    p.access(2); // freq 1
    p.add(4); // S = [1, 2, 3, 4]
    expect(p.evict()).toBe(3); // 1 and 2 move to M with freq 0, 3 goes
    p.access(1); // M: 1 freq 1, 2 freq 0
    expect(p.evict()).toBe(4); // S still at budget
    expect(p.evict()).toBe(2); // 1 reinserted behind 2 (freq 0), 2 goes
    expect(p.evict()).toBe(1);
  });

  it('caps frequency at 3', () => {
    const p = new S3FifoPolicy(10);
    addAll(p, [1, 2]);
    expect(drain(p)).toEqual([1, 2]); // both to G
    addAll(p, [1, 2]); // ghost hits -> M = [1, 2]
    for (let i = 0; i < 10; i++) p.access(1); // capped at 3
    for (let i = 0; i < 3; i++) p.access(2); // 3
    // Uncapped, 2 would go first; capped, both need three reinsertions and 1 is older.
    expect(drain(p)).toEqual([1, 2]);
  });

  it('skips pinned keys but remembers their frequency and queue', () => {
    const p = new S3FifoPolicy(10);
    addAll(p, [1, 2]);
    p.access(1); // freq 1
    p.remove(1, false); // pinned: leaves S
    p.add(3);
    expect(p.size).toBe(2);
    p.add(1); // released: S tail, freq still 1 -> S = [2, 3, 1]
    p.add(4); // S = [2, 3, 1, 4]
    expect(p.evict()).toBe(2);
    expect(p.evict()).toBe(3);
    expect(p.evict()).toBe(4); // 1 had freq 1 -> moved to M; 4 evicted
    // 1 is in M: pin and release it, it comes back to M, not S.
    p.remove(1, false);
    p.add(5); // S = [5]
    p.add(1); // M = [1]
    expect(p.evict()).toBe(5);
    expect(p.evict()).toBe(1);
    expect(p.evict()).toBeUndefined();
  });

  it('does not put forgotten keys in the ghost queue', () => {
    const p = new S3FifoPolicy(10);
    addAll(p, [2, 1]);
    p.remove(1, true); // left the tier without being evicted
    p.add(1); // new again -> S (a ghost hit would put it in M and evict it last)
    p.add(3);
    expect(drain(p)).toEqual([2, 1, 3]);
  });

  it('survives a one-time scan that flushes LRU', () => {
    const capacity = 20;
    const hot = [0, 1, 2, 3, 4, 5, 6, 7];
    const warm: number[] = [];
    for (let round = 0; round < 4; round++) warm.push(...hot);
    const scan = Array.from({ length: 200 }, (_, i) => 1000 + i);

    const s3 = new TinyCache(new S3FifoPolicy(capacity), capacity).run(warm).run(scan);
    const lru = new TinyCache(new LruPolicy(), capacity).run(warm).run(scan);
    const inS3 = hot.filter((k) => s3.cached.has(k)).length;
    const inLru = hot.filter((k) => lru.cached.has(k)).length;
    expect(inS3).toBeGreaterThanOrEqual(hot.length - 1);
    expect(inLru).toBe(0);

    // The next round over the hot set: hits under S3-FIFO, all misses under LRU.
    const s3Hits = s3.hits;
    const lruHits = lru.hits;
    s3.run(hot);
    lru.run(hot);
    expect(s3.hits - s3Hits).toBe(inS3);
    expect(lru.hits - lruHits).toBe(0);
  });

  it('works with an unlimited tier (S never over budget: M goes first, S when M is empty)', () => {
    const p = new S3FifoPolicy(Infinity);
    addAll(p, [1, 2]);
    expect(p.evict()).toBe(1); // M empty -> S
    p.add(1); // ghost hit -> M
    p.add(3);
    expect(drain(p)).toEqual([1, 2, 3]);
  });

  it('evict on empty returns undefined', () => {
    const p = new S3FifoPolicy(0);
    expect(p.evict()).toBeUndefined();
    p.add(1);
    expect(p.evict()).toBe(1);
    expect(p.evict()).toBeUndefined();
    expect(p.name).toBe('s3fifo');
  });

  it('remembers at most ghostCapacity evicted keys: the oldest ghost is forgotten', () => {
    // capacity 10: S budget 1, ghost 9. Keys 1..10 enter S unaccessed; each evict() takes S's oldest
    // into G: after 10 evictions G = [2..10] (1 dropped: 10 > 9).
    const p = new S3FifoPolicy(10);
    addAll(p, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(drain(p)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // 1 is new again -> S; 10 is a ghost hit -> M; 11 new -> S. S over budget: its oldest (1)
    // goes first, then 11; M's 10 last. Were 1 still a ghost it would be in M and evicted after 11.
    addAll(p, [1, 10, 11]);
    expect(drain(p)).toEqual([1, 11, 10]);
  });

  it('re-adding a candidate, or removing an unknown key, changes nothing', () => {
    const p = new S3FifoPolicy(10);
    addAll(p, [1, 2]);
    p.add(1); // already a candidate: not queued twice
    p.remove(99, true);
    expect(p.size).toBe(2);
    expect(drain(p)).toEqual([1, 2]);
  });
});
