import type { EvictionPolicy } from '../policies/eviction/policy.js';
import { EVICTION_POLICIES } from '../policies/eviction/registry.js';
import type { CacheListener } from '../storage/kv-tiers/pool-directory.js';
import { LruPolicy } from '../policies/eviction/lru.js';
import { CachedBlocks, COMPUTED, PENDING, UNLISTED } from './cached-blocks.js';

/**
 * Slot arrays given back by `release`, by length, for the next `pinnedSlots` of any cache: a
 * request's array of more than 16 slots has its own off-heap buffer, and allocating one per request
 * was 1.6% of a production hour's profile, plus the GC freeing them. Shared by every cache of the
 * process (a pool per cache kept hundreds of instances' spares and missed far more often): at most
 * one array per request in flight. Plain Int32Arrays, so sharing cannot change a result.
 */
class SlotArrayPool {
  /** spare[n]: arrays of length n (dense: every length up to the longest seen has a list). */
  private readonly spare: Int32Array[][] = [];

  take(length: number): Int32Array {
    const list = length < this.spare.length ? this.spare[length] : undefined;
    return list !== undefined && list.length > 0 ? list.pop()! : new Int32Array(length);
  }

  give(slots: Int32Array): void {
    while (this.spare.length <= slots.length) this.spare.push([]);
    this.spare[slots.length].push(slots);
  }
}

const SPARE_SLOTS = new SlotArrayPool();

/**
 * An instance's HBM KV pool, with vLLM-style automatic prefix caching: full hash blocks are
 * keyed by their chained hash and stay cached after their request releases them; blocks with no
 * user (refcount 0) are the eviction candidates, ordered by a pluggable policy (vLLM: LRU). A
 * request releases its blocks tail first so that, at equal recency, the end of a prefix is
 * evicted before its beginning (a block is useless once any block before it is gone).
 *
 * Capacity is counted in KV pages (vLLM `block_size`), not in hash blocks: the workload's hash
 * block (512 tokens in the Mooncake traces) is the unit of prefix matching and eviction, and a
 * cached full hash block occupies `pagesPerBlock` = hash block / page size pages. What a request
 * holds privately — the partial tail of its prompt and, on a colocated instance, the reservation
 * for its answer — is held in pages, so it wastes less than one page instead of up to one hash
 * block. (With `pagesPerBlock` = 1 pages and hash blocks coincide.)
 *
 * Precondition: a request's hashes are distinct (chained ids name their whole prefix; the trace
 * reader rejects repeats).
 */
export class PrefixCache {
  /**
   * Cached blocks (a 16-byte record per block, see CachedBlocks, and a cost column): number of
   * running requests using each, its state (PENDING: allocated but not yet computed, another
   * request cannot reuse it yet — vLLM registers a block's hash only once its KV is written — it
   * computes those tokens itself; COMPUTED or UNLISTED once computed), and the recompute cost it
   * was last released with (handed to the tier it is demoted to; kept only when something reads it,
   * see `keepsCost`).
   */
  private readonly blocks: CachedBlocks;
  /** Pages held by requests that are not reusable (the partial prompt tail, answer reservations). */
  private privatePages = 0;
  private evictions = 0;
  private peak = 0;
  /** Number of `release` calls: room can only appear through one. */
  private releaseCount = 0;
  /**
   * Inline LRU (vLLM's policy, the default): the candidates are kept in LRU order in the blocks'
   * own table (`CANDIDATES` list), and `policy` is never called. The same order as LruPolicy's —
   * release appends, pinning unlinks, eviction takes the head — with one hash table per cache
   * instead of two: at a thousand instances the tables outgrow the CPU caches and each lookup is a
   * cache miss, so this halves the misses of the hottest path (docs/speed-history.md, third pass).
   */
  private readonly inlineLru: boolean;

  constructor(
    /** KV pages the pool holds. */
    readonly capacityPages: number,
    /** Orders the refcount-0 blocks for eviction. */
    private readonly policy: EvictionPolicy = EVICTION_POLICIES.lru(capacityPages),
    /** Called with each evicted block and its recompute cost (demotion to a lower tier). */
    private readonly onEvict?: (hash: number, cost: number) => void,
    /** Relative cost of losing block i of an n-block prefix (for cost-aware eviction). */
    private readonly blockCost: (position: number, blocks: number) => number = () => 1,
    /** Told when a block becomes reusable (computed) and when it leaves (global KV index). */
    private readonly listener?: CacheListener,
    /** Pages one full hash block occupies (hash block size / page size). */
    readonly pagesPerBlock = 1,
    /**
     * Blocks computed at this index of their prompt or deeper are neither reported to `listener`
     * nor, later, their eviction: for a listener that ignores them (the cache_aware routing index
     * keeps only a prompt's first blocks), so most blocks cost it no call and no lookup.
     */
    private readonly listenDepth = Infinity,
  ) {
    if (!Number.isInteger(pagesPerBlock) || pagesPerBlock < 1) throw new RangeError(`pagesPerBlock must be a positive integer, got ${pagesPerBlock}`);
    this.blocks = new CachedBlocks(capacityPages / pagesPerBlock);
    this.inlineLru = policy instanceof LruPolicy;
    this.keepsCost = !this.inlineLru || onEvict !== undefined;
  }

  /**
   * Whether a block's cost is read: by the eviction policy (unless inline LRU) or by `onEvict`.
   * Otherwise release skips computing it (a call per block, at a thousand instances a cache miss).
   */
  private readonly keepsCost: boolean;

  /** Eviction candidates (cached blocks no running request uses). */
  private get candidates(): number {
    return this.inlineLru ? this.blocks.candidates : this.policy.size;
  }

  /** Whether `hash` is cached here with its KV computed (a peer may read it). */
  hasComputed(hash: number): boolean {
    return this.blocks.reusableSlot(hash) >= 0;
  }

  /** Pages in use or cached (<= capacity at all times). */
  get usedPages(): number {
    return this.blocks.size * this.pagesPerBlock + this.privatePages;
  }

  /** `usedPages` in hash-block equivalents (to compare with the block-granular lower tiers). */
  get usedBlocks(): number {
    return this.usedPages / this.pagesPerBlock;
  }

  get cachedBlocks(): number {
    return this.blocks.size;
  }

  get evictedBlocks(): number {
    return this.evictions;
  }

  get releases(): number {
    return this.releaseCount;
  }

  /** Most pages ever in use or cached at once. */
  get peakPages(): number {
    return this.peak;
  }

  /** Each cached block's number of users (inspection and tests; O(cached blocks)). */
  refCounts(): Map<number, number> {
    return new Map(this.blocks.entries().map(([h, s]) => [h, this.blocks.users(s)]));
  }

  /** Number of leading full blocks of `hashes` cached with their KV computed. */
  matchPrefix(hashes: readonly number[], fullBlocks: number): number {
    // A router estimates the same prompt here more than once (the bound, then the candidate; the
    // queue estimate on enqueue) with nothing cached or computed in between: answer from memory
    // (the same array: a request's hashes never change).
    if (this.remembers(hashes, fullBlocks)) return this.matchedHits;
    const b = this.blocks;
    if (this.matchedSlots.length < fullBlocks) this.matchedSlots = new Int32Array(Math.max(fullBlocks, 2 * this.matchedSlots.length));
    const found = this.matchedSlots;
    let i = 0;
    for (; i < fullBlocks; i++) {
      const s = b.reusableSlot(hashes[i]);
      if (s < 0) break;
      found[i] = s;
    }
    this.matchedHashes = hashes;
    this.matchedFull = fullBlocks;
    this.matchedVersion = this.version;
    this.matchedHits = i;
    return i;
  }

  /**
   * Bumped whenever a block may become cached, computed or evicted (allocate, markComputed): a
   * matchPrefix answer stays valid while it is unchanged. The last answer, for that memo:
   */
  private version = 0;
  private matchedHashes: readonly number[] | undefined;
  private matchedFull = -1;
  private matchedVersion = -1;
  private matchedHits = 0;
  /** Slots of the matched blocks (the first matchedHits), valid with the memo: allocate skips their lookups. */
  private matchedSlots = new Int32Array(64);

  /** Whether the last matchPrefix answer is for this prompt and still valid (nothing changed since). */
  private remembers(hashes: readonly number[], fullBlocks: number): boolean {
    return hashes === this.matchedHashes && fullBlocks === this.matchedFull && this.version === this.matchedVersion;
  }

  /**
   * The request's prompt KV is computed: its full blocks become reusable by others. `slots`: the
   * request's `pinnedSlots` (skips a hash lookup per block; same result). `from`: at most the
   * request's hits (`allocate`'s result): those blocks were computed then and are pinned since, so
   * the loop may start after them (same result).
   */
  markComputed(hashes: readonly number[], fullBlocks: number, slots?: Int32Array, from = 0): void {
    this.version++;
    const b = this.blocks;
    for (let i = from; i < fullBlocks; i++) {
      const s = slots ? slots[i] : b.find(hashes[i]);
      if (s >= 0 && b.state(s) === PENDING) {
        if (i < this.listenDepth) {
          b.computed(hashes[i], s, COMPUTED);
          this.listener?.added(hashes[i], s, i);
        } else b.computed(hashes[i], s, UNLISTED);
      }
    }
  }

  /**
   * Pins the request's cached blocks and allocates the rest (evicting if needed): its `fullBlocks`
   * hash blocks plus `totalPages − fullBlocks·pagesPerBlock` private pages. Returns the number of
   * leading blocks that were cache hits, or -1 (and changes nothing) if it cannot fit.
   */
  allocate(hashes: readonly number[], fullBlocks: number, totalPages: number): number {
    const ppb = this.pagesPerBlock;
    const privatePages = totalPages - fullBlocks * ppb;
    let fresh = privatePages; // pages to take from the free or evictable ones
    let pinnedFree = 0; // cached blocks we will pin that are currently evictable
    const b = this.blocks;
    // Each block's slot, looked up once (pinned blocks keep theirs: eviction takes only candidates).
    if (this.slots.length < fullBlocks) this.slots = new Int32Array(Math.max(fullBlocks, 2 * this.slots.length));
    const slots = this.slots;
    let hits = -1;
    // The request was most likely just routed here (matchPrefix) with nothing changed since: its
    // matched blocks' slots are known.
    const known = this.remembers(hashes, fullBlocks) ? this.matchedHits : 0;
    const matched = this.matchedSlots;
    for (let i = 0; i < fullBlocks; i++) {
      const s = i < known ? matched[i] : b.find(hashes[i]);
      slots[i] = s;
      if (s < 0) {
        if (hits < 0) hits = i;
        fresh += ppb;
        continue;
      }
      if (hits < 0 && b.state(s) === PENDING) hits = i;
      if (b.users(s) === 0) pinnedFree++;
    }
    if (hits < 0) hits = fullBlocks; // = matchPrefix(hashes, fullBlocks)
    const free = this.capacityPages - this.usedPages + (this.candidates - pinnedFree) * ppb;
    if (fresh > free) return -1;
    this.version++;

    const reportAccess = !this.inlineLru && !this.policy.historyless;
    for (let i = 0; i < fullBlocks; i++) {
      const s = slots[i];
      if (s >= 0) {
        const h = hashes[i];
        if (b.users(s) === 0) {
          if (this.inlineLru) b.unlink(s);
          else this.policy.remove(h, false);
        }
        if (reportAccess) this.policy.access(h);
        b.addUsers(s, 1);
      }
    }
    this.evictUntilFree(fresh);
    for (let i = 0; i < fullBlocks; i++) {
      if (slots[i] >= 0) continue;
      const s = b.allocated(hashes[i]);
      slots[i] = s;
      if (this.keepsCost) b.cost[s] = 1;
    }
    this.privatePages += privatePages;
    if (this.usedPages > this.peak) this.peak = this.usedPages;
    return hits;
  }

  /** Scratch: slots of the blocks of the request being allocated. */
  private slots = new Int32Array(64);

  /**
   * Slots of the full blocks the last successful `allocate` pinned, in prompt order. A pinned
   * block cannot be evicted, so they stay valid until the request's `release`: passing them to
   * `markComputed` and `release` spares a hash lookup per block (at a thousand instances the
   * tables outgrow the CPU caches and a lookup is a cache miss).
   */
  pinnedSlots(fullBlocks: number): Int32Array {
    const out = SPARE_SLOTS.take(fullBlocks);
    const slots = this.slots;
    for (let i = 0; i < fullBlocks; i++) out[i] = slots[i];
    return out;
  }

  /**
   * Drops the request's use of its blocks (same counts as its `allocate`): full blocks stay cached,
   * its private pages are freed. `slots`: its `pinnedSlots` (same result, fewer lookups), given
   * back here for reuse: the caller must not use them afterwards.
   */
  release(hashes: readonly number[], fullBlocks: number, totalPages: number, slots?: Int32Array): void {
    this.releaseCount++;
    this.privatePages -= totalPages - fullBlocks * this.pagesPerBlock;
    const b = this.blocks;
    for (let i = fullBlocks - 1; i >= 0; i--) {
      const h = hashes[i];
      const s = slots ? slots[i] : b.find(h);
      const last = b.users(s) === 1;
      b.addUsers(s, -1);
      if (!last) continue;
      // Its last user left: the block becomes an eviction candidate.
      if (this.inlineLru) {
        if (this.keepsCost) b.cost[s] = this.blockCost(i, fullBlocks);
        b.append(s);
      } else {
        const cost = this.blockCost(i, fullBlocks);
        b.cost[s] = cost;
        this.policy.add(h, cost);
      }
    }
    if (slots && slots.length === fullBlocks) SPARE_SLOTS.give(slots);
  }

  /** Evicts whole hash blocks (the eviction unit) until `pages` pages are free. */
  private evictUntilFree(pages: number): void {
    const b = this.blocks;
    while (this.capacityPages - this.usedPages < pages) {
      let h: number;
      let s: number;
      if (this.inlineLru) {
        s = b.oldest();
        h = b.keyOf(s);
        b.unlink(s);
      } else {
        h = this.policy.evict()!;
        s = b.find(h);
      }
      const state = b.state(s); // read first: removing frees the slot
      b.remove(h);
      this.evictions++;
      if (state !== UNLISTED) this.listener?.removed(h, s);
      this.onEvict?.(h, b.cost[s]);
    }
  }
}
