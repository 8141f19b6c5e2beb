import { KeyQueue } from './key-queue.js';
import type { EvictionPolicy } from './policy.js';

/**
 * Least recently used candidate first (vLLM's prefix-cache policy). `add` and `access` of a
 * candidate make it the most recent; the order among keys added together is their add order,
 * so a tier that releases a request's blocks tail first gets the end of a prefix evicted before
 * its beginning. `access` of a non-candidate (pinned) key changes nothing: its `add` on release
 * makes it the most recent anyway. Keeps no history beyond the candidates. O(1) amortised.
 */
export class LruPolicy implements EvictionPolicy {
  readonly name = 'lru';
  private readonly queue = new KeyQueue();

  get size(): number {
    return this.queue.size;
  }

  add(key: number): void {
    this.queue.push(key);
  }

  access(key: number): void {
    this.queue.touch(key);
  }

  /** Pinned or gone: either way LRU keeps no history (the release's `add` makes it most recent). */
  remove(key: number, _forget: boolean): void {
    this.queue.delete(key);
  }

  evict(): number | undefined {
    return this.queue.shift();
  }
}
