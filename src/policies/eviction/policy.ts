import type { Rng } from '../policy-rng.js';

/**
 * Which cached block a cache tier gives up when it needs room. One small interface for every
 * policy (LRU, LFU, FIFO, S3-FIFO, cost-aware); adding a policy is one file plus one registry line.
 *
 * The tier owns the blocks; the policy only orders the *candidates* (blocks it may evict) and
 * remembers access history. A block in use by a running request (pinned) is not a candidate:
 * the tier calls `remove(key, false)` when pinning and `add(key)` again when it is released, and
 * the policy keeps the block's history (frequency, queue) across that gap.
 */
export interface EvictionPolicy {
  readonly name: string;
  /** Number of current candidates. */
  readonly size: number;
  /**
   * `key` becomes a candidate: newly cached, or released by its last user. `cost` is the relative
   * price of losing it (e.g. recompute FLOPs of the block); only cost-aware policies use it.
   */
  add(key: number, cost?: number): void;
  /** `key` was used (cache hit or write), whether or not it is currently a candidate. */
  access(key: number): void;
  /** `key` stops being a candidate; `forget` also drops its history (it left the tier). */
  remove(key: number, forget: boolean): void;
  /** Picks a victim among the candidates, removes it (forgetting its history) and returns it. */
  evict(): number | undefined;
  /**
   * True: the policy keeps no history, so `access` of a key that is not a candidate changes
   * nothing (a tier pinning a key may skip reporting the access: one hash lookup less).
   */
  readonly historyless?: boolean;
  /**
   * True: the `cost` given to `add` changes which key is evicted (cost-aware). Tiers whose
   * policies all leave it unset need not keep per-block costs (see BlockStore.ignoreCosts).
   */
  readonly usesCost?: boolean;
}

/**
 * A policy that keeps its candidates in one typed-array key table (LRU, S3-FIFO) and lends their
 * slots to a tier that never pins keys (a lower tier's BlockStore: every stored block is a
 * candidate), so the tier keeps its per-block data in a column by slot instead of a second table:
 * one hash lookup per operation instead of two.
 */
export interface SlotIndexedPolicy extends EvictionPolicy {
  /** The key's slot while it is a candidate, else -1. A slot is fixed while its key stays a candidate. */
  candidateSlot(key: number): number;
  /** `add`, returning the key's slot. */
  addSlot(key: number, cost?: number): number;
  /** `access` of the candidate in `slot`. */
  accessSlot(slot: number): void;
  /** Slot the last `evict` took its victim from: its column data is valid until the next add. */
  readonly evictedSlot: number;
  /** Every slot is below this (it grows as keys arrive). */
  readonly slotCapacity: number;
}

export function isSlotIndexed(p: EvictionPolicy): p is SlotIndexedPolicy {
  return typeof (p as Partial<SlotIndexedPolicy>).candidateSlot === 'function';
}

/** Scenario-wide tuning some policies take (others ignore it). */
export interface EvictionOptions {
  /** cost_aware: exponent of the recompute cost (vLLM RFC 23641: 2). */
  readonly alpha?: number;
  /** lfu / cost_aware: dynamic aging (LFU-DA). */
  readonly aging?: boolean;
  /**
   * The policy's own seeded stream (engine/rng via policies/policy-rng) for randomized policies;
   * deterministic ones ignore it.
   */
  readonly rng?: Rng;
  /**
   * Blocks the tier will likely hold (its capacity in blocks), a size hint for table-based policies
   * (their key table starts that big instead of growing). Not `capacity`: an HBM pool's capacity is
   * in pages.
   */
  readonly expectedKeys?: number;
}

/** Builds a policy for a tier that holds at most `capacity` blocks. */
export type EvictionPolicyFactory = (capacity: number, options?: EvictionOptions) => EvictionPolicy;
