import { grownInt32, IntTable } from './int-table.js';

/** Slot is in no list. */
export const NO_LIST = -1;

/** Offsets in a slot's link record. */
const NEXT = 0;
const PREV = 1;
const LIST = 2;
/** A subclass's own words (see KeyLists.word): the first. */
const WORDS = 3;

/**
 * Numeric keys, each in at most one of a few FIFO lists (doubly linked through typed-array
 * columns indexed by the key's slot): O(1) append, unlink anywhere and pop-head, no allocation.
 * A key may stay in the table while in no list (e.g. an eviction policy's pinned key keeps its
 * history). Order within a list is append order: deterministic.
 */
export class KeyLists extends IntTable {
  /**
   * Per slot, interleaved in one column: [next, prev, list (or NO_LIST), words...] at stride·slot.
   * A slot's links share one 16- or 32-byte record (one cache line), not three columns' lines:
   * moving a key in a million-key list costs fewer cache misses. The words are a subclass's (see
   * `word`).
   */
  private links: Int32Array;
  /** Int32s per slot record: 4 (one subclass word) or 8 (up to five). */
  private readonly stride: number;
  private readonly heads: Int32Array;
  private readonly tails: Int32Array;
  private readonly sizes: Int32Array;

  /**
   * `expected`: keys it will likely hold (see IntTable); `words`: the subclass's words per slot
   * (1-5); `keysKeptElsewhere`: see IntTable.
   */
  constructor(lists: number, expected = 0, words = 1, keysKeptElsewhere = false) {
    super(expected, keysKeptElsewhere);
    if (!(words >= 1 && words <= 5)) throw new RangeError(`words must be 1 to 5, got ${words}`);
    this.stride = words === 1 ? 4 : 8;
    this.links = new Int32Array(this.stride * this.slotCapacity);
    this.heads = new Int32Array(lists).fill(-1);
    this.tails = new Int32Array(lists).fill(-1);
    this.sizes = new Int32Array(lists);
  }

  protected override slotsGrown(capacity: number): void {
    this.links = grownInt32(this.links, this.stride * capacity);
  }

  /** Slot of `key`, inserted (in no list) if absent. */
  slotOf(key: number): number {
    const s = this.insert(key);
    if (this.inserted) {
      const at = this.stride * s;
      this.links[at + LIST] = NO_LIST;
      for (let k = WORDS; k < this.stride; k++) this.links[at + k] = 0;
    }
    return s;
  }

  /**
   * The subclass's 32-bit word `k` of a slot (0 for a new key), kept in the slot's link record:
   * data read together with the links (a cache's per-block state) cost no cache miss of their own.
   */
  protected word(slot: number, k = 0): number {
    return this.links[this.stride * slot + WORDS + k];
  }

  protected setWord(slot: number, value: number, k = 0): void {
    this.links[this.stride * slot + WORDS + k] = value;
  }

  listAt(slot: number): number {
    return this.links[this.stride * slot + LIST];
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
    const at = this.stride * slot;
    l[at + PREV] = t;
    l[at + NEXT] = -1;
    l[at + LIST] = list;
    if (t < 0) this.heads[list] = slot;
    else l[this.stride * t + NEXT] = slot;
    this.tails[list] = slot;
    this.sizes[list]++;
  }

  /**
   * Takes `slot` out of its list (if any); it stays in the table. A head's `prev` is never read
   * (whether a slot is the head is told by `heads`), so taking the head leaves the new head's
   * `prev` stale: popping the oldest key (every eviction) touches its own record only, not its
   * successor's too (a cache miss per eviction in a large table).
   */
  unlink(slot: number): void {
    const l = this.links;
    const at = this.stride * slot;
    const list = l[at + LIST];
    if (list === NO_LIST) return;
    const n = l[at + NEXT];
    if (this.heads[list] === slot) {
      this.heads[list] = n;
      if (n < 0) this.tails[list] = -1;
    } else {
      const p = l[at + PREV];
      l[this.stride * p + NEXT] = n;
      if (n < 0) this.tails[list] = p;
      else l[this.stride * n + PREV] = p;
    }
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
