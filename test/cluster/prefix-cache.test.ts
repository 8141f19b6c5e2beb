import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { PrefixCache } from '../../src/cluster/prefix-cache.js';
import { LruPolicy } from '../../src/policies/eviction/lru.js';
import type { EvictionPolicy } from '../../src/policies/eviction/policy.js';

/** allocate + markComputed: the request's prompt KV has been computed (as at the end of its prefill). */
function put(c: PrefixCache, hashes: number[], full: number, total: number): number {
  const hits = c.allocate(hashes, full, total);
  if (hits >= 0) c.markComputed(hashes, full);
  return hits;
}

/** White-box view of the refcounts, for consistency checks only. */
function refs(c: PrefixCache): Map<number, number> {
  return c.refCounts();
}

describe('PrefixCache: hits and partial blocks', () => {
  it('an empty cache has no hits; a fresh allocation uses full + partial blocks', () => {
    const c = new PrefixCache(10);
    expect(c.matchPrefix([1, 2, 3], 2)).toBe(0);
    // 2 full blocks (hashes 1, 2) + 1 partial block (hash 3, never cached)
    expect(put(c, [1, 2, 3], 2, 3)).toBe(0);
    expect(c.usedBlocks).toBe(3);
    expect(c.cachedBlocks).toBe(2);
  });

  it('counts only leading cached full blocks', () => {
    const c = new PrefixCache(20);
    put(c, [1, 2, 3, 4], 4, 4);
    c.release([1, 2, 3, 4], 4, 4);
    expect(c.matchPrefix([1, 2, 3, 4], 4)).toBe(4);
    expect(c.matchPrefix([1, 2, 9, 4], 4)).toBe(2); // 4 is cached but comes after a miss
    expect(c.matchPrefix([9, 2, 3, 4], 4)).toBe(0);
    expect(c.matchPrefix([1, 2, 3, 4], 3)).toBe(3); // only the first fullBlocks are looked at
    // allocate returns the same leading-hit count
    expect(put(c, [1, 2, 9, 4], 4, 4)).toBe(2);
  });

  it('never caches the partial last block', () => {
    const c = new PrefixCache(10);
    // hashes [1, 2]: block 1 full, block 2 partial
    put(c, [1, 2], 1, 2);
    c.release([1, 2], 1, 2);
    expect(c.usedBlocks).toBe(1); // the partial block was freed
    expect(c.cachedBlocks).toBe(1);
    // A later request whose *full* block 2 has the same id does not hit it.
    expect(c.matchPrefix([1, 2, 3], 2)).toBe(1);
    expect(put(c, [1, 2, 3], 2, 3)).toBe(1);
  });

  it('release keeps full blocks cached at refcount 0 and frees the partial block', () => {
    const c = new PrefixCache(10);
    put(c, [1, 2, 3], 2, 3);
    expect(refs(c).get(1)).toBe(1);
    c.release([1, 2, 3], 2, 3);
    // used = 2 cached full blocks + 0 private
    expect(c.usedBlocks).toBe(2);
    expect(c.cachedBlocks).toBe(2);
    expect(refs(c).get(1)).toBe(0);
    expect(refs(c).get(2)).toBe(0);
    expect(c.matchPrefix([1, 2], 2)).toBe(2);
    expect(c.evictedBlocks).toBe(0);
  });

  it('shared blocks are refcounted across requests', () => {
    const c = new PrefixCache(10);
    put(c, [1, 2, 3], 3, 3);
    expect(put(c, [1, 2, 5], 3, 3)).toBe(2);
    // distinct full blocks: 1, 2, 3, 5 -> 4 used
    expect(c.usedBlocks).toBe(4);
    expect(refs(c).get(1)).toBe(2);
    expect(refs(c).get(3)).toBe(1);
    c.release([1, 2, 3], 3, 3);
    expect(refs(c).get(1)).toBe(1);
    expect(refs(c).get(3)).toBe(0);
  });
});

describe('PrefixCache: blocks not yet computed', () => {
  it('a block allocated but not computed is shared (no second copy) but is not a hit until markComputed', () => {
    const c = new PrefixCache(10);
    expect(c.allocate([1, 2, 3], 3, 3)).toBe(0); // A: prefill running, blocks pending
    expect(c.matchPrefix([1, 2, 3], 3)).toBe(0);
    // B with the same prefix: no hits (it must compute the tokens itself), but the blocks are shared
    expect(c.allocate([1, 2, 3], 3, 3)).toBe(0);
    expect(c.usedBlocks).toBe(3);
    expect(refs(c).get(1)).toBe(2);
    c.markComputed([1, 2, 3], 3); // A's prefill ends
    expect(c.matchPrefix([1, 2, 3], 3)).toBe(3);
    expect(c.allocate([1, 2, 3], 3, 3)).toBe(3); // C hits everything
  });

  it('hits stop at the first computed-but-pending block of a longer prompt', () => {
    const c = new PrefixCache(10);
    put(c, [1, 2], 2, 2); // computed
    c.allocate([1, 2, 3, 4], 4, 4); // 3, 4 pending
    expect(c.matchPrefix([1, 2, 3, 4], 4)).toBe(2);
    expect(c.allocate([1, 2, 3, 4, 5], 5, 5)).toBe(2);
    c.markComputed([1, 2, 3, 4], 4);
    expect(c.matchPrefix([1, 2, 3, 4, 5], 5)).toBe(4); // 5 is still pending (its request has not computed it)
  });
});

describe('PrefixCache: LRU eviction', () => {
  it('evicts least recently released first; within one request tail blocks before head blocks', () => {
    const c = new PrefixCache(6);
    put(c, [1, 2, 3], 3, 3); // A
    put(c, [4, 5], 2, 2); // B
    c.release([1, 2, 3], 3, 3); // A released first: evictable order 3, 2, 1 (tail first)
    c.release([4, 5], 2, 2); // then B: evictable order 3, 2, 1, 5, 4
    expect(c.usedBlocks).toBe(5);

    // C needs 3 fresh blocks; free = 6 − 5 = 1 -> evict 2 blocks: 3 then 2
    expect(put(c, [7, 8, 9], 3, 3)).toBe(0);
    expect(c.evictedBlocks).toBe(2);
    expect(c.matchPrefix([1, 2, 3], 3)).toBe(1); // only the head 1 survives
    expect(c.matchPrefix([4, 5], 2)).toBe(2); // B untouched
    expect(c.usedBlocks).toBe(6);

    // D needs 2 fresh blocks; used = 6 (1, 5, 4 evictable + 7, 8, 9 pinned) -> evict 1, then 5
    expect(put(c, [10, 11], 2, 2)).toBe(0);
    expect(c.evictedBlocks).toBe(4);
    expect(c.matchPrefix([1], 1)).toBe(0);
    expect(c.matchPrefix([4, 5], 2)).toBe(1); // B's tail went before its head
    expect(c.usedBlocks).toBe(6);
  });

  it('a hit refreshes recency: re-used blocks move to the most recent end', () => {
    const c = new PrefixCache(4);
    put(c, [1, 2], 2, 2);
    c.release([1, 2], 2, 2); // LRU: 2, 1
    put(c, [3, 4], 2, 2);
    c.release([3, 4], 2, 2); // LRU: 2, 1, 4, 3
    expect(put(c, [1, 2], 2, 2)).toBe(2); // pins 1, 2 (no eviction)
    c.release([1, 2], 2, 2); // LRU: 4, 3, 2, 1
    expect(c.evictedBlocks).toBe(0);
    // Need 2 fresh: evict 4, 3 (not 1, 2)
    expect(put(c, [5, 6], 2, 2)).toBe(0);
    expect(c.matchPrefix([3, 4], 2)).toBe(0);
    expect(c.matchPrefix([4], 1)).toBe(0);
    expect(c.matchPrefix([1, 2], 2)).toBe(2);
  });

  it('never evicts pinned (in-use) blocks', () => {
    const c = new PrefixCache(4);
    put(c, [1, 2], 2, 2); // pinned
    put(c, [3, 4], 2, 2);
    c.release([3, 4], 2, 2); // 3, 4 evictable
    // needs 3 fresh; free = 4 − 4 + 2 evictable = 2 < 3 -> cannot fit, even though 1, 2 are "cached"
    expect(put(c, [5, 6, 7], 3, 3)).toBe(-1);
    // needs 2 fresh: evicts only 4, 3
    expect(put(c, [5, 6], 2, 2)).toBe(0);
    expect(c.evictedBlocks).toBe(2);
    expect(c.matchPrefix([1, 2], 2)).toBe(2);
    expect(refs(c).get(1)).toBe(1);
  });

  it('a request pinning its own evictable blocks does not count them as free room', () => {
    const c = new PrefixCache(3);
    put(c, [1, 2], 2, 2);
    c.release([1, 2], 2, 2); // 1, 2 cached, evictable
    // [1, 2, 3, 4]: hits 1, 2 (pinned, so not evictable) + 2 fresh; free = 3 − 2 + (2 − 2) = 1 < 2
    expect(put(c, [1, 2, 3, 4], 4, 4)).toBe(-1);
    // [1, 2, 3]: 1 fresh <= 1 free -> fits without evicting its own prefix
    expect(put(c, [1, 2, 3], 3, 3)).toBe(2);
    expect(c.evictedBlocks).toBe(0);
    expect(c.usedBlocks).toBe(3);
  });
});

describe('PrefixCache: allocation failure', () => {
  it('returns -1 and changes nothing when the request cannot fit', () => {
    const c = new PrefixCache(5);
    put(c, [1, 2, 3], 2, 3); // 3 used (1 private)
    put(c, [4], 1, 1);
    c.release([4], 1, 1); // 4 cached, evictable
    const before = {
      used: c.usedBlocks,
      cached: c.cachedBlocks,
      evicted: c.evictedBlocks,
      refs: [...refs(c).entries()],
    };
    expect(before.used).toBe(4);
    // needs 1 pinned hit (1) + 3 fresh full + 1 partial = 4 fresh; free = 5 − 4 + 1 = 2
    expect(put(c, [1, 7, 8, 9, 10], 4, 5)).toBe(-1);
    expect(c.usedBlocks).toBe(before.used);
    expect(c.cachedBlocks).toBe(before.cached);
    expect(c.evictedBlocks).toBe(before.evicted);
    expect([...refs(c).entries()]).toEqual(before.refs);
    // and block 4 is still there to be hit
    expect(c.matchPrefix([4], 1)).toBe(1);
  });

  it('a request larger than the whole cache never fits', () => {
    const c = new PrefixCache(2);
    expect(put(c, [1, 2, 3], 2, 3)).toBe(-1);
    expect(c.usedBlocks).toBe(0);
  });
});

/**
 * Random requests are paths in a small prefix tree (chained ids): family f, variant v; blocks before
 * index 2 are shared by the family, later ones depend on the variant.
 */
const hashOf = (f: number, v: number, i: number) => (i < 2 ? f * 1000 + i : f * 1000 + 100 * (v + 1) + i);
const reqArb = fc.record({
  f: fc.integer({ min: 0, max: 2 }),
  v: fc.integer({ min: 0, max: 2 }),
  full: fc.integer({ min: 0, max: 5 }),
  partial: fc.boolean(),
});
/** A random request's block ids (`full` whole blocks, then maybe a partial one); undefined if it has none. */
function blocksOf(req: { f: number; v: number; full: number; partial: boolean }): { hashes: number[]; full: number; total: number } | undefined {
  const total = req.full + (req.partial ? 1 : 0);
  if (total === 0) return undefined;
  return { hashes: Array.from({ length: total }, (_, i) => hashOf(req.f, req.v, i)), full: req.full, total };
}

describe('PrefixCache: property over random allocate/release sequences', () => {
  const opArb = fc.oneof(
    fc.record({ kind: fc.constant('alloc' as const), req: reqArb }),
    fc.record({ kind: fc.constant('compute' as const), pick: fc.nat() }),
    fc.record({ kind: fc.constant('release' as const), pick: fc.nat() }),
  );

  it('usedBlocks <= capacity, refcounts = live users, hits = leading computed blocks, -1 exactly when it cannot fit, releasing all leaves used == cached', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.array(opArb, { maxLength: 60 }), (capacity, ops) => {
        const c = new PrefixCache(capacity);
        const live: { hashes: number[]; full: number; total: number; computed: boolean }[] = [];
        // Model of which block ids hold computed KV (markComputed since their latest fresh allocation).
        const computed = new Set<number>();
        const check = () => {
          expect(c.usedBlocks).toBeLessThanOrEqual(capacity);
          const users = new Map<number, number>();
          let priv = 0;
          for (const r of live) {
            for (let i = 0; i < r.full; i++) users.set(r.hashes[i], (users.get(r.hashes[i]) ?? 0) + 1);
            priv += r.total - r.full;
            // pinned blocks are never evicted
            for (let i = 0; i < r.full; i++) expect(refs(c).has(r.hashes[i])).toBe(true);
            // a computed request's whole prefix is hittable
            if (r.computed) expect(c.matchPrefix(r.hashes, r.full)).toBe(r.full);
          }
          for (const [h, n] of users) expect(refs(c).get(h)).toBe(n);
          for (const [h, n] of refs(c)) expect(n).toBe(users.get(h) ?? 0);
          expect(c.usedBlocks).toBe(c.cachedBlocks + priv);
        };
        for (const op of ops) {
          if (op.kind === 'alloc') {
            const blocks = blocksOf(op.req);
            if (!blocks) continue;
            const { hashes, full, total } = blocks;
            // Feasible iff distinct pinned blocks after allocation + all private blocks fit.
            const pinned = new Set<number>();
            let priv = total - full;
            for (const r of live) {
              for (let i = 0; i < r.full; i++) pinned.add(r.hashes[i]);
              priv += r.total - r.full;
            }
            for (let i = 0; i < full; i++) pinned.add(hashes[i]);
            const fits = pinned.size + priv <= capacity;
            let expectHits = 0;
            while (expectHits < full && refs(c).has(hashes[expectHits]) && computed.has(hashes[expectHits])) expectHits++;
            const fresh = hashes.slice(0, full).filter((h) => !refs(c).has(h));
            const usedBefore = c.usedBlocks;
            const got = c.allocate(hashes, full, total);
            if (fits) {
              expect(got).toBe(expectHits);
              for (const h of fresh) computed.delete(h);
              live.push({ hashes, full, total, computed: false });
            } else {
              expect(got).toBe(-1);
              expect(c.usedBlocks).toBe(usedBefore);
            }
          } else if (op.kind === 'compute' && live.length > 0) {
            const r = live[op.pick % live.length];
            c.markComputed(r.hashes, r.full);
            for (let i = 0; i < r.full; i++) computed.add(r.hashes[i]);
            r.computed = true;
          } else if (op.kind === 'release' && live.length > 0) {
            const [r] = live.splice(op.pick % live.length, 1);
            c.release(r.hashes, r.full, r.total);
          }
          check();
        }
        for (const r of live.splice(0)) c.release(r.hashes, r.full, r.total);
        check();
        expect(c.usedBlocks).toBe(c.cachedBlocks);
        for (const n of refs(c).values()) expect(n).toBe(0);
      }),
      { numRuns: 300 },
    );
  });
});

describe('PrefixCache: the listener (listenDepth)', () => {
  const opArb = fc.oneof(
    fc.record({ kind: fc.constant('alloc' as const), req: reqArb }),
    fc.record({ kind: fc.constant('compute' as const), pick: fc.nat() }),
    fc.record({ kind: fc.constant('release' as const), pick: fc.nat() }),
  );

  it('hears of a block when it turns computed above listenDepth (once, with its slot), and of its eviction exactly then', () => {
    const depth = 3;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.array(opArb, { maxLength: 60 }), (capacity, ops) => {
        // What the listener holds (hash -> slot), from its calls.
        const held = new Map<number, number>();
        // Model: computed since the latest fresh allocation; of those, computed above the depth.
        const computed = new Set<number>();
        const listed = new Set<number>();
        const calls: [string, number, number, number?][] = [];
        const listener = {
          added: (h: number, slot?: number, d?: number) => {
            calls.push(['added', h, slot!, d]);
            expect(held.has(h)).toBe(false);
            held.set(h, slot!);
          },
          removed: (h: number, slot?: number) => {
            // A listed block, or one still pending (reported as it always was; ignored by listeners).
            if (held.has(h)) expect(slot).toBe(held.get(h));
            else expect(computed.has(h)).toBe(false);
            held.delete(h);
          },
        };
        const c = new PrefixCache(capacity, undefined, undefined, undefined, listener, 1, depth);
        const live: { hashes: number[]; full: number; total: number }[] = [];
        for (const op of ops) {
          if (op.kind === 'alloc') {
            const blocks = blocksOf(op.req);
            if (!blocks) continue;
            const { hashes, full, total } = blocks;
            const fresh = hashes.slice(0, full).filter((h) => !refs(c).has(h));
            if (c.allocate(hashes, full, total) < 0) continue;
            for (const h of fresh) {
              computed.delete(h);
              listed.delete(h);
            }
            live.push({ hashes, full, total });
          } else if (op.kind === 'compute' && live.length > 0) {
            const r = live[op.pick % live.length];
            const want: [string, number, number, number][] = [];
            for (let i = 0; i < r.full; i++) {
              const h = r.hashes[i];
              if (computed.has(h)) continue;
              computed.add(h);
              if (i < depth) {
                listed.add(h);
                want.push(['added', h, -1, i]);
              }
            }
            calls.length = 0;
            c.markComputed(r.hashes, r.full);
            expect(calls.map(([k, h, , d]) => [k, h, d])).toEqual(want.map(([k, h, , d]) => [k, h, d]));
          } else if (op.kind === 'release' && live.length > 0) {
            const [r] = live.splice(op.pick % live.length, 1);
            c.release(r.hashes, r.full, r.total);
          }
          // The listener holds exactly the cached blocks computed above the depth.
          expect(new Set(held.keys())).toEqual(new Set([...listed].filter((h) => refs(c).has(h))));
          for (const h of computed) if (refs(c).has(h)) expect(c.hasComputed(h)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('PrefixCache: inline LRU', () => {
  /** LruPolicy behind the generic interface (not an LruPolicy instance: the cache calls it). */
  const viaPolicy = (): EvictionPolicy => {
    const lru = new LruPolicy();
    return {
      name: 'lru-via-policy',
      historyless: true,
      get size() {
        return lru.size;
      },
      add: (k) => lru.add(k),
      access: (k) => lru.access(k),
      remove: (k, forget) => lru.remove(k, forget),
      evict: () => lru.evict(),
    };
  };
  const opArb = fc.oneof(
    fc.record({ kind: fc.constant('alloc' as const), first: fc.integer({ min: 0, max: 9 }), full: fc.integer({ min: 0, max: 4 }), tail: fc.integer({ min: 0, max: 2 }), wide: fc.boolean() }),
    fc.record({ kind: fc.constant('compute' as const), pick: fc.nat() }),
    fc.record({ kind: fc.constant('release' as const), pick: fc.nat() }),
  );

  // `wide`: the request's hashes are beyond int32 (2^40 + ...): the inline LRU keeps int32 keys in
  // its link records and must read the others from its table, also once both kinds were cached.
  it('evicts the same blocks in the same order, with the same costs and hits, as LruPolicy called through the interface (and with pinned slots passed back)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 }), fc.array(opArb, { maxLength: 80 }), (capacity, ops) => {
        // 0: inline LRU; 1: LruPolicy through the interface; 2: inline LRU given pinnedSlots back.
        const evicted: [number, number][][] = [[], [], []];
        const caches = [0, 1, 2].map(
          (k) => new PrefixCache(capacity, k === 1 ? viaPolicy() : new LruPolicy(), (h, cost) => evicted[k].push([h, cost]), (i, n) => n - i),
        );
        const live: { hashes: number[]; full: number; total: number; slots: Int32Array }[] = [];
        for (const op of ops) {
          if (op.kind === 'alloc') {
            // Overlapping prefixes: block j of a request starting at `first` is hash first + j.
            const hashes = Array.from({ length: op.full + 1 }, (_, j) => (op.wide ? 2 ** 40 : 0) + op.first + j);
            const total = op.full + op.tail;
            if (total === 0) continue;
            const [a, b, c] = caches.map((cache) => cache.allocate(hashes, op.full, total));
            expect(b).toBe(a);
            expect(c).toBe(a);
            if (a >= 0) live.push({ hashes, full: op.full, total, slots: caches[2].pinnedSlots(op.full) });
          } else if (live.length > 0) {
            const i = op.pick % live.length;
            const r = live[i];
            if (op.kind === 'compute') caches.forEach((c, k) => c.markComputed(r.hashes, r.full, k === 2 ? r.slots : undefined));
            else {
              live.splice(i, 1);
              caches.forEach((c, k) => c.release(r.hashes, r.full, r.total, k === 2 ? r.slots : undefined));
            }
          }
          for (const k of [1, 2]) {
            expect(evicted[k]).toEqual(evicted[0]);
            expect(caches[k].usedPages).toBe(caches[0].usedPages);
            expect(caches[k].refCounts()).toEqual(caches[0].refCounts());
          }
          if (live.length) {
            const r = live[0];
            expect(caches[2].matchPrefix(r.hashes, r.full)).toBe(caches[0].matchPrefix(r.hashes, r.full));
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('PrefixCache: remembered prefix matches', () => {
  const opArb = fc.oneof(
    fc.record({ kind: fc.constant('alloc' as const), first: fc.integer({ min: 0, max: 9 }), full: fc.integer({ min: 0, max: 5 }), tail: fc.integer({ min: 0, max: 2 }), asked: fc.boolean() }),
    fc.record({ kind: fc.constant('compute' as const), pick: fc.nat() }),
    fc.record({ kind: fc.constant('release' as const), pick: fc.nat() }),
  );

  it('a remembered match is dropped when an allocation evicts its blocks', () => {
    // Capacity 2: [1, 2] computed and released (evictable); [5, 6] needs both pages, so 1 and 2 go.
    const c = new PrefixCache(2, new LruPolicy());
    put(c, [1, 2], 2, 2);
    c.release([1, 2], 2, 2);
    const probe = [1, 2, 3];
    expect(c.matchPrefix(probe, 2)).toBe(2);
    expect(c.allocate([5, 6], 2, 2)).toBe(0);
    expect(c.matchPrefix(probe, 2)).toBe(0);
  });

  it('matchPrefix (remembered while nothing changes) and allocate after it answer as a cache never asked', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.array(opArb, { maxLength: 80 }), (capacity, ops) => {
        // 0: asked before allocating (as a router does), sometimes twice; 1: never asked.
        const evicted: number[][] = [[], []];
        const caches = [0, 1].map((k) => new PrefixCache(capacity, new LruPolicy(), (h) => evicted[k].push(h)));
        const live: { hashes: number[]; full: number; total: number; hits: number; slots: Int32Array[] }[] = [];
        const probes = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
        const probeHashes = probes.map((first) => Array.from({ length: 6 }, (_, j) => first + j));
        let lastProbe = 0;
        for (const op of ops) {
          if (op.kind === 'alloc') {
            const hashes = Array.from({ length: op.full + 1 }, (_, j) => op.first + j);
            const total = op.full + op.tail;
            if (total === 0) continue;
            if (op.asked) {
              const m = caches[0].matchPrefix(hashes, op.full);
              expect(caches[0].matchPrefix(hashes, op.full)).toBe(m);
              expect(caches[0].matchPrefix(hashes.slice(), op.full)).toBe(m);
            }
            const [a, b] = caches.map((c) => c.allocate(hashes, op.full, total));
            expect(a).toBe(b);
            if (a >= 0) live.push({ hashes, full: op.full, total, hits: a, slots: caches.map((c) => c.pinnedSlots(op.full)) });
          } else if (live.length > 0) {
            const i = op.pick % live.length;
            const r = live[i];
            // markComputed may start after the hits (computed when allocated, pinned since).
            if (op.kind === 'compute') caches.forEach((c, k) => c.markComputed(r.hashes, r.full, r.slots[k], k === 0 ? r.hits : 0));
            else {
              live.splice(i, 1);
              caches.forEach((c, k) => c.release(r.hashes, r.full, r.total, r.slots[k]));
            }
          }
          // Prefixes nobody pins (their blocks may be evicted by an op): the one asked last before
          // this op is asked first after it, so a stale memory would show.
          for (const first of [lastProbe, ...probes]) expect(caches[0].matchPrefix(probeHashes[first], 5)).toBe(caches[1].matchPrefix(probeHashes[first], 5));
          expect(evicted[0]).toEqual(evicted[1]);
          expect(caches[0].refCounts()).toEqual(caches[1].refCounts());
          for (const r of live) expect(caches[0].matchPrefix(r.hashes, r.full)).toBe(caches[1].matchPrefix(r.hashes, r.full));
          lastProbe = probes[probes.length - 1 - (ops.indexOf(op) % probes.length)];
          caches[0].matchPrefix(probeHashes[lastProbe], 5);
        }
      }),
      { numRuns: 300 },
    );
  });
});
