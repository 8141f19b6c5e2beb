/** FIFO queue over an array with a head index: O(1) push and shift, compacted now and then. */
export class Queue<T> {
  /** Entries before `head` are consumed (cleared, see `shift`). */
  private readonly items: (T | undefined)[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  /** The oldest item (undefined if empty). */
  peek(): T | undefined {
    return this.items[this.head];
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    // Cleared, not left for the compaction: an instance's queue that rarely holds much is compacted
    // only after ~1,000 shifts, and until then kept every request it ever queued alive (at a
    // thousand instances, most of a production day's first hours: memory and GC marking).
    this.items[this.head++] = undefined;
    // Drop the consumed prefix once it is most of the array, keeping shifts amortised O(1).
    // In place, never a new array: `items` keeps the one value it had since construction, so V8 may
    // treat the field as constant in optimized callers; replacing it deoptimized every function that
    // had inlined a queue (the simulator's step and routing code) at each instance's first compaction.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items.copyWithin(0, this.head);
      this.items.length -= this.head;
      this.head = 0;
    }
    return item;
  }

  /** Items from oldest to newest. */
  *[Symbol.iterator](): Iterator<T> {
    for (let i = this.head; i < this.items.length; i++) yield this.items[i] as T;
  }
}
