import { LazyHeap } from './lazy-heap.js';
import type { EvictionPolicy } from './policy.js';

/** What every heap-ordered policy remembers about a key. */
export interface HeapRecord {
  /** Tick of the key's live heap entry (meaningful only while a candidate). */
  stamp: number;
  candidate: boolean;
}

/**
 * Base of the policies that evict the candidate with the smallest priority (FIFO place, frequency,
 * frequency × cost), ties to the earliest-pushed. One min-heap entry per candidate is live; an
 * update pushes a new entry with a fresh tick and the old one goes stale (lazy invalidation,
 * compacted when stale entries outnumber live ones): O(log n) per operation, amortised.
 * Records outlive pins (`remove(key, false)`) and are dropped by `remove(key, true)` or eviction.
 */
export abstract class HeapPolicy<R extends HeapRecord> implements EvictionPolicy {
  abstract readonly name: string;
  protected readonly records = new Map<number, R>();
  private readonly heap = new LazyHeap();
  private tick = 0;
  private candidates = 0;

  get size(): number {
    return this.candidates;
  }

  abstract add(key: number, cost?: number): void;
  abstract access(key: number): void;

  /** Makes `key` a candidate if it is not one. */
  protected markCandidate(r: R): void {
    if (r.candidate) return;
    r.candidate = true;
    this.candidates++;
  }

  /** (Re)queues candidate `key` at `priority`, as the most recent among equals. */
  protected enqueue(key: number, r: R, priority: number): void {
    r.stamp = ++this.tick;
    this.heap.push(priority, r.stamp, key);
    if (this.heap.length > 2 * this.candidates + 64) {
      this.heap.compact((k, t) => {
        const x = this.records.get(k);
        return x !== undefined && x.candidate && x.stamp === t;
      });
    }
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

  /** Hook: a victim with `priority` was just evicted (dynamic aging remembers it). */
  protected evicted(priority: number): void {
    void priority;
  }

  evict(): number | undefined {
    const heap = this.heap;
    while (heap.length > 0) {
      const key = heap.topKey;
      const tick = heap.topTick;
      const priority = heap.topPriority;
      heap.pop();
      const r = this.records.get(key);
      if (r !== undefined && r.candidate && r.stamp === tick) {
        this.records.delete(key);
        this.candidates--;
        this.evicted(priority);
        return key;
      }
    }
    return undefined;
  }
}
