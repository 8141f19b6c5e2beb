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
  /** Per node: the position it stands for and the next node (-1: end). */
  private nodePosition = new Int32Array(64);
  private nodeNext = new Int32Array(64);
  private freeNode = -1;
  private nodesUsed = 0;

  protected override slotsGrown(capacity: number): void {
    this.first = grownInt32(this.first, capacity);
  }

  add(hash: number, position: number): void {
    const s = this.insert(hash);
    if (this.inserted) this.first[s] = -1;
    const node = this.newNode();
    this.nodePosition[node] = position;
    this.nodeNext[node] = this.first[s];
    this.first[s] = node;
  }

  /** Removes one entry of `position` under `hash` (if any). */
  delete(hash: number, position: number): void {
    const s = this.find(hash);
    if (s < 0) return;
    let prev = -1;
    for (let node = this.first[s]; node >= 0; prev = node, node = this.nodeNext[node]) {
      if (this.nodePosition[node] !== position) continue;
      if (prev < 0) this.first[s] = this.nodeNext[node];
      else this.nodeNext[prev] = this.nodeNext[node];
      this.nodeNext[node] = this.freeNode;
      this.freeNode = node;
      if (this.first[s] < 0) this.remove(hash);
      return;
    }
  }

  /** Appends the positions holding `hash` to `out`; returns how many. */
  collect(hash: number, out: number[]): number {
    const s = this.find(hash);
    if (s < 0) return 0;
    let n = 0;
    for (let node = this.first[s]; node >= 0; node = this.nodeNext[node]) {
      out.push(this.nodePosition[node]);
      n++;
    }
    return n;
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

  private newNode(): number {
    if (this.freeNode >= 0) {
      const node = this.freeNode;
      this.freeNode = this.nodeNext[node];
      return node;
    }
    if (this.nodesUsed === this.nodePosition.length) {
      this.nodePosition = grownInt32(this.nodePosition, 2 * this.nodesUsed);
      this.nodeNext = grownInt32(this.nodeNext, 2 * this.nodesUsed);
    }
    return this.nodesUsed++;
  }
}
