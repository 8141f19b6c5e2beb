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
    const keys = this.keys;
    const seqs = this.seqs;
    const items = this.items;
    const seq = this.nextSeq++;
    // Sift up through a hole (one write per level, not a swap). The newcomer has the largest seq,
    // so it passes a parent only on a strictly smaller key.
    let i = items.length;
    keys.push(key);
    seqs.push(seq);
    items.push(item);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!(key < keys[p])) break;
      keys[i] = keys[p];
      seqs[i] = seqs[p];
      items[i] = items[p];
      i = p;
    }
    keys[i] = key;
    seqs[i] = seq;
    items[i] = item;
  }

  /** Visits every entry, in no particular order. */
  forEach(visit: (key: number, item: T) => void): void {
    for (let i = 0; i < this.items.length; i++) visit(this.keys[i], this.items[i]);
  }

  peekKey(): number {
    return this.items.length ? this.keys[0] : Infinity;
  }

  pop(): T | undefined {
    const keys = this.keys;
    const seqs = this.seqs;
    const items = this.items;
    const n = items.length;
    if (n === 0) return undefined;
    const top = items[0];
    const key = keys.pop()!;
    const seq = seqs.pop()!;
    const item = items.pop()!;
    const m = n - 1;
    if (m === 0) return top;
    // Sift the last entry down from the root through a hole: each level moves the smaller child up.
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= m) break;
      const r = l + 1;
      const c = r < m && this.less(r, l) ? r : l;
      if (!(keys[c] < key || (keys[c] === key && seqs[c] < seq))) break;
      keys[i] = keys[c];
      seqs[i] = seqs[c];
      items[i] = items[c];
      i = c;
    }
    keys[i] = key;
    seqs[i] = seq;
    items[i] = item;
    return top;
  }

  private less(a: number, b: number): boolean {
    return this.keys[a] < this.keys[b] || (this.keys[a] === this.keys[b] && this.seqs[a] < this.seqs[b]);
  }
}
