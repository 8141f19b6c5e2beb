import type { EvictionPolicy } from '../../policies/eviction/policy.js';
import type { CacheListener } from './pool-directory.js';

/** Counters one tier reports in summary.json. */
export interface TierCounters {
  /** Blocks read out of the tier (cache hits served from it). */
  readBlocks: number;
  /** Blocks written into the tier (demotions, offloads, promotions). */
  writtenBlocks: number;
  evictedBlocks: number;
  peakBlocks: number;
}

/**
 * A lower KV-cache tier (CPU DRAM, local disk, remote store): a set of block hashes with a
 * capacity and an eviction policy. Blocks here are copies, never pinned: a load snapshots them.
 */
export class BlockStore {
  private readonly blocks = new Set<number>();
  readonly counters: TierCounters = { readBlocks: 0, writtenBlocks: 0, evictedBlocks: 0, peakBlocks: 0 };

  constructor(
    readonly name: string,
    /** Capacity in blocks (Infinity for an unlimited object store). */
    readonly capacityBlocks: number,
    private readonly policy: EvictionPolicy,
    /** Told when a block arrives or leaves (global KV index for the DRAM pool). */
    private readonly listener?: CacheListener,
  ) {}

  get usedBlocks(): number {
    return this.blocks.size;
  }

  has(hash: number): boolean {
    return this.blocks.has(hash);
  }

  /** A hit: the block was read. */
  read(hash: number): void {
    this.counters.readBlocks++;
    this.policy.access(hash);
  }

  /**
   * Stores a block (no-op if present, except that it counts as an access). Returns the blocks
   * evicted to make room, for the caller to demote further down.
   */
  write(hash: number, cost: number, evicted: number[]): void {
    if (this.blocks.has(hash)) {
      this.policy.access(hash);
      return;
    }
    if (this.capacityBlocks < 1) return;
    while (this.blocks.size >= this.capacityBlocks) {
      const victim = this.policy.evict();
      if (victim === undefined) break;
      this.blocks.delete(victim);
      this.counters.evictedBlocks++;
      this.listener?.removed(victim);
      evicted.push(victim);
    }
    this.blocks.add(hash);
    this.listener?.added(hash);
    this.policy.add(hash, cost);
    this.counters.writtenBlocks++;
    if (this.blocks.size > this.counters.peakBlocks) this.counters.peakBlocks = this.blocks.size;
  }
}
