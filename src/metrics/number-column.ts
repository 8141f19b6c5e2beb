/** Doubles per chunk: 512 KiB, so growing never copies more than one chunk. */
const CHUNK = 65536;

/**
 * An append-only column of doubles in fixed-size typed-array chunks: 8 bytes per value, no
 * per-value objects for the GC to trace, no copy of everything when it grows, and no JS array
 * length limit. Holds one per-request latency over millions of requests.
 */
export class NumberColumn {
  private readonly chunks: Float64Array[] = [];
  private current = new Float64Array(0);
  private fill = 0;
  private count = 0;

  get length(): number {
    return this.count;
  }

  push(x: number): void {
    if (this.fill === this.current.length) {
      this.current = new Float64Array(CHUNK);
      this.chunks.push(this.current);
      this.fill = 0;
    }
    this.current[this.fill++] = x;
    this.count++;
  }

  at(i: number): number {
    return this.chunks[Math.floor(i / CHUNK)][i % CHUNK];
  }

  /** All values, in insertion order, as one array (a fresh copy). */
  toArray(): Float64Array {
    const out = new Float64Array(this.count);
    let at = 0;
    for (const c of this.chunks) {
      const n = Math.min(c.length, this.count - at);
      out.set(n === c.length ? c : c.subarray(0, n), at);
      at += n;
    }
    return out;
  }
}
