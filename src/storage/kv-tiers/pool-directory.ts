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

  /** An instance other than `self` holding `hash` (the lowest index, for determinism), or -1. */
  peerHolding(hash: number, self: number): number {
    const m = this.holders.get(hash);
    if (!m) return -1;
    let best = -1;
    for (const owner of m.keys()) if (owner !== self && (best < 0 || owner < best)) best = owner;
    return best;
  }
}

/** Told when a tier gains or loses a block (the pool directory listens). */
export interface CacheListener {
  added(hash: number): void;
  removed(hash: number): void;
}
