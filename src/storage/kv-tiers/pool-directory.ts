/**
 * Mooncake's global KV index: which prefill instances hold which blocks (in HBM or DRAM), so an
 * instance can fetch a prefix from a peer over RDMA instead of recomputing it. Counts per
 * (block, owner) because one owner may hold a block in two tiers at once.
 */
export class PoolDirectory {
  /** hash -> owners (instance indices), with a per-owner count of the tiers holding it. */
  private readonly holders = new Map<number, Map<number, number>>();
  /** Bumped whenever a holder set changes (memoised choices are then stale). */
  private version = 0;
  /**
   * The two best holders of each hash asked since the holders and the loads last changed. A
   * routing decision estimates the same prompt on every instance, and all of them but the winner
   * itself get the same peer: one scan of the holders per block instead of one per instance.
   */
  private readonly memo = new Map<number, { best: number; second: number }>();
  private memoVersion = -1;
  private memoLoads = -1;
  private memoChoice: 'least_loaded' | 'lowest_index' | undefined;

  added(hash: number, owner: number): void {
    this.version++;
    let m = this.holders.get(hash);
    if (!m) {
      m = new Map();
      this.holders.set(hash, m);
    }
    m.set(owner, (m.get(owner) ?? 0) + 1);
  }

  removed(hash: number, owner: number): void {
    this.version++;
    const m = this.holders.get(hash);
    const n = m?.get(owner);
    if (!m || n === undefined) return;
    if (n > 1) m.set(owner, n - 1);
    else {
      m.delete(owner);
      if (m.size === 0) this.holders.delete(hash);
    }
  }

  /**
   * The holder other than `self` whose NIC carries the fewest flows now (ties to the lowest
   * index), so hot blocks are served by every replica instead of piling on one NIC; -1 if none.
   * `loadsVersion` changes whenever any `load` value may have (the network's flow counts): until
   * then, and while the holders stay the same, the answer is memoised.
   */
  leastLoadedHolder(hash: number, self: number, load: (owner: number) => number, loadsVersion: number): number {
    const m = this.holders.get(hash);
    if (!m) return -1;
    this.validate('least_loaded', loadsVersion);
    let two = this.memo.get(hash);
    if (!two) {
      two = bestTwo(m.keys(), load);
      this.memo.set(hash, two);
    }
    return two.best !== self ? two.best : two.second;
  }

  /** An instance other than `self` holding `hash` (the lowest index, for determinism), or -1. */
  peerHolding(hash: number, self: number): number {
    const m = this.holders.get(hash);
    if (!m) return -1;
    this.validate('lowest_index', 0);
    let two = this.memo.get(hash);
    if (!two) {
      two = bestTwo(m.keys(), () => 0);
      this.memo.set(hash, two);
    }
    return two.best !== self ? two.best : two.second;
  }

  private validate(choice: 'least_loaded' | 'lowest_index', loadsVersion: number): void {
    if (this.memoVersion === this.version && this.memoLoads === loadsVersion && this.memoChoice === choice) return;
    this.memo.clear();
    this.memoVersion = this.version;
    this.memoLoads = loadsVersion;
    this.memoChoice = choice;
  }
}

/**
 * The least and second least of `holders` by (load, index): the least one other than any given
 * instance is the first, or the second if that instance is the first.
 */
function bestTwo(holders: Iterable<number>, load: (owner: number) => number): { best: number; second: number } {
  let best = -1;
  let bestLoad = Infinity;
  let second = -1;
  let secondLoad = Infinity;
  for (const owner of holders) {
    const l = load(owner);
    if (l < bestLoad || (l === bestLoad && owner < best)) {
      second = best;
      secondLoad = bestLoad;
      best = owner;
      bestLoad = l;
    } else if (l < secondLoad || (l === secondLoad && (second < 0 || owner < second))) {
      second = owner;
      secondLoad = l;
    }
  }
  return { best, second };
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
