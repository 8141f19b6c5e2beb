/**
 * Instances bucketed by load (a small non-negative integer), each bucket a bitset of instance
 * positions: the least-loaded instance after a given position (cyclically) in O(n/32) word scans
 * of one bucket instead of a call to every instance's load(). Kept current by `set` whenever an
 * instance's load changes.
 */
export class LoadIndex {
  private readonly words: number;
  private readonly loads: Int32Array;
  /** buckets[load] = bitset of instances with that load (created on demand). */
  private readonly buckets: Uint32Array[] = [];
  private readonly counts: number[] = [];
  private minLoad = 0;

  constructor(
    readonly size: number,
    initialLoad: (i: number) => number,
  ) {
    this.words = Math.ceil(size / 32);
    this.loads = new Int32Array(size);
    for (let i = 0; i < size; i++) {
      this.loads[i] = initialLoad(i);
      this.insert(i, this.loads[i]);
    }
    this.fixMin();
  }

  load(i: number): number {
    return this.loads[i];
  }

  /** Instance `i` now has `load`. */
  set(i: number, load: number): void {
    const old = this.loads[i];
    if (old === load) return;
    const b = this.buckets[old];
    b[i >>> 5] &= ~(1 << (i & 31));
    this.counts[old]--;
    this.loads[i] = load;
    this.insert(i, load);
    if (load < this.minLoad) this.minLoad = load;
    else if (old === this.minLoad && this.counts[old] === 0) this.fixMin();
  }

  /** The first instance with the least load in cyclic order after position `after` (-1: from 0). */
  leastLoadedAfter(after: number): number {
    const b = this.buckets[this.minLoad];
    const start = after + 1 >= this.size ? 0 : after + 1;
    const found = this.nextSet(b, start, this.size);
    return found >= 0 ? found : this.nextSet(b, 0, start);
  }

  private insert(i: number, load: number): void {
    if (load < 0 || !Number.isInteger(load)) throw new RangeError(`load must be a non-negative integer, got ${load}`);
    while (this.buckets.length <= load) {
      this.buckets.push(new Uint32Array(this.words));
      this.counts.push(0);
    }
    this.buckets[load][i >>> 5] |= 1 << (i & 31);
    this.counts[load]++;
  }

  private fixMin(): void {
    let m = 0;
    while (m < this.counts.length && this.counts[m] === 0) m++;
    this.minLoad = m;
  }

  /** Lowest set bit position in [from, to), or -1. */
  private nextSet(b: Uint32Array, from: number, to: number): number {
    if (from >= to) return -1;
    let w = from >>> 5;
    let bits = b[w] & (~0 << (from & 31));
    for (;;) {
      if (bits !== 0) {
        const pos = (w << 5) + (31 - Math.clz32(bits & -bits));
        return pos < to ? pos : -1;
      }
      if (++w >= this.words || w << 5 >= to) return -1;
      bits = b[w];
    }
  }
}
