import { KeyQueue } from './key-queue.js';
import type { EvictionPolicy } from './policy.js';

interface S3Record {
  /** Hits since the key entered its current queue, capped at 3 (two bits in the paper). */
  freq: number;
  /** In the main queue M (else the small queue S); remembered while the key is pinned. */
  main: boolean;
  candidate: boolean;
}

const MAX_FREQ = 3;

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
 */
export class S3FifoPolicy implements EvictionPolicy {
  readonly name = 's3fifo';
  readonly smallCapacity: number;
  readonly ghostCapacity: number;
  private readonly records = new Map<number, S3Record>();
  private readonly small = new KeyQueue();
  private readonly mainQ = new KeyQueue();
  private readonly ghost = new KeyQueue();

  constructor(readonly capacity: number) {
    if (!(capacity >= 0)) throw new RangeError(`s3fifo: capacity must be >= 0, got ${capacity}`);
    this.smallCapacity = Math.max(1, Math.floor(capacity / 10));
    this.ghostCapacity = Number.isFinite(capacity) ? Math.max(0, capacity - this.smallCapacity) : Infinity;
  }

  get size(): number {
    return this.small.size + this.mainQ.size;
  }

  add(key: number): void {
    const r = this.records.get(key) ?? this.enter(key);
    if (r.candidate) return;
    r.candidate = true;
    (r.main ? this.mainQ : this.small).push(key);
  }

  access(key: number): void {
    const r = this.records.get(key) ?? this.enter(key);
    if (r.freq < MAX_FREQ) r.freq++;
  }

  remove(key: number, forget: boolean): void {
    const r = this.records.get(key);
    if (r === undefined) return;
    if (r.candidate) {
      r.candidate = false;
      (r.main ? this.mainQ : this.small).delete(key);
    }
    if (forget) this.records.delete(key);
  }

  evict(): number | undefined {
    for (;;) {
      if (this.small.size > 0 && (this.small.size >= this.smallCapacity || this.mainQ.size === 0)) {
        const key = this.small.shift()!;
        const r = this.records.get(key)!;
        if (r.freq >= 1) {
          r.freq = 0;
          r.main = true;
          this.mainQ.push(key);
          continue;
        }
        this.records.delete(key);
        if (this.ghostCapacity > 0) {
          this.ghost.push(key);
          if (this.ghost.size > this.ghostCapacity) this.ghost.shift();
        }
        return key;
      }
      if (this.mainQ.size === 0) return undefined;
      const key = this.mainQ.shift()!;
      const r = this.records.get(key)!;
      if (r.freq > 0) {
        r.freq--;
        this.mainQ.push(key);
        continue;
      }
      this.records.delete(key);
      return key;
    }
  }

  /** First sight of `key` in the tier: a record in S, or in M after a ghost hit. */
  private enter(key: number): S3Record {
    const main = this.ghost.delete(key);
    const r: S3Record = { freq: 0, main, candidate: false };
    this.records.set(key, r);
    return r;
  }
}
