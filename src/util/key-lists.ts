import { grownInt32, IntTable } from './int-table.js';

/** Slot is in no list. */
export const NO_LIST = -1;

/**
 * Numeric keys, each in at most one of a few FIFO lists (doubly linked through typed-array
 * columns indexed by the key's slot): O(1) append, unlink anywhere and pop-head, no allocation.
 * A key may stay in the table while in no list (e.g. an eviction policy's pinned key keeps its
 * history). Order within a list is append order: deterministic.
 */
export class KeyLists extends IntTable {
  private next = new Int32Array(this.slotCapacity);
  private prev = new Int32Array(this.slotCapacity);
  /** List of each slot, or NO_LIST. */
  private listOf = new Int32Array(this.slotCapacity);
  private readonly heads: Int32Array;
  private readonly tails: Int32Array;
  private readonly sizes: Int32Array;

  /** `expected`: keys it will likely hold (see IntTable). */
  constructor(lists: number, expected = 0) {
    super(expected);
    this.heads = new Int32Array(lists).fill(-1);
    this.tails = new Int32Array(lists).fill(-1);
    this.sizes = new Int32Array(lists);
  }

  protected override slotsGrown(capacity: number): void {
    this.next = grownInt32(this.next, capacity);
    this.prev = grownInt32(this.prev, capacity);
    this.listOf = grownInt32(this.listOf, capacity);
  }

  /** Slot of `key`, inserted (in no list) if absent. */
  slotOf(key: number): number {
    const s = this.insert(key);
    if (this.inserted) this.listOf[s] = NO_LIST;
    return s;
  }

  listAt(slot: number): number {
    return this.listOf[slot];
  }

  length(list: number): number {
    return this.sizes[list];
  }

  /** Oldest slot of `list`, or -1. */
  head(list: number): number {
    return this.heads[list];
  }

  /** Appends `slot` (in no list) at the tail of `list`. */
  append(slot: number, list: number): void {
    const t = this.tails[list];
    this.prev[slot] = t;
    this.next[slot] = -1;
    if (t < 0) this.heads[list] = slot;
    else this.next[t] = slot;
    this.tails[list] = slot;
    this.listOf[slot] = list;
    this.sizes[list]++;
  }

  /** Takes `slot` out of its list (if any); it stays in the table. */
  unlink(slot: number): void {
    const list = this.listOf[slot];
    if (list === NO_LIST) return;
    const p = this.prev[slot];
    const n = this.next[slot];
    if (p < 0) this.heads[list] = n;
    else this.next[p] = n;
    if (n < 0) this.tails[list] = p;
    else this.prev[n] = p;
    this.listOf[slot] = NO_LIST;
    this.sizes[list]--;
  }

  /** Unlinks and removes `key` from the table; false if absent. */
  drop(key: number): boolean {
    const s = this.find(key);
    if (s < 0) return false;
    this.unlink(s);
    this.remove(key);
    return true;
  }
}
