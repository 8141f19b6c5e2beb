import { grownInt32, IntTable } from './int-table.js';

/** Slot is in no list. */
export const NO_LIST = -1;

/** Offsets in a slot's link record. */
const NEXT = 0;
const PREV = 1;
const LIST = 2;
/** A subclass's own word (see KeyLists.word). */
const WORD = 3;

/**
 * Numeric keys, each in at most one of a few FIFO lists (doubly linked through typed-array
 * columns indexed by the key's slot): O(1) append, unlink anywhere and pop-head, no allocation.
 * A key may stay in the table while in no list (e.g. an eviction policy's pinned key keeps its
 * history). Order within a list is append order: deterministic.
 */
export class KeyLists extends IntTable {
  /**
   * Per slot, interleaved in one column: [next, prev, list (or NO_LIST), word] at 4·slot. A slot's
   * links share one 16-byte record (one cache line), not three columns' lines: moving a key in a
   * million-key list costs fewer cache misses. `word` is a subclass's (see `word`).
   */
  private links = new Int32Array(4 * this.slotCapacity);
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
    this.links = grownInt32(this.links, 4 * capacity);
  }

  /** Slot of `key`, inserted (in no list) if absent. */
  slotOf(key: number): number {
    const s = this.insert(key);
    if (this.inserted) {
      this.links[4 * s + LIST] = NO_LIST;
      this.links[4 * s + WORD] = 0;
    }
    return s;
  }

  /**
   * A 32-bit word of the subclass's own per slot (0 for a new key), kept in the slot's link record:
   * data read together with the links (a cache's per-block state) cost no cache miss of their own.
   */
  protected word(slot: number): number {
    return this.links[4 * slot + WORD];
  }

  protected setWord(slot: number, value: number): void {
    this.links[4 * slot + WORD] = value;
  }

  listAt(slot: number): number {
    return this.links[4 * slot + LIST];
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
    const l = this.links;
    const t = this.tails[list];
    const at = 4 * slot;
    l[at + PREV] = t;
    l[at + NEXT] = -1;
    l[at + LIST] = list;
    if (t < 0) this.heads[list] = slot;
    else l[4 * t + NEXT] = slot;
    this.tails[list] = slot;
    this.sizes[list]++;
  }

  /** Takes `slot` out of its list (if any); it stays in the table. */
  unlink(slot: number): void {
    const l = this.links;
    const at = 4 * slot;
    const list = l[at + LIST];
    if (list === NO_LIST) return;
    const p = l[at + PREV];
    const n = l[at + NEXT];
    if (p < 0) this.heads[list] = n;
    else l[4 * p + NEXT] = n;
    if (n < 0) this.tails[list] = p;
    else l[4 * n + PREV] = p;
    l[at + LIST] = NO_LIST;
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
