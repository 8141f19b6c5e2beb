/**
 * Binary min-heap of items by a numeric key. Equal keys come out in insertion order (FIFO), so a
 * run never depends on heap internals: same inputs, same order. Parallel arrays avoid one wrapper
 * object per entry on the hot path.
 */
export class MinHeap<T> {
  private keys: number[] = [];
  private seqs: number[] = [];
  private items: T[] = [];
  private nextSeq = 0;

  get size(): number {
    return this.items.length;
  }

  push(key: number, item: T): void {
    let i = this.items.length;
    this.keys.push(key);
    this.seqs.push(this.nextSeq++);
    this.items.push(item);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(i, p)) break;
      this.swap(i, p);
      i = p;
    }
  }

  /** Visits every entry, in no particular order. */
  forEach(visit: (key: number, item: T) => void): void {
    for (let i = 0; i < this.items.length; i++) visit(this.keys[i], this.items[i]);
  }

  peekKey(): number {
    return this.items.length ? this.keys[0] : Infinity;
  }

  pop(): T | undefined {
    const n = this.items.length;
    if (n === 0) return undefined;
    const top = this.items[0];
    this.swap(0, n - 1);
    this.keys.pop();
    this.seqs.pop();
    this.items.pop();
    let i = 0;
    const m = n - 1;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= m) break;
      const r = l + 1;
      const c = r < m && this.less(r, l) ? r : l;
      if (!this.less(c, i)) break;
      this.swap(i, c);
      i = c;
    }
    return top;
  }

  private less(a: number, b: number): boolean {
    return this.keys[a] < this.keys[b] || (this.keys[a] === this.keys[b] && this.seqs[a] < this.seqs[b]);
  }

  private swap(a: number, b: number): void {
    const k = this.keys[a];
    this.keys[a] = this.keys[b];
    this.keys[b] = k;
    const s = this.seqs[a];
    this.seqs[a] = this.seqs[b];
    this.seqs[b] = s;
    const x = this.items[a];
    this.items[a] = this.items[b];
    this.items[b] = x;
  }
}
