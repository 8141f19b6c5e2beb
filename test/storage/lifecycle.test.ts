/** Remote-store lifecycle: expiration (expired objects miss), background cleanup by size, hybrid. */
import { describe, expect, it } from 'vitest';
import { Simulator } from '../../src/engine/simulator.js';
import { EVICTION_POLICIES } from '../../src/policies/eviction/registry.js';
import { InputError } from '../../src/scenario/input-error.js';
import { BlockStore } from '../../src/storage/kv-tiers/block-store.js';
import { Lifecycle } from '../../src/storage/lifecycle.js';

function storeWith(strategy: 'metadata_cleanup' | 'expiration' | 'hybrid', capacity: number, ttl?: number, interval = 10) {
  const sim = new Simulator();
  const lc = Lifecycle.create({ strategy, ttl, interval }, capacity, sim, 'x.yaml')!;
  const store = new BlockStore('remote', lc.cleansBySize ? Infinity : capacity, EVICTION_POLICIES.lru(capacity));
  lc.attach(store);
  const at = (t: number, f: () => void) => sim.at(t, f);
  return { sim, store, at };
}

const write = (s: BlockStore, ...hashes: number[]) => hashes.forEach((h) => s.write(h, 1, []));

describe('Lifecycle', () => {
  it('expiration: an object older than ttl misses at once and is deleted at the next scan', () => {
    const { sim, store, at } = storeWith('expiration', Infinity, 30, 10);
    const seen: Record<string, unknown> = {};
    at(0, () => write(store, 1, 2));
    at(25, () => write(store, 2)); // re-PUT: 2's age restarts
    at(31, () => {
      seen.live1 = store.has(1); // 31 s old > 30 s: miss
      seen.live2 = store.has(2); // 6 s old
      seen.held1 = store.holds(1); // scan at 30 s ran on this access: deleted
      seen.expired = store.counters.expiredBlocks;
    });
    at(56, () => (seen.live2Later = store.has(2))); // 31 s after its re-PUT
    sim.run();
    expect(seen).toEqual({ live1: false, live2: true, held1: false, expired: 1, live2Later: false });
  });

  it('metadata_cleanup: the store over-fills between runs, then is cleaned to size, LRU first', () => {
    const { sim, store, at } = storeWith('metadata_cleanup', 3, undefined, 10);
    const seen: Record<string, unknown> = {};
    at(1, () => write(store, 1, 2, 3, 4, 5));
    at(2, () => store.read(1)); // a GET makes 1 the most recently used
    at(5, () => (seen.before = store.usedBlocks));
    at(11, () => {
      seen.hit1 = store.has(1); // the cleanup at 10 s runs on this access: 5 -> 3 blocks
      seen.after = store.usedBlocks;
      seen.kept = [1, 2, 3, 4, 5].filter((h) => store.holds(h));
    });
    sim.run();
    expect(seen.before).toBe(5);
    expect(seen.after).toBe(3);
    expect(seen.kept).toEqual([1, 4, 5]); // LRU: 2 and 3 are the least recently used
    expect(store.counters.expiredBlocks).toBe(2);
  });

  it('hybrid: both a ttl and a size; none with a ttl, or expiration without one, is an input error', () => {
    const { sim, store, at } = storeWith('hybrid', 2, 100, 10);
    at(0, () => write(store, 1, 2, 3));
    at(10, () => store.has(9));
    at(120, () => store.has(9));
    const used: number[] = [];
    at(11, () => used.push(store.usedBlocks));
    at(121, () => used.push(store.usedBlocks));
    sim.run();
    expect(used).toEqual([2, 0]);
    const sim2 = new Simulator();
    expect(() => Lifecycle.create({ strategy: 'expiration', interval: 10 }, Infinity, sim2, 'x.yaml')).toThrow(/lifecycle\.ttl/);
    expect(() => Lifecycle.create({ strategy: 'none', ttl: 5, interval: 10 }, Infinity, sim2, 'x.yaml')).toThrow(InputError);
    expect(() => Lifecycle.create({ strategy: 'metadata_cleanup', interval: 10 }, Infinity, sim2, 'x.yaml')).toThrow(/cache\.remote\.size/);
    expect(Lifecycle.create({ strategy: 'none', interval: 10 }, Infinity, sim2, 'x.yaml')).toBeUndefined();
  });
});
