import { KeyLists } from '../../util/key-lists.js';

/**
 * A FIFO of numeric keys with O(1) push-to-tail (moving a present key there), delete-anywhere and
 * pop-head: one linked list over a typed-array hash table (util/key-lists), so no operation
 * allocates or rehashes a JS Set (a Set-based queue — delete + re-add per move — kept a large
 * tier's whole Set churning through V8's rehashing). Order is push order: deterministic.
 */
export class KeyQueue {
  private readonly lists = new KeyLists(1);

  get size(): number {
    return this.lists.size;
  }

  has(key: number): boolean {
    return this.lists.has(key);
  }

  /** Appends `key` at the tail (moving it there if present). */
  push(key: number): void {
    const s = this.lists.slotOf(key);
    this.lists.unlink(s);
    this.lists.append(s, 0);
  }

  /** Moves `key` to the tail if present (one lookup). */
  touch(key: number): void {
    const s = this.lists.find(key);
    if (s < 0) return;
    this.lists.unlink(s);
    this.lists.append(s, 0);
  }

  delete(key: number): boolean {
    return this.lists.drop(key);
  }

  /** Removes and returns the oldest key, or undefined if empty. */
  shift(): number | undefined {
    const s = this.lists.head(0);
    if (s < 0) return undefined;
    const key = this.lists.keyAt(s);
    this.lists.unlink(s);
    this.lists.remove(key);
    return key;
  }
}
