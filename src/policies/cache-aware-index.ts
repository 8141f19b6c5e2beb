import { IndexedHeap } from '../util/indexed-heap.js';
import { HolderLists } from './holder-lists.js';

/**
 * What makes cache_aware routing sublinear in the pool size (exactly the choice of a full scan):
 *
 * - Holders: which instances hold a prompt's first block with its KV computed. Only those can
 *   reuse any of the prompt (a lookup stops at the first missing block), so only those need a full
 *   TTFT estimate.
 * - Every other instance's estimate is the same closed form, queueDelay + prefillTime(prompt, 0),
 *   with queueDelay = backlog tokens × seconds per token (one prefill model for the pool). It grows
 *   with the integer backlog, strictly: distinct backlogs differ by ≥ one token's time, far above
 *   the rounding of a sum of seconds. So the best of them is the least (backlog, load, position),
 *   kept in an indexed heap, found by a best-first walk that skips holders.
 *
 * Valid only without KV tiers below HBM and without peer fetching (then any instance could load a
 * prefix); the cluster enables it only then, and otherwise the router scans every instance.
 */
export interface RoutingState {
  /** Prompt tokens queued or computing (integers). */
  backlogTokens(): number;
  load(): number;
}

/** The pool's one prefill model, for lower bounds of estimates (see CacheAwareRouter). */
export interface PoolModel {
  /** Queue delay per backlog token (every instance's queueDelay = backlog × this). */
  readonly secondsPerToken: number;
  prefillTime(newTokens: number, contextTokens: number): number;
}

/** Default depth of the holder index, in blocks (see CacheAwareIndex's indexedDepth). */
export const INDEXED_DEPTH = 8;

/** Holder lists longer than this are kept as collected (see CacheAwareIndex.collectHolders). */
const KEEP_LISTS_ABOVE = 32;
/** Most lists kept at once (all are dropped when a new one would pass it: a bound, not an LRU). */
const KEPT_LISTS_MAX = 4096;

export class CacheAwareIndex {
  /** Block hash -> positions of instances holding it computed. */
  private readonly holders = new HolderLists();
  /** Positions by (backlog, load, position); `slot[p]` = where p sits. */
  private readonly heap = new IndexedHeap<number>(
    (a, b) => this.less(a, b),
    (p, at) => {
      this.slot[p] = at;
    },
  );
  private readonly slot: Int32Array;
  private readonly backlog: Float64Array;
  private readonly loads: Float64Array;
  private readonly frontier = new IndexedHeap<number>((a, b) => this.less(this.heap.items[a], this.heap.items[b]));
  private readonly candidates: number[] = [];

  constructor(
    private readonly instances: readonly RoutingState[],
    readonly model: PoolModel,
    /**
     * Blocks this deep in a prompt and beyond are not indexed: holdingDepth looks no further (a
     * shared system prompt is a few blocks, and the first block past it is what bounds its
     * holders), and most of a long prompt's blocks then cost no index update when computed or
     * evicted.
     */
    private readonly indexedDepth = INDEXED_DEPTH,
  ) {
    const n = instances.length;
    this.slot = new Int32Array(n);
    this.marked = new Int32Array(n);
    this.deep = new Int32Array(n);
    this.backlog = new Float64Array(n);
    this.loads = new Float64Array(n);
    for (let p = 0; p < n; p++) {
      this.backlog[p] = instances[p].backlogTokens();
      this.loads[p] = instances[p].load();
      this.heap.items.push(p);
    }
    this.heap.heapify();
  }

  /**
   * The instance at `position` computed block `hash` (it may now be reused there); `slot`: its
   * cache's id for the block; `depth`: the block's index in its prompt (deep blocks are not kept).
   */
  added(position: number, hash: number, slot = -1, depth = 0): void {
    if (depth < this.indexedDepth) this.holders.add(hash, position, slot);
  }

  /** The instance at `position` evicted block `hash` (`slot` as given to `added`). */
  removed(position: number, hash: number, slot = -1): void {
    this.holders.delete(hash, position, slot);
  }

  /** The instance at `position` changed its backlog or load. */
  changed(position: number): void {
    const inst = this.instances[position];
    const backlog = inst.backlogTokens();
    const load = inst.load();
    // Told at every step and hand-off, often with nothing changed: then the heap stays as it is.
    if (backlog === this.backlog[position] && load === this.loads[position]) return;
    this.backlog[position] = backlog;
    this.loads[position] = load;
    this.heap.fix(this.slot[position]);
  }

  /** A lower bound of instance `position`'s queue delay (its backlog's time). */
  queueDelay(position: number): number {
    return this.backlog[position] * this.model.secondsPerToken;
  }

  /** The best instance not holding the prompt's first block (from the last candidatesFor call). */
  bestOther = -1;

  /**
   * Positions that can win for a prompt whose first full block is `firstHash` (undefined: the
   * prompt has no full block): its holders and the best of the rest (last), in no particular order.
   * Returns how many; they are `candidate(0 .. count − 1)`, valid until the next call.
   */
  candidatesFor(firstHash: number | undefined): number {
    // Written by index into a list that keeps its length: emptying an array (length = 0) drops its
    // storage, and growing it again to hundreds of holders, per request, fed the GC.
    const out = this.candidates;
    const held = firstHash === undefined ? 0 : this.collectHolders(firstHash, out);
    const mark = ++this.markStamp;
    for (let i = 0; i < held; i++) this.marked[out[i]] = mark;
    const best = this.bestExcluding(held > 0 ? mark : 0);
    this.bestOther = best;
    if (best < 0) return held;
    out[held] = best;
    return held + 1;
  }

  /**
   * The holders of `hash` written into `out` from 0 (returns how many), in the lists' order. A
   * popular system prompt's first block has hundreds of holders, its list's nodes are scattered
   * (a cache miss each), and it is asked for by every request of that prompt while it rarely
   * changes: a long list is kept as collected, with its version, and copied while unchanged.
   */
  private collectHolders(hash: number, out: number[]): number {
    const version = this.holders.version(hash);
    if (version === 0) return 0;
    const kept = this.keptLists.get(hash);
    if (kept !== undefined && kept.version === version) {
      const positions = kept.positions;
      for (let i = 0; i < positions.length; i++) out[i] = positions[i];
      return positions.length;
    }
    const n = this.holders.collect(hash, out, 0);
    if (n > KEEP_LISTS_ABOVE) {
      if (kept === undefined && this.keptLists.size >= KEPT_LISTS_MAX) this.keptLists.clear();
      const positions = new Int32Array(n);
      for (let i = 0; i < n; i++) positions[i] = out[i];
      this.keptLists.set(hash, { version, positions });
    }
    return n;
  }

  /** Long holder lists as last collected, by hash, with their HolderLists version. */
  private readonly keptLists = new Map<number, { version: number; positions: Int32Array }>();

  /** Candidate `i` of the last candidatesFor call. */
  candidate(i: number): number {
    return this.candidates[i];
  }

  /** Whether `a` comes before `b` in (backlog, load, position) order: the router's tie order. */
  precedes(a: number, b: number): boolean {
    return this.less(a, b);
  }

  /** Whether `position` holds the first block of the prompt of the last candidatesFor call. */
  holdsFirst(position: number): boolean {
    return this.marked[position] === this.markStamp;
  }

  /**
   * The first prompt block k in [1, full) (and below the indexed depth) held (computed) by at most
   * `few` instances, marking them (see holdsDepth), or `full` if there is none. An instance not holding block k reuses at
   * most k blocks of the prompt (a prefix match stops at the first missing block): with a popular
   * system prompt, k is the first block past it, so its hundreds of holders are bounded by it.
   */
  holdingDepth(hashes: readonly number[], full: number, few: number): number {
    const last = Math.min(full, this.indexedDepth);
    for (let k = 1; k < last; k++) {
      if (this.holders.countUpTo(hashes[k], few) > few) continue;
      this.holders.mark(hashes[k], this.deep, ++this.deepStamp);
      return k;
    }
    return full;
  }

  /** Whether `position` holds the block found by the last holdingDepth call. */
  holdsDepth(position: number): boolean {
    return this.deep[position] === this.deepStamp;
  }

  /** Instance `position`'s queue delay as it computes it (its backlog now × seconds per token). */
  exactQueueDelay(position: number): number {
    return this.instances[position].backlogTokens() * this.model.secondsPerToken;
  }
  /** `marked[p] === markStamp`: p holds the current prompt's first block (no clearing between prompts). */
  private readonly marked: Int32Array;
  private markStamp = 0;
  /** `deep[p] === deepStamp`: p holds the block of the last holdingDepth call. */
  private readonly deep: Int32Array;
  private deepStamp = 0;

  /** Least (backlog, load, position) not marked with `mark` (0: none): best-first walk from the heap's root. */
  private bestExcluding(mark: number): number {
    const h = this.heap.items;
    if (h.length === 0) return -1;
    const skip = (p: number) => mark !== 0 && this.marked[p] === mark;
    if (!skip(h[0])) return h[0];
    // Best-first walk: a frontier of heap indices, least first, holding the children of each visited one.
    const f = this.frontier;
    f.clear();
    f.push(0);
    while (f.size > 0) {
      const s = f.pop();
      if (!skip(h[s])) return h[s];
      if (2 * s + 1 < h.length) f.push(2 * s + 1);
      if (2 * s + 2 < h.length) f.push(2 * s + 2);
    }
    return -1;
  }

  private less(a: number, b: number): boolean {
    const ba = this.backlog[a];
    const bb = this.backlog[b];
    if (ba !== bb) return ba < bb;
    const la = this.loads[a];
    const lb = this.loads[b];
    if (la !== lb) return la < lb;
    return a < b;
  }
}
