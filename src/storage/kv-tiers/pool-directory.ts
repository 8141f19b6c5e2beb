/**
 * Mooncake's global KV index: which prefill instances hold which blocks (in HBM or DRAM), so an
 * instance can fetch a prefix from a peer over RDMA instead of recomputing it. Counts per
 * (block, owner) because one owner may hold a block in two tiers at once.
 */
export class PoolDirectory {
  /** hash -> owners (instance indices), with a per-owner count of the tiers holding it. */
  private readonly holders = new Map<number, Map<number, number>>();

  added(hash: number, owner: number): void {
    let m = this.holders.get(hash);
    if (!m) {
      m = new Map();
      this.holders.set(hash, m);
    }
    m.set(owner, (m.get(owner) ?? 0) + 1);
  }

  removed(hash: number, owner: number): void {
    const m = this.holders.get(hash);
    const n = m?.get(owner);
    if (!m || n === undefined) return;
    if (n > 1) m.set(owner, n - 1);
    else {
      m.delete(owner);
      if (m.size === 0) this.holders.delete(hash);
    }
  }

  /** The least loaded holder other than `self` (see `leastLoaded`), or -1. */
  leastLoadedHolder(hash: number, self: number, load: (owner: number) => number): number {
    const m = this.holders.get(hash);
    return m ? leastLoaded(m.keys(), self, load) : -1;
  }

  /** An instance other than `self` holding `hash` (the lowest index, for determinism), or -1. */
  peerHolding(hash: number, self: number): number {
    const m = this.holders.get(hash);
    if (!m) return -1;
    let best = -1;
    for (const owner of m.keys()) if (owner !== self && (best < 0 || owner < best)) best = owner;
    return best;
  }
}

/**
 * Holders other than `self` of `hash`: the one whose NIC carries the fewest flows now (ties to the
 * lowest index), so hot blocks are served by every replica instead of piling on one NIC; -1 if none.
 */
export function leastLoaded(holders: Iterable<number>, self: number, load: (owner: number) => number): number {
  let best = -1;
  let bestLoad = Infinity;
  for (const owner of holders) {
    if (owner === self) continue;
    const l = load(owner);
    if (l < bestLoad || (l === bestLoad && owner < best)) {
      best = owner;
      bestLoad = l;
    }
  }
  return best;
}

/** Told when a tier gains or loses a block (the pool directory listens). */
export interface CacheListener {
  /**
   * `slot` (HBM prefix caches give it): the tier's small id for the block, fixed while it keeps
   * the block and the same in the matching `removed` (lets an index find its entry directly);
   * `depth`: the block's index in the prompt that computed it.
   */
  added(hash: number, slot?: number, depth?: number): void;
  removed(hash: number, slot?: number): void;
}
