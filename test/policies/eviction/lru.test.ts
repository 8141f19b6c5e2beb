import { describe, expect, it } from 'vitest';
import { LruPolicy } from '../../../src/policies/eviction/lru.js';
import { addAll, drain } from './helpers.js';

describe('LruPolicy', () => {
  it('evicts the least recently used candidate first', () => {
    const p = new LruPolicy();
    addAll(p, [1, 2, 3, 4]);
    p.access(1);
    p.access(3);
    expect(p.size).toBe(4);
    expect(drain(p)).toEqual([2, 4, 1, 3]);
    expect(p.size).toBe(0);
  });

  it('keeps add order among keys added together (a prefix released tail first loses its end first)', () => {
    const p = new LruPolicy();
    addAll(p, [13, 12, 11, 10]); // blocks 10..13 of one prefix, released tail first
    expect(drain(p)).toEqual([13, 12, 11, 10]);
  });

  it('add of a current candidate makes it most recent', () => {
    const p = new LruPolicy();
    addAll(p, [1, 2, 3, 1]);
    expect(p.size).toBe(3);
    expect(drain(p)).toEqual([2, 3, 1]);
  });

  it('never evicts a pinned key; the release makes it most recent', () => {
    const p = new LruPolicy();
    addAll(p, [1, 2, 3]);
    p.remove(1, false); // pinned by a request
    p.access(1); // hit while pinned: nothing to reorder
    expect(p.size).toBe(2);
    expect(p.evict()).toBe(2);
    p.add(4);
    p.add(1); // released
    expect(drain(p)).toEqual([3, 4, 1]);
  });

  it('evict on empty returns undefined; remove of unknown keys is a no-op', () => {
    const p = new LruPolicy();
    expect(p.evict()).toBeUndefined();
    p.remove(42, true);
    p.remove(42, false);
    p.access(42);
    expect(p.size).toBe(0);
    expect(p.evict()).toBeUndefined();
    expect(p.name).toBe('lru');
  });

  it('stays O(1) on a large queue that is drained and refilled (no Map-iterator hole scans)', () => {
    const p = new LruPolicy();
    const n = 150_000;
    for (let k = 0; k < n; k++) p.add(k);
    let next = n;
    let wrong = 0;
    for (let i = 0; i < 2 * n; i++) {
      if (p.evict() !== i) wrong++;
      p.add(next++);
    }
    expect(wrong).toBe(0);
    expect(p.size).toBe(n);
  }, 15_000); // ~1 s; popping with a fresh `keys().next()` each time is orders of magnitude slower
});
