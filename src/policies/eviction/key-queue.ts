/**
 * A FIFO of integer keys on a `Set`'s insertion order, with O(1) push-to-tail, delete-anywhere
 * and pop-head.
 *
 * Why not `set.values().next()` for the head: V8 leaves a hole in the hash table for every
 * deleted entry until the next rehash, and a *fresh* iterator walks the holes from the start, so
 * popping the head of a large queue that way costs O(holes) per pop (quadratic over a run; a 1M
 * block tier takes minutes). This class keeps one *persistent* iterator as the head cursor: every
 * entry behind it has been deleted (only `shift` advances it, and it deletes what it returns;
 * `push` of a key already present deletes and re-appends it, behind nothing), so each hole is
 * skipped once and `shift` is amortised O(1). The order is the spec's insertion order: deterministic.
 */
export class KeyQueue {
  private readonly set = new Set<number>();
  /** Head cursor; dropped when exhausted (a spec iterator that returned `done` stays done). */
  private head: Iterator<number> | undefined;

  get size(): number {
    return this.set.size;
  }

  has(key: number): boolean {
    return this.set.has(key);
  }

  /** Appends `key` at the tail (moving it there if present). */
  push(key: number): void {
    this.set.delete(key);
    this.set.add(key);
  }

  delete(key: number): boolean {
    return this.set.delete(key);
  }

  /** Removes and returns the oldest key, or undefined if empty. */
  shift(): number | undefined {
    if (this.set.size === 0) return undefined;
    this.head ??= this.set.values();
    const r = this.head.next();
    if (r.done) {
      // Cannot happen while the set is non-empty (everything behind the cursor is deleted); be
      // safe anyway: restart from the beginning.
      this.head = this.set.values();
      return this.shift();
    }
    this.set.delete(r.value);
    if (this.set.size === 0) this.head = undefined;
    return r.value;
  }
}
