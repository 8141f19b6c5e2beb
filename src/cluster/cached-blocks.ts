import { grownFloat64, grownInt32, IntTable } from '../util/int-table.js';

/** A cached block's state (CachedBlocks.state): */
/** Not a block: a free slot (see CachedBlocks.takeSlot). Zero, so a fresh table's records are free without being written. */
const FREE = 0;
/** Computed (reusable), and the cache's listener was told (it hears of its eviction too). */
export const COMPUTED = 1;
/** Allocated, KV not computed yet. */
export const PENDING = 2;
/** Computed, too deep in its prompt for the listener (see PrefixCache's listenDepth): not told. */
export const UNLISTED = 3;

/** A record's meta word: users × USER + IN_LIST (in the candidates list) + state. */
const STATE_MASK = 3;
const IN_LIST = 4;
const USER = 8;

/** Int32s per record: [next, prev, key, meta] (16 bytes: four records per cache line). */
const STRIDE = 4;
const NEXT = 0;
const PREV = 1;
const KEY = 2;
const META = 3;

/** Largest cache (in blocks) whose slots are placed by hash (see `takeSlot`); larger ones take any free slot. */
const MAX_PLACED = 1 << 22;

/**
 * An HBM prefix cache's blocks by hash, each with one 16-byte record (the slot's): its number of
 * users (running requests), its state, its key (while every key is an int32), and its links in
 * the one list of eviction candidates (inline LRU: append at the tail, unlink anywhere, take the
 * head). Allocation, release and eviction read and update a block's record and nothing else by
 * slot, one cache line for four blocks. The recompute cost is a column by slot (`cost`).
 *
 * A block's slot is placed by its hash, as the table places its bucket (IntTable's groups): a
 * prompt's blocks have consecutive hashes and are allocated, computed, released and evicted
 * together, so their records sit side by side (see `takeSlot`). At a thousand instances the
 * tables outgrow the CPU caches, and each cache line a block's step touches is a miss.
 */
export class CachedBlocks extends IntTable {
  /** Slots: a power of two, at least twice the blocks the cache can hold (so a free one is near). */
  private readonly slotMask: number;
  private readonly slotShift: number;
  private readonly placed: boolean;
  private records: Int32Array;
  /** Recompute cost by slot (written only by caches that read it). */
  cost: Float64Array;
  private head = -1;
  private tail = -1;
  private listed = 0;
  /** Some key was not an int32: keys are read from the table (the KEY word does not hold them). */
  private wideKeys = false;

  /** `expected`: the blocks the cache can hold (its capacity). */
  constructor(expected: number) {
    super(expected, true);
    this.placed = Number.isFinite(expected) && expected <= MAX_PLACED;
    let slots = 16;
    while (this.placed && slots < 2 * expected) slots *= 2;
    this.slotMask = slots - 1;
    this.slotShift = 32 - Math.log2(slots);
    this.records = new Int32Array(STRIDE * this.slotCapacity);
    this.cost = new Float64Array(this.slotCapacity);
    if (this.placed) this.reserveSlots(slots);
  }

  protected override slotsGrown(capacity: number): void {
    this.records = grownInt32(this.records, STRIDE * capacity);
    this.cost = grownFloat64(this.cost, capacity);
  }

  /**
   * The first free slot from the key's home: an aligned group of 16 consecutive hashes shares a
   * run of 16 slots placed by hashing the group. (IntTable's default, the last slot freed, had a
   * prompt's records scattered over the table after hours of a production day: in a 2 h window,
   * consecutive blocks of a prompt held consecutive slots 48% of the time, 78% in the first 30 min.)
   */
  protected override takeSlot(key: number): number {
    if (!this.placed) return super.takeSlot(key);
    const mask = this.slotMask;
    let s =
      (key | 0) === key
        ? ((Math.imul(key >> 4, 0x9e3779b1) >>> this.slotShift) & ~15) | (key & 15)
        : Math.imul(((key % 4294967296) | 0) ^ ((key / 4294967296) | 0), 0x9e3779b1) >>> this.slotShift;
    s &= mask;
    const r = this.records;
    // Fewer blocks than half the slots are cached (the caller's capacity), so the loop is short;
    // the count only makes a broken caller fail instead of spin.
    for (let left = mask; (r[STRIDE * s + META] & STATE_MASK) !== FREE; left--) {
      if (left === 0) throw new RangeError(`CachedBlocks: all ${mask + 1} slots are taken`);
      s = (s + 1) & mask;
    }
    return s;
  }

  protected override freeSlot(slot: number): void {
    if (this.placed) this.records[STRIDE * slot + META] = FREE;
    else super.freeSlot(slot);
  }

  /** Inserts `key` (absent) as a newly allocated block: one user, not computed yet, in no list; returns its slot. */
  allocated(key: number): number {
    const s = this.insert(key);
    const at = STRIDE * s;
    this.records[at + META] = USER | PENDING;
    if ((key | 0) === key) this.records[at + KEY] = key;
    else this.wideKeys = true;
    return s;
  }

  users(slot: number): number {
    return this.records[STRIDE * slot + META] >> 3;
  }

  state(slot: number): number {
    return this.records[STRIDE * slot + META] & STATE_MASK;
  }

  /** Adds `n` (may be negative) to the block's users. */
  addUsers(slot: number, n: number): void {
    this.records[STRIDE * slot + META] += n * USER;
  }

  /**
   * The slot of `key` if it is cached with its KV computed (reusable), else -1: from the table's
   * bucket flag (set by `computed`), so a prefix match reads the buckets it probes and nothing else.
   */
  reusableSlot(key: number): number {
    return this.findFlagged(key);
  }

  /** The block `key` (at `slot`, pending) has its KV computed: `state` COMPUTED or UNLISTED. */
  computed(key: number, slot: number, state: number): void {
    const at = STRIDE * slot + META;
    this.records[at] = (this.records[at] & ~STATE_MASK) | state;
    this.setFlag(key);
  }

  /** The key of a live slot (from its record while every key is an int32). */
  keyOf(slot: number): number {
    return this.wideKeys ? this.keyAt(slot) : this.records[STRIDE * slot + KEY];
  }

  /** Eviction candidates listed (see `append`). */
  get candidates(): number {
    return this.listed;
  }

  /** The oldest candidate's slot, or -1. */
  oldest(): number {
    return this.head;
  }

  /** Appends `slot` (not listed) at the tail of the candidates. */
  append(slot: number): void {
    const r = this.records;
    const at = STRIDE * slot;
    const t = this.tail;
    r[at + PREV] = t;
    r[at + NEXT] = -1;
    r[at + META] |= IN_LIST;
    if (t < 0) this.head = slot;
    else r[STRIDE * t + NEXT] = slot;
    this.tail = slot;
    this.listed++;
  }

  /**
   * Takes `slot` out of the candidates (if listed). A head's `prev` is never read (head-ness is
   * `head`), so taking the head leaves the new head's `prev` stale: popping the oldest (every
   * eviction) touches its own record only.
   */
  unlink(slot: number): void {
    const r = this.records;
    const at = STRIDE * slot;
    if ((r[at + META] & IN_LIST) === 0) return;
    const n = r[at + NEXT];
    if (this.head === slot) {
      this.head = n;
      if (n < 0) this.tail = -1;
    } else {
      const p = r[at + PREV];
      r[STRIDE * p + NEXT] = n;
      if (n < 0) this.tail = p;
      else r[STRIDE * n + PREV] = p;
    }
    r[at + META] &= ~IN_LIST;
    this.listed--;
  }
}
