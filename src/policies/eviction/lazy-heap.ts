/**
 * Binary min-heap of (priority, tick, key) entries for eviction policies, with lazy invalidation:
 * a policy never deletes or re-keys an entry; it pushes a new one with a fresh `tick` and records
 * that tick as the key's current stamp, and treats any popped entry whose tick is not the key's
 * stamp as stale. `compact` drops stale entries in O(n) when they pile up.
 *
 * Order: smaller priority first, then smaller tick. Policies hand out ticks from one increasing
 * counter, so ticks are unique and the order is total: no dependence on heap internals.
 */
export class LazyHeap {
  private prio: number[] = [];
  private ticks: number[] = [];
  private keys: number[] = [];

  get length(): number {
    return this.keys.length;
  }

  /** Key, tick and priority of the minimum entry (undefined/NaN when empty: check `length`). */
  get topKey(): number {
    return this.keys[0];
  }

  get topTick(): number {
    return this.ticks[0];
  }

  get topPriority(): number {
    return this.prio[0];
  }

  push(priority: number, tick: number, key: number): void {
    this.prio.push(priority);
    this.ticks.push(tick);
    this.keys.push(key);
    this.up(this.keys.length - 1);
  }

  /** Removes the minimum entry. */
  pop(): void {
    const last = this.keys.length - 1;
    if (last < 0) return;
    this.move(last, 0);
    this.prio.pop();
    this.ticks.pop();
    this.keys.pop();
    if (last > 0) this.down(0);
  }

  /** Keeps only the entries for which `live(key, tick)` holds, then re-heapifies: O(n). */
  compact(live: (key: number, tick: number) => boolean): void {
    let n = 0;
    for (let i = 0; i < this.keys.length; i++) {
      if (live(this.keys[i], this.ticks[i])) this.move(i, n++);
    }
    this.prio.length = n;
    this.ticks.length = n;
    this.keys.length = n;
    for (let i = (n >> 1) - 1; i >= 0; i--) this.down(i);
  }

  private less(a: number, b: number): boolean {
    const pa = this.prio[a];
    const pb = this.prio[b];
    return pa < pb || (pa === pb && this.ticks[a] < this.ticks[b]);
  }

  /** Copies entry `from` over entry `to`. */
  private move(from: number, to: number): void {
    this.prio[to] = this.prio[from];
    this.ticks[to] = this.ticks[from];
    this.keys[to] = this.keys[from];
  }

  private swap(a: number, b: number): void {
    const p = this.prio[a];
    this.prio[a] = this.prio[b];
    this.prio[b] = p;
    const t = this.ticks[a];
    this.ticks[a] = this.ticks[b];
    this.ticks[b] = t;
    const k = this.keys[a];
    this.keys[a] = this.keys[b];
    this.keys[b] = k;
  }

  private up(i: number): void {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(i, p)) break;
      this.swap(i, p);
      i = p;
    }
  }

  private down(i: number): void {
    const n = this.keys.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && this.less(r, l) ? r : l;
      if (!this.less(c, i)) break;
      this.swap(i, c);
      i = c;
    }
  }
}
