/**
 * Binary min-heap whose items are told where they sit (`place`), so an item whose key changed is
 * re-sifted where it is (`fix`) instead of being pushed again: no stale entries pile up. Used for
 * the network's flows by finish time and cache_aware's instances by backlog.
 */
export class IndexedHeap<T> {
  /** The heap array: `items[0]` is the least; children of `i` at `2i + 1` and `2i + 2`. */
  readonly items: T[] = [];

  constructor(
    private readonly less: (a: T, b: T) => boolean,
    /** Called with each item's new index whenever it moves, and with -1 when popped. */
    private readonly place: (item: T, at: number) => void = placeNowhere,
  ) {}

  get size(): number {
    return this.items.length;
  }

  push(item: T): void {
    this.items.push(item);
    this.up(this.items.length - 1);
  }

  /** Removes and returns the least item (the heap must not be empty). */
  pop(): T {
    const h = this.items;
    const top = h[0];
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      this.down(0);
    }
    this.place(top, -1);
    return top;
  }

  /** Removes the item at index `at` (told -1). */
  remove(at: number): void {
    const h = this.items;
    const gone = h[at];
    const last = h.pop()!;
    if (at < h.length) {
      h[at] = last;
      this.fix(at);
    }
    this.place(gone, -1);
  }

  /** Empties the heap (its items are not told). */
  clear(): void {
    this.items.length = 0;
  }

  /** The item at index `at` changed its key: move it up or down to where it belongs. */
  fix(at: number): void {
    this.up(at);
    this.down(at);
  }

  /** Items appended to `items` directly, in any order: makes them a heap in O(n). */
  heapify(): void {
    const h = this.items;
    for (let i = 0; i < h.length; i++) this.place(h[i], i);
    for (let i = (h.length >> 1) - 1; i >= 0; i--) this.down(i);
  }

  private up(i: number): void {
    const h = this.items;
    const x = h[i];
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(x, h[p])) break;
      h[i] = h[p];
      this.place(h[i], i);
      i = p;
    }
    h[i] = x;
    this.place(x, i);
  }

  private down(i: number): void {
    const h = this.items;
    const x = h[i];
    const n = h.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && this.less(h[r], h[l]) ? r : l;
      if (!this.less(h[c], x)) break;
      h[i] = h[c];
      this.place(h[i], i);
      i = c;
    }
    h[i] = x;
    this.place(x, i);
  }
}

/** The default `place`: a module function, not a closure per heap (see src/util/countdown.ts). */
function placeNowhere(): void {}
