/**
 * Each eviction policy differs from the others where it should, on workloads built to separate
 * them: a cache of `capacity` keys replays a trace (hit: `access`; miss: evict if full, then
 * `add(key, cost)`), and we count hits and the recompute cost they saved.
 */
import { describe, expect, it } from 'vitest';
import { EVICTION_POLICIES } from '../../../src/policies/eviction/registry.js';

interface Ref {
  key: number;
  cost: number;
}

function replay(name: string, capacity: number, trace: readonly Ref[], options = {}): { hits: number; saved: number } {
  const p = EVICTION_POLICIES[name](capacity, options);
  const held = new Set<number>();
  let hits = 0;
  let saved = 0;
  for (const { key, cost } of trace) {
    if (held.has(key)) {
      hits++;
      saved += cost;
      p.access(key);
      continue;
    }
    if (held.size >= capacity) held.delete(p.evict()!);
    held.add(key);
    p.add(key, cost);
  }
  return { hits, saved };
}

const ref = (key: number, cost = 1): Ref => ({ key, cost });

describe('eviction policies separate on workloads built for it', () => {
  it('scan resistance: a hot set survives one-time scans under LFU and S3-FIFO, not under LRU or FIFO', () => {
    // Capacity 8; each round uses 4 hot keys twice each, then scans 10 new keys. LRU/FIFO flush
    // the hot set every round: only the immediate repeats hit (4 per round, 200 in all). LFU and
    // S3-FIFO keep the twice-used keys over the once-used scan: up to 8 per round after the first.
    const trace: Ref[] = [];
    let next = 1000;
    for (let round = 0; round < 50; round++) {
      for (let h = 1; h <= 4; h++) trace.push(ref(h), ref(h));
      for (let s = 0; s < 10; s++) trace.push(ref(next++));
    }
    const hits = (name: string) => replay(name, 8, trace).hits;
    expect(hits('lru')).toBe(200);
    expect(hits('fifo')).toBe(200);
    expect(hits('lfu')).toBeGreaterThan(350);
    expect(hits('s3fifo')).toBeGreaterThan(350);
  });

  it('recency: LRU keeps a key used every other request, FIFO evicts it when its turn comes', () => {
    // Capacity 4: A, x1, A, x2, A, x3, ... with fresh x's.
    const trace: Ref[] = [];
    for (let i = 0; i < 200; i++) trace.push(ref(1), ref(100 + i));
    const lru = replay('lru', 4, trace).hits;
    const fifo = replay('fifo', 4, trace).hits;
    expect(lru).toBe(199); // every A after the first
    expect(fifo).toBeLessThan(lru);
  });

  it('cost: cost_aware keeps the expensive prefixes where LFU (equal frequencies) thrashes', () => {
    // Capacity 5; 4 expensive (cost 10) and 4 cheap (cost 1) keys cycled round-robin: cost_aware
    // keeps the four expensive ones and rotates the cheap ones through the fifth slot; LFU sees
    // equal frequencies, so it evicts least recently used and an 8-key cycle never hits.
    const trace: Ref[] = [];
    for (let round = 0; round < 50; round++) for (let i = 0; i < 4; i++) trace.push(ref(10 + i, 10), ref(20 + i, 1));
    const ca = replay('cost_aware', 5, trace, { alpha: 2 });
    const lfu = replay('lfu', 5, trace);
    expect(ca.saved).toBeGreaterThan(2 * lfu.saved);
    expect(ca.saved).toBeGreaterThanOrEqual(49 * 4 * 10); // every expensive access after the first round
  });

  it('aging: LFU-DA lets a new working set in after a phase change; plain LFU keeps the old one', () => {
    // Capacity 4; phase 1: keys 1-4, 20 uses each; phase 2: keys 11-14 cycled 30 times.
    const phase1: Ref[] = [];
    for (let i = 0; i < 20; i++) for (let k = 1; k <= 4; k++) phase1.push(ref(k));
    const phase2: Ref[] = [];
    for (let i = 0; i < 30; i++) for (let k = 11; k <= 14; k++) phase2.push(ref(k));
    const phase2Hits = (aging: boolean) => replay('lfu', 4, [...phase1, ...phase2], { aging }).hits - replay('lfu', 4, phase1, { aging }).hits;
    expect(phase2Hits(false)).toBe(0);
    expect(phase2Hits(true)).toBeGreaterThan(60);
  });
});
