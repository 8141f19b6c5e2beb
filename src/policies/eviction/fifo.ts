import { HeapPolicy, type HeapRecord } from './heap-policy.js';

interface FifoRecord extends HeapRecord {
  /** Position in line: order of the key's first `add` or `access` in the tier. */
  seq: number;
}

/**
 * First in, first out: the candidate that entered the tier first is evicted first; `access` does
 * not reorder. A key's place in line is fixed when the policy first sees it (first `add`, or an
 * `access` while its writer still pins it) and kept across pins, so a key re-added after
 * `remove(key, false)` goes back to its original place, not to the tail. That needs a priority
 * queue (min-heap on place, lazily invalidated): O(log n) per operation.
 */
export class FifoPolicy extends HeapPolicy<FifoRecord> {
  readonly name = 'fifo';
  private nextSeq = 0;

  add(key: number): void {
    let r = this.records.get(key);
    if (r === undefined) {
      r = { seq: this.nextSeq++, stamp: 0, candidate: false };
      this.records.set(key, r);
    }
    if (r.candidate) return;
    this.markCandidate(r);
    this.enqueue(key, r, r.seq);
  }

  access(key: number): void {
    if (!this.records.has(key)) this.records.set(key, { seq: this.nextSeq++, stamp: 0, candidate: false });
  }
}
