import { LazyHeap } from './lazy-heap.js';
import type { EvictionPolicy } from './policy.js';

interface FifoRecord {
  /** Position in line: order of the key's first `add` or `access` in the tier. */
  seq: number;
  /** Tick of the key's live heap entry (meaningful only while a candidate). */
  stamp: number;
  candidate: boolean;
}

/**
 * First in, first out: the candidate that entered the tier first is evicted first; `access` does
 * not reorder. A key's place in line is fixed when the policy first sees it (first `add`, or an
 * `access` while its writer still pins it) and kept across pins, so a key re-added after
 * `remove(key, false)` goes back to its original place, not to the tail. That needs a priority
 * queue (min-heap on place, lazily invalidated): O(log n) per operation.
 */
export class FifoPolicy implements EvictionPolicy {
  readonly name = 'fifo';
  private readonly records = new Map<number, FifoRecord>();
  private readonly heap = new LazyHeap();
  private nextSeq = 0;
  private tick = 0;
  private candidates = 0;

  get size(): number {
    return this.candidates;
  }

  add(key: number): void {
    let r = this.records.get(key);
    if (r === undefined) {
      r = { seq: this.nextSeq++, stamp: 0, candidate: false };
      this.records.set(key, r);
    }
    if (r.candidate) return;
    r.candidate = true;
    this.candidates++;
    r.stamp = ++this.tick;
    this.heap.push(r.seq, r.stamp, key);
    if (this.heap.length > 2 * this.candidates + 64) {
      this.heap.compact((k, t) => {
        const x = this.records.get(k);
        return x !== undefined && x.candidate && x.stamp === t;
      });
    }
  }

  access(key: number): void {
    if (!this.records.has(key)) this.records.set(key, { seq: this.nextSeq++, stamp: 0, candidate: false });
  }

  remove(key: number, forget: boolean): void {
    const r = this.records.get(key);
    if (r === undefined) return;
    if (r.candidate) {
      r.candidate = false;
      this.candidates--;
    }
    if (forget) this.records.delete(key);
  }

  evict(): number | undefined {
    const heap = this.heap;
    while (heap.length > 0) {
      const key = heap.topKey;
      const tick = heap.topTick;
      heap.pop();
      const r = this.records.get(key);
      if (r !== undefined && r.candidate && r.stamp === tick) {
        this.records.delete(key);
        this.candidates--;
        return key;
      }
    }
    return undefined;
  }
}
