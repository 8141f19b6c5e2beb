import { grownFloat64, grownInt32, IntTable } from '../util/int-table.js';

/** Int32s per node in HolderLists' nodes, and the offset of each field. */
const NODE = 3;
const POSITION = 0;
const NEXT = 1;
const PREV = 2;

/**
 * Which instance positions hold each block hash: a typed-array hash table from hash to a singly
 * linked list of positions (nodes in typed arrays, recycled). Every block any instance computes
 * passes through here, millions over a production day: no array or Map entry per block.
 * Lists are short (one entry per holding instance) and unordered.
 */
export class HolderLists extends IntTable {
  /** Per hash slot: first node, or -1. */
  private first = new Int32Array(this.slotCapacity);
  /** Per hash slot: the list's length (countUpTo without walking a popular hash's list). */
  private counts = new Int32Array(this.slotCapacity);
  /** Per hash slot: `clock` at the list's last change (see `version`). */
  private stamps = new Float64Array(this.slotCapacity);
  /** Counts list changes (adds and deletes) over all hashes: a version no other list ever had. */
  private clock = 0;
  /**
   * Per node n: the position it stands for at 3n, its neighbours at 3n + 1 (next) and 3n + 2
   * (prev), -1: none. Side by side, so walking a list costs one cache miss per node, not two.
   */
  private nodes = new Int32Array(NODE * 64);
  private freeNode = -1;
  private nodesUsed = 0;
  /**
   * Per position, per holder slot (the holder's own small id for the block, fixed while it keeps
   * it): the node, or -1. Lets `delete` unlink in O(1) instead of walking a popular hash's list of
   * hundreds of holders.
   */
  private readonly nodeAt: (Int32Array | undefined)[] = [];

  protected override slotsGrown(capacity: number): void {
    this.first = grownInt32(this.first, capacity);
    this.counts = grownInt32(this.counts, capacity);
    this.stamps = grownFloat64(this.stamps, capacity);
  }

  /**
   * A number that changes whenever `hash`'s list does (and differs from any other hash's list's,
   * past or present), 0 if no position holds it: equal versions of a hash mean the same list in
   * the same order, so a caller may keep what it collected.
   */
  version(hash: number): number {
    const s = this.find(hash);
    return s < 0 ? 0 : this.stamps[s];
  }

  /** `slot` ≥ 0: the holder's id for the block (pass the same to `delete`); -1: none. */
  add(hash: number, position: number, slot = -1): void {
    const s = this.insert(hash);
    if (this.inserted) {
      this.first[s] = -1;
      this.counts[s] = 0;
    }
    this.counts[s]++;
    this.stamps[s] = ++this.clock;
    const node = this.newNode();
    const nodes = this.nodes;
    const head = this.first[s];
    nodes[NODE * node + POSITION] = position;
    nodes[NODE * node + NEXT] = head;
    nodes[NODE * node + PREV] = -1;
    if (head >= 0) nodes[NODE * head + PREV] = node;
    this.first[s] = node;
    if (slot >= 0) this.slotsOf(position, slot)[slot] = node;
  }

  /** Removes one entry of `position` under `hash` (if any); `slot` as given to `add`. */
  delete(hash: number, position: number, slot = -1): void {
    let node = -1;
    if (slot >= 0) {
      // Checked before the hash lookup: most blocks a holder drops may never have been added.
      const at = this.nodeAt[position];
      if (at === undefined || slot >= at.length || at[slot] < 0) return;
      node = at[slot];
      at[slot] = -1;
    }
    const s = this.find(hash);
    if (s < 0) return;
    const nodes = this.nodes;
    if (node < 0) {
      for (let n = this.first[s]; n >= 0; n = nodes[NODE * n + NEXT]) {
        if (nodes[NODE * n + POSITION] === position) {
          node = n;
          break;
        }
      }
      if (node < 0) return;
    }
    const prev = nodes[NODE * node + PREV];
    const next = nodes[NODE * node + NEXT];
    if (prev < 0) this.first[s] = next;
    else nodes[NODE * prev + NEXT] = next;
    if (next >= 0) nodes[NODE * next + PREV] = prev;
    nodes[NODE * node + NEXT] = this.freeNode;
    this.freeNode = node;
    this.counts[s]--;
    this.stamps[s] = ++this.clock;
    if (this.first[s] < 0) this.remove(hash);
  }

  /** How many positions hold `hash`, counting no further than `limit` (cheap for a popular hash). */
  countUpTo(hash: number, limit: number): number {
    const s = this.find(hash);
    return s < 0 ? 0 : Math.min(this.counts[s], limit + 1);
  }

  /** Sets `marks[p] = stamp` for every position p holding `hash`. */
  mark(hash: number, marks: Int32Array, stamp: number): void {
    const s = this.find(hash);
    if (s < 0) return;
    const nodes = this.nodes;
    for (let node = this.first[s]; node >= 0; node = nodes[NODE * node + NEXT]) marks[nodes[NODE * node + POSITION]] = stamp;
  }

  /** Writes the positions holding `hash` into `out` from index `at` on; returns how many. */
  collect(hash: number, out: number[], at = out.length): number {
    const s = this.find(hash);
    if (s < 0) return 0;
    let n = 0;
    const nodes = this.nodes;
    for (let node = this.first[s]; node >= 0; node = nodes[NODE * node + NEXT]) out[at + n++] = nodes[NODE * node + POSITION];
    return n;
  }

  /** Position's slot -> node column, grown to hold `slot`. */
  private slotsOf(position: number, slot: number): Int32Array {
    let at = this.nodeAt[position];
    if (at === undefined || slot >= at.length) {
      const grown = new Int32Array(Math.max(64, 2 * slot + 2, at ? 2 * at.length : 0)).fill(-1);
      if (at) grown.set(at);
      at = grown;
      while (this.nodeAt.length <= position) this.nodeAt.push(undefined);
      this.nodeAt[position] = at;
    }
    return at;
  }

  private newNode(): number {
    if (this.freeNode >= 0) {
      const node = this.freeNode;
      this.freeNode = this.nodes[NODE * node + NEXT];
      return node;
    }
    if (NODE * this.nodesUsed === this.nodes.length) this.nodes = grownInt32(this.nodes, NODE * 2 * this.nodesUsed);
    return this.nodesUsed++;
  }
}
