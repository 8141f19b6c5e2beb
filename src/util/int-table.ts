/**
 * Hash tables of numeric keys (block hashes) on typed arrays, for the cache tiers' hot paths.
 *
 * Why not JS Map / Set: a tier of a million blocks is a million-entry Map, and its bookkeeping
 * (LRU move-to-tail = delete + re-insert, per-key record objects) made V8 rehash and reallocate
 * the whole table over and over and keep the GC busy: at 100k requests on scenarios/large.yaml
 * Map/Set operations and GC took about half the run (profiled with --cpu-prof). Here a key lives in
 * one *slot* (a dense index, stable while the key is present) and users keep per-key data in
 * typed-array columns indexed by slot, so an update allocates nothing. Typed arrays also have no
 * 2^24-entry limit (a JS Map's), so one table holds a production day's blocks.
 *
 * Open addressing with linear probing and backward-shift deletion (no tombstones); each bucket is
 * a (tag, slot + 1) pair of 32-bit integers, 8 bytes, so a probe touches one cache line and a
 * group of consecutive keys (see `homeOf`) shares one. The tag of an int32 key is the key itself:
 * while every key ever inserted is an int32 (block hashes usually are), a tag match is a key match.
 * Other keys are tagged by a 32-bit hash and, once the table has held one, every match is confirmed
 * against the slot's key. Load factor <= 1/2. Keys may be any numbers but NaN (-0 equals 0, as in a
 * Map). No iteration order is promised.
 */
const scratch = new Float64Array(1);
const scratchWords = new Uint32Array(scratch.buffer);

/** Consecutive integer keys share a run of 2^GROUP_BITS buckets (see `homeOf`). */
const GROUP_BITS = 4;
const GROUP_MASK = (1 << GROUP_BITS) - 1;

/**
 * Home bucket of `key` in a table of 2^(32 - shift) buckets. Block hashes are often consecutive
 * integers (the synthetic workload and the Mooncake traces number blocks in order, and a request's
 * new blocks are numbered together), and a request looks its blocks up one after the other: so
 * an aligned group of 16 consecutive integers keeps its order in one aligned run of 16 buckets
 * (128 bytes) placed by Fibonacci hashing of the group number. A prefix of 20 blocks then touches
 * a few cache lines of a million-block table instead of 20 (the tiers' lookups were bound by cache
 * and TLB misses). Groups of 8 and 32 measured slower. Other keys are mixed whole.
 */
function homeOf(key: number, shift: number): number {
  if ((key | 0) === key) return ((Math.imul(key >> GROUP_BITS, 0x9e3779b1) >>> shift) & ~GROUP_MASK) | (key & GROUP_MASK);
  return Math.imul(wideHash(key), 0x9e3779b1) >>> shift;
}

/** 32 bits mixed from both words of a key that is not an int32. */
function wideHash(key: number): number {
  scratch[0] = key;
  return scratchWords[0] ^ Math.imul(scratchWords[1], 0x85ebca6b);
}

/** A bucket's tag for `key`: the key itself if it is an int32, else a hash (confirmed by slot key). */
function tagOf(key: number): number {
  return (key | 0) === key ? key | 0 : wideHash(key) | 0;
}

/**
 * A bucket's second word is its slot + 1, and this bit, a per-key flag of the table's user (see
 * `findFlagged`): it moves with its entry, so a lookup that needs to know one fact about a key
 * reads it from the bucket it probes, not from a column by slot (another cache miss).
 */
const FLAG = 1 << 30;
const SLOT_PLUS_ONE = FLAG - 1;

/** At least one group's run of buckets. */
const MIN_BUCKETS = 16;
const MIN_SLOTS = 8;
/** Largest size hint honoured up front (beyond it the table grows as keys arrive). */
const MAX_HINT = 1 << 24;

export class IntTable {
  /** [tag, slot + 1 (| FLAG)] per bucket; 0 marks an empty bucket. */
  private buckets: Int32Array;
  /** Every key inserted so far was an int32: tags are the keys (no slot-key check needed). */
  private intKeys = true;
  private mask: number;
  /** Fibonacci hashing: the bucket is the top log2(buckets) bits of the 32-bit hash. */
  private shift: number;
  /**
   * slot -> key. Not written while `keysLater` holds (see the constructor): filled from the
   * buckets' tags when first needed.
   */
  private slotKeys: Float64Array;
  private keysLater: boolean;
  /** Freed slots, reused before new ones (LIFO). */
  private freeSlots: Int32Array;
  private freeCount = 0;
  /** Slots ever handed out: 0 .. highWater - 1. */
  private highWater = 0;
  private count = 0;

  /**
   * `expected`: keys the table will likely hold (e.g. a tier's capacity), sized for up front.
   * `keysKeptElsewhere`: the subclass keeps int32 keys in its own per-slot records and reads them
   * there, so the table writes its slot -> key column only once a key is not an int32 or `keyAt`
   * or `entries` is first called (until then the bucket tags are the keys): an insert into a
   * table of tens of thousands of keys then skips a write to a cold cache line.
   */
  constructor(expected = 0, keysKeptElsewhere = false) {
    this.keysLater = keysKeptElsewhere;
    const hint = Number.isFinite(expected) ? Math.min(MAX_HINT, Math.max(0, Math.ceil(expected))) : 0;
    let buckets = MIN_BUCKETS;
    while (buckets < 2 * hint) buckets *= 2;
    this.buckets = new Int32Array(2 * buckets);
    this.mask = buckets - 1;
    this.shift = 32 - Math.log2(buckets);
    this.slotKeys = new Float64Array(Math.max(MIN_SLOTS, hint));
    this.freeSlots = new Int32Array(MIN_SLOTS);
  }

  get size(): number {
    return this.count;
  }

  /** Slots the per-slot columns must hold (grows; see `slotsGrown`). */
  get slotCapacity(): number {
    return this.slotKeys.length;
  }

  /** Key stored in `slot` (a live slot). */
  keyAt(slot: number): number {
    if (this.keysLater) this.storeKeys();
    return this.slotKeys[slot];
  }

  has(key: number): boolean {
    return this.find(key) >= 0;
  }

  /** The key's slot, or -1 if absent. */
  find(key: number): number {
    return (this.buckets[2 * this.probe(key) + 1] & SLOT_PLUS_ONE) - 1;
  }

  /** The key's slot if it is present with its flag set (see FLAG), else -1. */
  protected findFlagged(key: number): number {
    const w = this.buckets[2 * this.probe(key) + 1];
    return (w & FLAG) === 0 ? -1 : (w & SLOT_PLUS_ONE) - 1;
  }

  /** Sets the flag of `key` (present; a new key's is clear). */
  protected setFlag(key: number): void {
    this.buckets[2 * this.probe(key) + 1] |= FLAG;
  }

  /**
   * Linear probing from the key's home bucket: the bucket holding the key, or the empty bucket
   * that ends its probe run (where it would be inserted). Small enough for V8 to inline.
   */
  private probe(key: number): number {
    const b = this.buckets;
    const mask = this.mask;
    let i = homeOf(key, this.shift);
    if (this.intKeys && (key | 0) === key) {
      while (b[2 * i + 1] !== 0 && b[2 * i] !== key) i = (i + 1) & mask;
      return i;
    }
    const tag = tagOf(key);
    const keys = this.slotKeys;
    while (b[2 * i + 1] !== 0 && (b[2 * i] !== tag || keys[(b[2 * i + 1] & SLOT_PLUS_ONE) - 1] !== key)) i = (i + 1) & mask;
    return i;
  }

  /** Key of the entry in bucket `i` (its tag, while every key is an int32). */
  private bucketKey(b: Int32Array, i: number): number {
    return this.intKeys ? b[2 * i] : this.slotKeys[(b[2 * i + 1] & SLOT_PLUS_ONE) - 1];
  }

  /** The key's slot, inserting it (in a fresh slot) if absent; `inserted` tells which. */
  insert(key: number): number {
    const b = this.buckets;
    const i = this.probe(key);
    const s = b[2 * i + 1];
    if (s !== 0) {
      this.inserted = false;
      return (s & SLOT_PLUS_ONE) - 1;
    }
    const slot = this.takeSlot(key);
    if ((key | 0) !== key) {
      if (this.keysLater) this.storeKeys();
      this.intKeys = false;
    }
    if (!this.keysLater) this.slotKeys[slot] = key;
    b[2 * i] = tagOf(key);
    b[2 * i + 1] = slot + 1;
    this.count++;
    this.inserted = true;
    if (2 * this.count > this.mask + 1) this.rehash(2 * (this.mask + 1));
    return slot;
  }

  /** Whether the last `insert` added its key. */
  inserted = false;

  /** Removes the key; returns the slot it had (now free), or -1 if absent. */
  remove(key: number): number {
    const b = this.buckets;
    const mask = this.mask;
    let i = this.probe(key);
    if (b[2 * i + 1] === 0) return -1;
    const slot = (b[2 * i + 1] & SLOT_PLUS_ONE) - 1;
    // Backward shift: pull later entries of the probe run into the hole unless that would move
    // them before their home bucket, so lookups never need tombstones.
    let j = i;
    for (;;) {
      j = (j + 1) & mask;
      const s = b[2 * j + 1];
      if (s === 0) break;
      const home = homeOf(this.bucketKey(b, j), this.shift);
      // Entry j may move to hole i iff its home is not in the cyclic range (i, j].
      const stays = i <= j ? home > i && home <= j : home > i || home <= j;
      if (stays) continue;
      b[2 * i] = b[2 * j];
      b[2 * i + 1] = s;
      i = j;
    }
    b[2 * i + 1] = 0;
    this.count--;
    this.freeSlot(slot);
    return slot;
  }

  /** The keys present with their slots, in bucket order (not insertion order). O(buckets). */
  entries(): [key: number, slot: number][] {
    const out: [number, number][] = [];
    const b = this.buckets;
    if (this.keysLater) this.storeKeys();
    for (let k = 0; k < b.length; k += 2) {
      const slot = (b[k + 1] & SLOT_PLUS_ONE) - 1;
      if (b[k + 1] !== 0) out.push([this.slotKeys[slot], slot]);
    }
    return out;
  }

  /** Writes the slot -> key column from the buckets (every key so far is an int32: its tag) and keeps it from now on. */
  private storeKeys(): void {
    this.keysLater = false;
    const b = this.buckets;
    for (let k = 0; k < b.length; k += 2) if (b[k + 1] !== 0) this.slotKeys[(b[k + 1] & SLOT_PLUS_ONE) - 1] = b[k];
  }

  /** Called after the slot capacity grew to `capacity`: subclasses grow their columns. */
  protected slotsGrown(capacity: number): void {
    void capacity;
  }

  /**
   * A free slot for `key` (being inserted): the last freed one, else a new one. A subclass may
   * choose slots itself (see the HBM prefix cache's CachedBlocks: near its key's neighbours'); it
   * then overrides `freeSlot` too and keeps its slots below `slotCapacity`.
   */
  protected takeSlot(key: number): number {
    void key;
    if (this.freeCount > 0) return this.freeSlots[--this.freeCount];
    if (this.highWater === this.slotKeys.length) this.reserveSlots(2 * this.slotKeys.length);
    return this.highWater++;
  }

  /** Grows the per-slot columns to `capacity` slots (if fewer): a subclass choosing its slots sizes them here. */
  protected reserveSlots(capacity: number): void {
    if (capacity <= this.slotKeys.length) return;
    if (capacity >= SLOT_PLUS_ONE) throw new RangeError(`IntTable: more than ${SLOT_PLUS_ONE - 1} keys`);
    const keys = new Float64Array(capacity);
    keys.set(this.slotKeys);
    this.slotKeys = keys;
    this.slotsGrown(capacity);
  }

  /** `slot` was freed by `remove` (see `takeSlot`). */
  protected freeSlot(slot: number): void {
    if (this.freeCount === this.freeSlots.length) {
      const grown = new Int32Array(2 * this.freeSlots.length);
      grown.set(this.freeSlots);
      this.freeSlots = grown;
    }
    this.freeSlots[this.freeCount++] = slot;
  }

  private rehash(buckets: number): void {
    const old = this.buckets;
    const b = new Int32Array(2 * buckets);
    const mask = buckets - 1;
    const shift = 32 - Math.log2(buckets);
    for (let k = 0; k < old.length; k += 2) {
      const s = old[k + 1];
      if (s === 0) continue;
      let i = homeOf(this.bucketKey(old, k >> 1), shift);
      while (b[2 * i + 1] !== 0) i = (i + 1) & mask;
      b[2 * i] = old[k];
      b[2 * i + 1] = s;
    }
    this.buckets = b;
    this.mask = mask;
    this.shift = shift;
  }
}

/** A copy of `a` with length `n` (a column grown with its table). */
export function grownFloat64(a: Float64Array, n: number) {
  const g = new Float64Array(n);
  g.set(a);
  return g;
}

export function grownInt32(a: Int32Array, n: number) {
  const g = new Int32Array(n);
  g.set(a);
  return g;
}

/** A set of numbers. */
export class IntSet extends IntTable {
  add(key: number): void {
    this.insert(key);
  }

  delete(key: number): boolean {
    return this.remove(key) >= 0;
  }
}

/** A map from numbers to numbers. */
export class IntMap extends IntTable {
  private values = new Float64Array(this.slotCapacity);

  protected override slotsGrown(capacity: number): void {
    this.values = grownFloat64(this.values, capacity);
  }

  get(key: number): number | undefined {
    const s = this.find(key);
    return s < 0 ? undefined : this.values[s];
  }

  set(key: number, value: number): void {
    // The slot first: inserting may grow the columns (slotsGrown replaces `values`), and
    // `this.values[this.insert(key)] = value` would take the old array before the insert runs.
    const s = this.insert(key);
    this.values[s] = value;
  }

  delete(key: number): boolean {
    return this.remove(key) >= 0;
  }

  /** Sets `key` to `value` if absent; returns whether it was absent (a present key keeps its value). */
  setIfAbsent(key: number, value: number): boolean {
    const s = this.insert(key);
    if (!this.inserted) return false;
    this.values[s] = value;
    return true;
  }

  /** Removes `key` and returns its value, or `fallback` if absent. */
  take(key: number, fallback: number): number {
    const s = this.remove(key);
    return s < 0 ? fallback : this.values[s];
  }

  /** The key's value, or `fallback` if absent (no `undefined`: stays a plain double). */
  getOr(key: number, fallback: number): number {
    const s = this.find(key);
    return s < 0 ? fallback : this.values[s];
  }
}
