import { KeyLists } from './key-lists.js';

/**
 * KeyLists that also keep each key in its slot's link record (its last word), so code that walks
 * a list and needs the keys (an eviction policy taking its oldest candidate) reads one record per
 * key instead of the record and the table's key column: a cache miss less per eviction in tiers
 * of tens of thousands of blocks per instance. Holds while every key is an int32 (block ids
 * usually are); after the first wider key, keys are read from the table as before.
 * Keys enter through `slotOf`.
 */
export class KeyedLists extends KeyLists {
  /** Index of the key's word among the record's words (after the subclass's own). */
  private readonly keyWord: number;
  /** Some key was not an int32: the key word does not hold every key. */
  private wideKeys = false;

  /** `words`: the subclass's own words per slot (0-4); one more holds the key. */
  constructor(lists: number, expected = 0, words = 0) {
    super(lists, expected, words + 1, true);
    this.keyWord = words;
  }

  override slotOf(key: number): number {
    const s = super.slotOf(key);
    if (this.inserted) {
      if ((key | 0) === key) this.setWord(s, key, this.keyWord);
      else this.wideKeys = true;
    }
    return s;
  }

  override keyAt(slot: number): number {
    return this.wideKeys ? super.keyAt(slot) : this.word(slot, this.keyWord);
  }
}
