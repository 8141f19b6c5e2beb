import { grownInt32, IntTable } from '../util/int-table.js';

/**
 * Which instance positions hold each block hash: a typed-array hash table from hash to a singly
 * linked list of positions (nodes in typed arrays, recycled). Every block any instance computes
 * passes through here, millions over a production day: no array or Map entry per block.
 * Lists are short (one entry per holding instance) and unordered.
 */
export class HolderLists extends IntTable {
  /** Per hash slot: first node, or -1. */
  private first = new Int32Array(this.slotCapacity);
  /** Per node: the position it stands for and its neighbours (-1: none). */
  private nodePosition = new Int32Array(64);
  private nodeNext = new Int32Array(64);
  private nodePrev = new Int32Array(64);
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
  }

  /** `slot` ≥ 0: the holder's id for the block (pass the same to `delete`); -1: none. */
  add(hash: number, position: number, slot = -1): void {
    const s = this.insert(hash);
    if (this.inserted) this.first[s] = -1;
    const node = this.newNode();
    this.nodePosition[node] = position;
    const head = this.first[s];
    this.nodeNext[node] = head;
    this.nodePrev[node] = -1;
    if (head >= 0) this.nodePrev[head] = node;
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
    if (node < 0) {
      for (let n = this.first[s]; n >= 0; n = this.nodeNext[n]) {
        if (this.nodePosition[n] === position) {
          node = n;
          break;
        }
      }
      if (node < 0) return;
    }
    const prev = this.nodePrev[node];
    const next = this.nodeNext[node];
    if (prev < 0) this.first[s] = next;
    else this.nodeNext[prev] = next;
    if (next >= 0) this.nodePrev[next] = prev;
    this.nodeNext[node] = this.freeNode;
    this.freeNode = node;
    if (this.first[s] < 0) this.remove(hash);
  }

  /** How many positions hold `hash`, counting no further than `limit` (cheap for a popular hash). */
  countUpTo(hash: number, limit: number): number {
    const s = this.find(hash);
    if (s < 0) return 0;
    let n = 0;
    for (let node = this.first[s]; node >= 0 && n <= limit; node = this.nodeNext[node]) n++;
    return n;
  }

  /** Sets `marks[p] = stamp` for every position p holding `hash`. */
  mark(hash: number, marks: Int32Array, stamp: number): void {
    const s = this.find(hash);
    if (s < 0) return;
    for (let node = this.first[s]; node >= 0; node = this.nodeNext[node]) marks[this.nodePosition[node]] = stamp;
  }

  /** Writes the positions holding `hash` into `out` from index `at` on; returns how many. */
  collect(hash: number, out: number[], at = out.length): number {
    const s = this.find(hash);
    if (s < 0) return 0;
    let n = 0;
    for (let node = this.first[s]; node >= 0; node = this.nodeNext[node]) out[at + n++] = this.nodePosition[node];
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
      this.freeNode = this.nodeNext[node];
      return node;
    }
    if (this.nodesUsed === this.nodePosition.length) {
      this.nodePosition = grownInt32(this.nodePosition, 2 * this.nodesUsed);
      this.nodeNext = grownInt32(this.nodeNext, 2 * this.nodesUsed);
      this.nodePrev = grownInt32(this.nodePrev, 2 * this.nodesUsed);
    }
    return this.nodesUsed++;
  }
}
