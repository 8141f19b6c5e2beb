import { KeyedLists } from '../../util/keyed-lists.js';
import type { SlotIndexedPolicy } from './policy.js';

const MAX_FREQ = 3;
/** The three FIFOs, as lists of one table: a key is in at most one of them. */
const SMALL = 0;
const MAIN = 1;
const GHOST = 2;

/** Bit of a key's record word: in the main queue M (else the small queue S). */
const MAIN_BIT = 4;
const FREQ_MASK = 3;

/**
 * Per-key records in the table's link records: a slot's list says where the key is (see
 * `S3Keys`), its word holds the key's frequency (bits 0-1) and queue (MAIN_BIT) and another the
 * key, so an eviction reads one record per key it looks at, not four columns (cache misses on a
 * 50,000-key disk tier).
 */
class S3Keys extends KeyedLists {
  constructor(expected: number) {
    super(3, expected, 1);
  }

  /** Hits since the key entered its current queue, capped at 3 (two bits in the paper). */
  freq(slot: number): number {
    return this.word(slot) & FREQ_MASK;
  }

  setFreq(slot: number, freq: number): void {
    this.setWord(slot, (this.word(slot) & ~FREQ_MASK) | freq);
  }

  /** In the main queue M (else the small queue S); remembered while the key is pinned. */
  inMain(slot: number): boolean {
    return (this.word(slot) & MAIN_BIT) !== 0;
  }

  /** A new record: `freq` 0, in M or S. */
  reset(slot: number, main: boolean): void {
    this.setWord(slot, main ? MAIN_BIT : 0);
  }

  /** Moved from S to M with frequency 0. */
  promote(slot: number): void {
    this.setWord(slot, MAIN_BIT);
  }
}

/**
 * S3-FIFO (Yang et al., SOSP'23, "FIFO queues are all you need for cache eviction"): a small FIFO
 * S (10% of the tier), a main FIFO M and a ghost FIFO G holding the keys most recently evicted
 * from S (as many as M's capacity, keys only).
 *
 * - A key new to the tier goes to the tail of S, or of M if it is in G (a ghost hit; it leaves G).
 * - `access` increments the key's frequency, capped at 3; queues are not reordered.
 * - `evict`: while S is over budget (or M has no candidate), take S's oldest: accessed (freq >= 1)
 *   -> moved to M's tail with freq 0, keep going; else evicted and remembered in G. Otherwise take
 *   M's oldest: freq > 0 -> freq - 1 and back to M's tail; else evicted. Amortised O(1): every
 *   move and reinsertion is paid for by an earlier access.
 * - S's budget is `max(1, floor(capacity / 10))` candidates and S is over budget when it holds at
 *   least that many at eviction time: the tier evicts *before* adding the newcomer, which then
 *   lands in S, so S stays within 10% of the tier after the insert (the paper's `S.size >= 10%`).
 * - Pinned keys (`remove(key, false)`) leave their queue; their queue (S or M) and frequency are
 *   remembered, and `add` on release appends them to the tail of that queue.
 * - `remove(key, true)` forgets the key without putting it in G (G is for evictions only).
 *
 * Keys live in one table: a slot in S or M is a candidate, in no list a pinned key with a record,
 * in G a ghost (a key without a record).
 */
export class S3FifoPolicy implements SlotIndexedPolicy {
  readonly name = 's3fifo';
  readonly smallCapacity: number;
  readonly ghostCapacity: number;
  private readonly keys: S3Keys;
  evictedSlot = -1;

  /** `expectedKeys`: blocks the tier will likely hold (a size hint for the key table). */
  constructor(
    readonly capacity: number,
    expectedKeys = 0,
  ) {
    if (!(capacity >= 0)) throw new RangeError(`s3fifo: capacity must be >= 0, got ${capacity}`);
    this.smallCapacity = Math.max(1, Math.floor(capacity / 10));
    this.ghostCapacity = Number.isFinite(capacity) ? Math.max(0, capacity - this.smallCapacity) : Infinity;
    // Candidates plus as many ghosts.
    this.keys = new S3Keys(2 * expectedKeys);
  }

  get size(): number {
    return this.keys.length(SMALL) + this.keys.length(MAIN);
  }

  get slotCapacity(): number {
    return this.keys.slotCapacity;
  }

  add(key: number): void {
    this.addSlot(key);
  }

  addSlot(key: number): number {
    const s = this.record(key);
    const list = this.keys.listAt(s);
    if (list !== SMALL && list !== MAIN) this.keys.append(s, this.keys.inMain(s) ? MAIN : SMALL);
    return s;
  }

  access(key: number): void {
    this.accessSlot(this.record(key));
  }

  accessSlot(slot: number): void {
    const f = this.keys.freq(slot);
    if (f < MAX_FREQ) this.keys.setFreq(slot, f + 1);
  }

  candidateSlot(key: number): number {
    const s = this.keys.find(key);
    if (s < 0) return -1;
    const list = this.keys.listAt(s);
    return list === SMALL || list === MAIN ? s : -1;
  }

  remove(key: number, forget: boolean): void {
    const k = this.keys;
    const s = k.find(key);
    if (s < 0 || k.listAt(s) === GHOST) return;
    k.unlink(s);
    if (forget) k.remove(key);
  }

  evict(): number | undefined {
    const k = this.keys;
    for (;;) {
      const small = k.length(SMALL);
      if (small > 0 && (small >= this.smallCapacity || k.length(MAIN) === 0)) {
        const s = k.head(SMALL);
        const key = k.keyAt(s);
        k.unlink(s);
        if (k.freq(s) >= 1) {
          k.promote(s);
          k.append(s, MAIN);
          continue;
        }
        if (this.ghostCapacity > 0) {
          // The record is dropped and the key stays as a ghost.
          k.append(s, GHOST);
          if (k.length(GHOST) > this.ghostCapacity) {
            const g = k.head(GHOST);
            k.unlink(g);
            k.remove(k.keyAt(g));
          }
        } else {
          k.remove(key);
        }
        this.evictedSlot = s;
        return key;
      }
      if (k.length(MAIN) === 0) return undefined;
      const s = k.head(MAIN);
      const key = k.keyAt(s);
      k.unlink(s);
      const f = k.freq(s);
      if (f > 0) {
        k.setFreq(s, f - 1);
        k.append(s, MAIN);
        continue;
      }
      k.remove(key);
      this.evictedSlot = s;
      return key;
    }
  }

  /** The slot of `key`'s record, created on first sight: in S, or in M after a ghost hit. */
  private record(key: number): number {
    const k = this.keys;
    const s = k.slotOf(key);
    const list = k.listAt(s);
    if (!k.inserted && list !== GHOST) return s;
    const main = list === GHOST;
    if (main) k.unlink(s);
    k.reset(s, main);
    return s;
  }
}
