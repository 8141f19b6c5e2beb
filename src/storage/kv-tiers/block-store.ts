import { isSlotIndexed, type EvictionPolicy, type SlotIndexedPolicy } from '../../policies/eviction/policy.js';
import { grownFloat64, IntMap } from '../../util/int-table.js';
import type { CacheListener } from './pool-directory.js';

/** Ages objects out of a store (remote lifecycle): consulted on every lookup and write. */
export interface StoreLifecycle {
  /** A block was (re)written now. */
  written(hash: number): void;
  /** Whether a stored block is still valid (not expired). */
  live(hash: number): boolean;
  /** Runs due background work (cleanup) on `store`. */
  tick(store: BlockStore): void;
}

/** Counters one tier reports in summary.json. */
export interface TierCounters {
  /** Blocks read out of the tier (cache hits served from it). */
  readBlocks: number;
  /** Blocks written into the tier (demotions, offloads, promotions). */
  writtenBlocks: number;
  evictedBlocks: number;
  peakBlocks: number;
  /** Blocks deleted by the lifecycle (expired or cleaned up in the background). */
  expiredBlocks: number;
}

/**
 * A lower KV-cache tier (CPU DRAM, local disk, remote store): a set of block hashes with a
 * capacity and an eviction policy. Blocks here are copies, never pinned: a load snapshots them.
 *
 * Where the blocks are kept: a bounded store whose policy keeps its candidates in a key table
 * (LRU, S3-FIFO: SlotIndexedPolicy) shares that table — every stored block is a candidate — and
 * keeps each block's cost in a column by slot, so a write looks the hash up once, not twice.
 * Otherwise (heap-ordered policies, unlimited stores whose policy may not be informed) the store
 * has its own table.
 */
export class BlockStore {
  /** Own table: hash -> recompute cost it was written with (handed down when it is evicted). */
  private readonly blocks: IntMap | undefined;
  /** Shared table: the policy's candidates are the stored blocks; costs by the policy's slots. */
  private readonly shared: SlotIndexedPolicy | undefined;
  private costs = new Float64Array(0);
  /** False once `ignoreCosts` was called: no cost column, every cost reads 1. */
  private keepsCosts = true;
  readonly counters: TierCounters = { readBlocks: 0, writtenBlocks: 0, evictedBlocks: 0, peakBlocks: 0, expiredBlocks: 0 };
  /** Set by a remote lifecycle policy. */
  lifecycle?: StoreLifecycle;

  constructor(
    readonly name: string,
    /** Capacity in blocks (Infinity for an unlimited object store). */
    readonly capacityBlocks: number,
    private readonly policy: EvictionPolicy,
    /** Told when a block arrives or leaves (global KV index for the DRAM pool). */
    private readonly listener?: CacheListener,
  ) {
    if (Number.isFinite(capacityBlocks) && isSlotIndexed(policy)) this.shared = policy;
    else this.blocks = new IntMap();
  }

  /**
   * Whether the eviction policy is kept informed: an unlimited store without a lifecycle never
   * picks a victim, so its policy's bookkeeping would only grow.
   */
  private get ranks(): boolean {
    return Number.isFinite(this.capacityBlocks) || this.lifecycle !== undefined;
  }

  /**
   * No eviction policy of this store's hierarchy reads costs (none is cost-aware): keep none.
   * Costs only travel down the tiers to be handed to policies, so nothing observable changes, and
   * a write and an eviction touch one cache line less (the cost column by slot). Call before the
   * first write; `costOf` and `victimCosts` then say 1.
   */
  ignoreCosts(): void {
    this.keepsCosts = false;
  }

  /** The policy reads the costs it is given (a cost-aware policy). */
  get readsCosts(): boolean {
    return this.policy.usesCost === true;
  }

  get usedBlocks(): number {
    return this.shared ? this.shared.size : this.blocks!.size;
  }

  /** Whether the block is here and valid (an expired object misses). */
  has(hash: number): boolean {
    if (!this.lifecycle) return this.holds(hash);
    this.lifecycle.tick(this);
    return this.holds(hash) && this.lifecycle.live(hash);
  }

  /** Stored, expired or not (what occupies and is billed). */
  holds(hash: number): boolean {
    return this.shared ? this.shared.candidateSlot(hash) >= 0 : this.blocks!.has(hash);
  }

  /** Deletes a block outside eviction (lifecycle expiration / background cleanup). */
  delete(hash: number): void {
    if (this.shared) {
      if (this.shared.candidateSlot(hash) < 0) return;
    } else if (!this.blocks!.delete(hash)) return;
    if (this.ranks) this.policy.remove(hash, true);
    this.counters.expiredBlocks++;
    this.listener?.removed(hash);
  }

  /** Picks the policy's next victim among the stored blocks and deletes it (background cleanup). */
  cleanupOne(): number | undefined {
    const victim = this.policy.evict();
    if (victim === undefined) return undefined;
    this.blocks?.delete(victim);
    this.counters.expiredBlocks++;
    this.listener?.removed(victim);
    return victim;
  }

  /** Recompute cost the block was written with (1 if absent). */
  costOf(hash: number): number {
    if (!this.shared) return this.blocks!.getOr(hash, 1);
    const s = this.shared.candidateSlot(hash);
    return s < 0 || !this.keepsCosts ? 1 : this.costs[s];
  }

  /** A hit: the block was read. */
  read(hash: number): void {
    this.counters.readBlocks++;
    if (this.ranks) this.policy.access(hash);
  }

  /**
   * Stores a block (no-op if present, except that it counts as an access). Appends the blocks
   * evicted to make room (and their costs, if asked) for the caller to demote further down.
   */
  write(hash: number, cost: number, evicted: number[], evictedCosts?: number[]): void {
    const n = this.put(hash, cost);
    for (let i = 0; i < n; i++) {
      evicted.push(this.victims[i]);
      evictedCosts?.push(this.victimCosts[i]);
    }
  }

  /** Blocks (and their costs) the last `put` evicted, at indices 0 .. its return value − 1. */
  readonly victims: number[] = [];
  readonly victimCosts: number[] = [];

  /**
   * `write` without lists to fill (the hot path: no allocation): returns how many blocks were
   * evicted to make room, found in `victims` / `victimCosts` until the next `put`.
   */
  put(hash: number, cost: number): number {
    this.lifecycle?.tick(this);
    // Nothing is ever stored in a tier smaller than a block.
    if (this.capacityBlocks < 1) return 0;
    return this.shared ? this.putShared(this.shared, hash, cost) : this.putOwn(this.blocks!, hash, cost);
  }

  private putShared(policy: SlotIndexedPolicy, hash: number, cost: number): number {
    const present = policy.candidateSlot(hash);
    if (present >= 0) {
      policy.accessSlot(present);
      // A re-PUT overwrites the object: its age starts again.
      this.lifecycle?.written(hash);
      return 0;
    }
    let n = 0;
    while (policy.size >= this.capacityBlocks) {
      const victim = policy.evict();
      if (victim === undefined) break;
      this.victimCosts[n] = this.keepsCosts ? this.costs[policy.evictedSlot] : 1;
      this.victims[n++] = victim;
      this.counters.evictedBlocks++;
      this.listener?.removed(victim);
    }
    this.lifecycle?.written(hash);
    this.listener?.added(hash);
    const slot = policy.addSlot(hash, cost);
    if (this.keepsCosts) {
      if (slot >= this.costs.length) this.costs = grownFloat64(this.costs, policy.slotCapacity);
      this.costs[slot] = cost;
    }
    this.counters.writtenBlocks++;
    if (policy.size > this.counters.peakBlocks) this.counters.peakBlocks = policy.size;
    return n;
  }

  private putOwn(blocks: IntMap, hash: number, cost: number): number {
    if (!blocks.setIfAbsent(hash, this.keepsCosts ? cost : 1)) {
      if (this.ranks) this.policy.access(hash);
      // A re-PUT overwrites the object: its age starts again.
      this.lifecycle?.written(hash);
      return 0;
    }
    // Room for the newcomer (already in the table, not yet a candidate: never its own victim).
    let n = 0;
    while (blocks.size > this.capacityBlocks) {
      const victim = this.policy.evict();
      if (victim === undefined) break;
      this.victimCosts[n] = blocks.take(victim, 1);
      this.victims[n++] = victim;
      this.counters.evictedBlocks++;
      this.listener?.removed(victim);
    }
    this.lifecycle?.written(hash);
    this.listener?.added(hash);
    if (this.ranks) this.policy.add(hash, cost);
    this.counters.writtenBlocks++;
    if (blocks.size > this.counters.peakBlocks) this.counters.peakBlocks = blocks.size;
    return n;
  }
}
