import { HeapPolicy, type HeapRecord } from './heap-policy.js';

/** What a frequency policy remembers about a key in the tier (candidate or pinned). */
export interface FrequencyRecord extends HeapRecord {
  /** 1 for the key's first `add` + 1 per `access`, over its whole life in the tier. */
  freq: number;
  /** Relative price of losing the key (last `cost` given to `add`; 1 until one is given). */
  cost: number;
  /** Whether `add` has been called yet (the first one counts towards `freq`). */
  added: boolean;
}

/**
 * Base of the frequency-ordered policies: evicts the candidate with the smallest
 * `priority(record)`, ties least recently used first (recency = last `add` or `access`).
 * One min-heap entry per candidate is live; an update pushes a new entry with a fresh tick and
 * the old one goes stale (lazy invalidation, compacted when stale entries outnumber live ones).
 * O(log n) per operation, amortised.
 *
 * History: a record is created by the first `add` or `access` of a key (a block can be hit by a
 * second request while its writer still pins it, before it is ever added), kept across
 * `remove(key, false)` and dropped by `remove(key, true)` or eviction. The tier must forget
 * (remove with `forget`) a key that leaves it other than by eviction, or its record stays.
 */
export abstract class FrequencyPolicy extends HeapPolicy<FrequencyRecord> {
  /** Retention value of a key before aging: smaller is evicted first. */
  protected abstract priority(r: FrequencyRecord): number;

  /**
   * Dynamic aging (LFU-DA, Arlitt et al. 2000; GDSF, Cherkasova 1998): when on, a key is queued at
   * L + priority, where L is the priority of the last victim. L only grows, so a key that was hot
   * long ago but is no longer touched sinks below keys touched recently at lower frequency, and
   * eventually leaves (plain LFU keeps it forever). O(1) extra per operation.
   */
  protected aging = false;
  private inflation = 0;

  protected override evicted(priority: number): void {
    if (this.aging) this.inflation = priority;
  }

  add(key: number, cost?: number): void {
    let r = this.records.get(key);
    if (r === undefined) {
      r = { freq: 1, cost: cost ?? 1, stamp: 0, added: true, candidate: false };
      this.records.set(key, r);
    } else {
      if (!r.added) {
        r.added = true;
        r.freq++;
      }
      if (cost !== undefined) r.cost = cost;
    }
    this.markCandidate(r);
    this.touch(key, r);
  }

  access(key: number): void {
    let r = this.records.get(key);
    if (r === undefined) {
      r = { freq: 0, cost: 1, stamp: 0, added: false, candidate: false };
      this.records.set(key, r);
    }
    r.freq++;
    if (r.candidate) this.touch(key, r);
  }

  /** Makes `key` (a candidate) the most recent at its current priority. */
  private touch(key: number, r: FrequencyRecord): void {
    this.enqueue(key, r, this.inflation + this.priority(r));
  }
}

/**
 * Least frequently used candidate first; frequency = first `add` + every `access` over the
 * key's life in the tier (kept while pinned); ties least recently used first. With `aging`
 * (default in scenarios: `cache.lfu_aging`), LFU-DA: see FrequencyPolicy.
 */
export class LfuPolicy extends FrequencyPolicy {
  readonly name = 'lfu';

  constructor(options: { aging?: boolean } = {}) {
    super();
    this.aging = options.aging ?? false;
  }

  protected priority(r: FrequencyRecord): number {
    return r.freq;
  }
}
