import type { EvictionPolicy } from '../../../src/policies/eviction/policy.js';

/** Evicts until empty; the victims in order. */
export function drain(p: EvictionPolicy): number[] {
  const out: number[] = [];
  for (let k = p.evict(); k !== undefined; k = p.evict()) out.push(k);
  return out;
}

/** Adds the keys in order (cost 1). */
export function addAll(p: EvictionPolicy, keys: readonly number[]): void {
  for (const k of keys) p.add(k);
}

/**
 * A tiny cache of `capacity` blocks in front of `policy`, no pinning: a hit calls `access`, a
 * miss evicts while full and then `add`s the key. Returns the hit count and what stays cached.
 */
export class TinyCache {
  readonly cached = new Set<number>();
  hits = 0;
  misses = 0;

  constructor(
    readonly policy: EvictionPolicy,
    readonly capacity: number,
    /** Relative price of losing each key, passed to `add` (absent: the policy's default). */
    readonly cost?: (key: number) => number,
  ) {}

  get(key: number): boolean {
    if (this.cached.has(key)) {
      this.hits++;
      this.policy.access(key);
      return true;
    }
    this.misses++;
    while (this.cached.size >= this.capacity) {
      const v = this.policy.evict();
      if (v === undefined || !this.cached.delete(v)) throw new Error(`bad victim ${v}`);
    }
    this.cached.add(key);
    this.policy.add(key, this.cost?.(key));
    return false;
  }

  run(trace: readonly number[]): this {
    for (const k of trace) this.get(k);
    return this;
  }
}
