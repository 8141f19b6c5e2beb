import type { EvictionPolicy } from '../policies/eviction/policy.js';
import { EVICTION_POLICIES } from '../policies/eviction/registry.js';
import type { CacheListener } from '../storage/kv-tiers/pool-directory.js';

/**
 * An instance's HBM KV pool in blocks, with vLLM-style automatic prefix caching: full blocks are
 * keyed by their chained hash and stay cached after their request releases them; blocks with no
 * user (refcount 0) are the eviction candidates, ordered by a pluggable policy (vLLM: LRU). A
 * request releases its blocks tail first so that, at equal recency, the end of a prefix is
 * evicted before its beginning (a block is useless once any block before it is gone).
 *
 * Precondition: a request's hashes are distinct (chained ids name their whole prefix; the trace
 * reader rejects repeats).
 */
export class PrefixCache {
  /** hash -> number of running requests using the block. */
  private readonly refs = new Map<number, number>();
  /**
   * Blocks allocated but not yet computed: another request cannot reuse them yet (vLLM registers a
   * block's hash only once its KV is written), it computes those tokens itself.
   */
  private readonly pending = new Set<number>();
  /** Recompute cost each cached block was released with (handed to the tier it is demoted to). */
  private readonly costs = new Map<number, number>();
  /** Blocks held by requests that are not reusable (the partial last block). */
  private privateBlocks = 0;
  private evictions = 0;
  private peak = 0;
  /** Number of `release` calls: room can only appear through one. */
  private releaseCount = 0;

  constructor(
    readonly capacityBlocks: number,
    /** Orders the refcount-0 blocks for eviction. */
    private readonly policy: EvictionPolicy = EVICTION_POLICIES.lru(capacityBlocks),
    /** Called with each evicted block and its recompute cost (demotion to a lower tier). */
    private readonly onEvict?: (hash: number, cost: number) => void,
    /** Relative cost of losing block i of an n-block prefix (for cost-aware eviction). */
    private readonly blockCost: (position: number, blocks: number) => number = () => 1,
    /** Told when a block becomes reusable (computed) and when it leaves (global KV index). */
    private readonly listener?: CacheListener,
  ) {}

  /** Whether `hash` is cached here with its KV computed (a peer may read it). */
  hasComputed(hash: number): boolean {
    return this.refs.has(hash) && !this.pending.has(hash);
  }

  /** Blocks in use or cached (<= capacity at all times). */
  get usedBlocks(): number {
    return this.refs.size + this.privateBlocks;
  }

  get cachedBlocks(): number {
    return this.refs.size;
  }

  get evictedBlocks(): number {
    return this.evictions;
  }

  get releases(): number {
    return this.releaseCount;
  }

  /** Most blocks ever in use or cached at once. */
  get peakBlocks(): number {
    return this.peak;
  }

  /** Number of leading full blocks of `hashes` cached with their KV computed. */
  matchPrefix(hashes: readonly number[], fullBlocks: number): number {
    let i = 0;
    while (i < fullBlocks && this.refs.has(hashes[i]) && !this.pending.has(hashes[i])) i++;
    return i;
  }

  /** The request's prompt KV is computed: its full blocks become reusable by others. */
  markComputed(hashes: readonly number[], fullBlocks: number): void {
    for (let i = 0; i < fullBlocks; i++) {
      if (this.pending.delete(hashes[i])) this.listener?.added(hashes[i]);
    }
  }

  /**
   * Pins the request's cached blocks and allocates the rest (evicting if needed). Returns the
   * number of leading blocks that were cache hits, or -1 (and changes nothing) if it cannot fit.
   */
  allocate(hashes: readonly number[], fullBlocks: number, totalBlocks: number): number {
    let fresh = totalBlocks - fullBlocks;
    let pinnedFree = 0; // cached blocks we will pin that are currently evictable
    for (let i = 0; i < fullBlocks; i++) {
      const r = this.refs.get(hashes[i]);
      if (r === undefined) fresh++;
      else if (r === 0) pinnedFree++;
    }
    const free = this.capacityBlocks - this.usedBlocks + (this.policy.size - pinnedFree);
    if (fresh > free) return -1;

    const hits = this.matchPrefix(hashes, fullBlocks);
    for (let i = 0; i < fullBlocks; i++) {
      const h = hashes[i];
      const r = this.refs.get(h);
      if (r !== undefined) {
        if (r === 0) this.policy.remove(h, false);
        this.policy.access(h);
        this.refs.set(h, r + 1);
      }
    }
    this.evictUntilFree(fresh);
    for (let i = 0; i < fullBlocks; i++) {
      const h = hashes[i];
      if (!this.refs.has(h)) {
        this.refs.set(h, 1);
        this.pending.add(h);
      }
    }
    this.privateBlocks += totalBlocks - fullBlocks;
    if (this.usedBlocks > this.peak) this.peak = this.usedBlocks;
    return hits;
  }

  /** Drops the request's use of its blocks: full blocks stay cached, the partial one is freed. */
  release(hashes: readonly number[], fullBlocks: number, totalBlocks: number): void {
    this.releaseCount++;
    this.privateBlocks -= totalBlocks - fullBlocks;
    for (let i = fullBlocks - 1; i >= 0; i--) {
      const h = hashes[i];
      const r = this.refs.get(h)!;
      if (r === 1) {
        this.refs.set(h, 0);
        const cost = this.blockCost(i, fullBlocks);
        this.costs.set(h, cost);
        this.policy.add(h, cost);
      } else {
        this.refs.set(h, r - 1);
      }
    }
  }

  private evictUntilFree(blocks: number): void {
    while (this.capacityBlocks - this.usedBlocks < blocks) {
      const h = this.policy.evict()!;
      this.refs.delete(h);
      this.evictions++;
      this.listener?.removed(h);
      const cost = this.costs.get(h) ?? 1;
      this.costs.delete(h);
      this.onEvict?.(h, cost);
    }
  }
}
