import { NO_LIST } from '../../util/key-lists.js';
import { KeyedLists } from '../../util/keyed-lists.js';
import type { SlotIndexedPolicy } from './policy.js';

/**
 * Least recently used candidate first (vLLM's prefix-cache policy). `add` and `access` of a
 * candidate make it the most recent; the order among keys added together is their add order,
 * so a tier that releases a request's blocks tail first gets the end of a prefix evicted before
 * its beginning. `access` of a non-candidate (pinned) key changes nothing: its `add` on release
 * makes it the most recent anyway. Keeps no history beyond the candidates. O(1) amortised.
 */
export class LruPolicy implements SlotIndexedPolicy {
  readonly name = 'lru';
  readonly historyless = true;
  /** The candidates, oldest first, in one list (made on first use: see `queue`). */
  private keys: KeyedLists | undefined;
  evictedSlot = -1;
  /**
   * Whether any key was ever pinned (`remove(key, false)`: in the table but in no list). Until
   * then every key in the table is a candidate, so a lookup need not read the key's link record
   * (a cache miss per lookup in a million-block remote store). Lower tiers never pin.
   */
  private pinning = false;

  /** `expectedKeys`: candidates the tier will likely hold (a size hint: the table starts that big). */
  constructor(private readonly expectedKeys = 0) {}

  /**
   * Made on first use: an HBM prefix cache keeps LRU order in its own table (PrefixCache's inline
   * LRU) and never calls its policy, so a thousand instances do not each allocate an unused table.
   */
  private get queue(): KeyedLists {
    return (this.keys ??= new KeyedLists(1, this.expectedKeys));
  }

  get size(): number {
    return this.queue.length(0);
  }

  get slotCapacity(): number {
    return this.queue.slotCapacity;
  }

  add(key: number): void {
    this.addSlot(key);
  }

  addSlot(key: number): number {
    const s = this.queue.slotOf(key);
    this.queue.unlink(s);
    this.queue.append(s, 0);
    return s;
  }

  access(key: number): void {
    const s = this.candidateSlot(key);
    if (s >= 0) this.accessSlot(s);
  }

  accessSlot(slot: number): void {
    this.queue.unlink(slot);
    this.queue.append(slot, 0);
  }

  candidateSlot(key: number): number {
    const s = this.queue.find(key);
    if (!this.pinning) return s;
    return s >= 0 && this.queue.listAt(s) !== NO_LIST ? s : -1;
  }

  /**
   * LRU keeps no history (the release's `add` makes a key most recent). A pinned key (`forget`
   * false) leaves the list but keeps its table entry, so pinning and releasing a cached block
   * costs a lookup each, not a table delete and re-insert.
   */
  remove(key: number, forget: boolean): void {
    if (forget) this.queue.drop(key);
    else {
      this.pinning = true;
      const s = this.queue.find(key);
      if (s >= 0) this.queue.unlink(s);
    }
  }

  evict(): number | undefined {
    const s = this.queue.head(0);
    if (s < 0) return undefined;
    const key = this.queue.keyAt(s);
    this.queue.unlink(s);
    this.queue.remove(key);
    this.evictedSlot = s;
    return key;
  }
}
