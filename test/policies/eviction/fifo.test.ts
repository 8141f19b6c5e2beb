import { describe, expect, it } from 'vitest';
import { FifoPolicy } from '../../../src/policies/eviction/fifo.js';
import { addAll, drain } from './helpers.js';

describe('FifoPolicy', () => {
  it('evicts in insertion order and ignores accesses', () => {
    const p = new FifoPolicy();
    addAll(p, [1, 2, 3]);
    for (let i = 0; i < 5; i++) p.access(1);
    p.access(2);
    p.add(1); // already a candidate: no change
    expect(drain(p)).toEqual([1, 2, 3]);
  });

  it('a key re-added after a pin keeps its original place in line', () => {
    const p = new FifoPolicy();
    addAll(p, [1, 2, 3]);
    p.remove(1, false); // pinned
    p.add(4);
    expect(p.size).toBe(3);
    expect(p.evict()).toBe(2); // 1 is pinned
    p.add(1); // released: back at the head
    expect(drain(p)).toEqual([1, 3, 4]);
  });

  it('forgotten and evicted keys rejoin at the tail', () => {
    const p = new FifoPolicy();
    addAll(p, [1, 2, 3]);
    p.remove(1, true);
    p.add(1);
    expect(p.evict()).toBe(2);
    p.add(2);
    expect(drain(p)).toEqual([3, 1, 2]);
  });

  it('takes its place in line when first seen, by access while its writer pins it', () => {
    const p = new FifoPolicy();
    p.access(9); // written and hit by another request, still pinned
    p.add(1);
    p.add(9); // released
    expect(drain(p)).toEqual([9, 1]);
  });

  it('evict on empty or all-pinned returns undefined', () => {
    const p = new FifoPolicy();
    expect(p.evict()).toBeUndefined();
    addAll(p, [1, 2]);
    p.remove(1, false);
    p.remove(2, false);
    expect(p.size).toBe(0);
    expect(p.evict()).toBeUndefined();
    expect(p.name).toBe('fifo');
  });
});
