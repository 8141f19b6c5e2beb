import type { Simulator } from '../engine/simulator.js';
import type { CacheConfig } from '../scenario/schema.js';
import { InputError } from '../scenario/input-error.js';
import type { BlockStore, StoreLifecycle } from './kv-tiers/block-store.js';

type LifecycleConfig = NonNullable<CacheConfig['remote']>['lifecycle'];

/**
 * How old KV objects leave an "unbounded" object store, the three strategies of the vLLM PD
 * recipe's object-storage lifecycle section:
 * - `metadata_cleanup`: a metadata store (Redis/etcd) tracks every object; a background job wakes
 *   every `interval` and deletes the eviction policy's victims (LRU by default) until the store is
 *   back under `size`. Between runs the store over-fills (and is billed for it).
 * - `expiration`: an S3 lifecycle rule expires objects `ttl` after their last write. An expired
 *   object misses at once (LMCache then recomputes and re-PUTs it); the lifecycle scan deletes it
 *   at its next run every `interval` (RGW processes lifecycle rules in periodic batches).
 * - `hybrid`: both (the recipe: local tiers strict LRU, S3 as a write-mostly cold tier whose
 *   lifecycle rules clean up, with a size backstop).
 * Background work runs lazily at the first store access after each `interval` boundary, so a
 * finished simulation has no timers left.
 */
export class Lifecycle implements StoreLifecycle {
  private readonly writtenAt = new Map<number, number>();
  private nextRun: number;

  private constructor(
    private readonly sim: Simulator,
    /** Size cap enforced by background cleanup, blocks (Infinity: none). */
    private readonly capacity: number,
    /** Expiration age, s (Infinity: never). */
    readonly ttl: number,
    readonly interval: number,
  ) {
    this.nextRun = interval;
  }

  /** The lifecycle a remote tier's config asks for (undefined for `none`); validates its keys. */
  static create(cfg: LifecycleConfig, capacity: number, sim: Simulator, file: string): Lifecycle | undefined {
    const key = 'cache.remote.lifecycle';
    if (cfg.strategy === 'none') {
      if (cfg.ttl !== undefined) throw new InputError(file, `${key}.ttl`, 'needs strategy expiration or hybrid');
      return undefined;
    }
    const expires = cfg.strategy === 'expiration' || cfg.strategy === 'hybrid';
    const cleans = cfg.strategy === 'metadata_cleanup' || cfg.strategy === 'hybrid';
    if (expires && cfg.ttl === undefined) throw new InputError(file, `${key}.ttl`, `required for strategy ${cfg.strategy} (e.g. "7 days")`);
    if (!expires && cfg.ttl !== undefined) throw new InputError(file, `${key}.ttl`, `not used by strategy ${cfg.strategy}`);
    if (cfg.strategy === 'metadata_cleanup' && !Number.isFinite(capacity)) {
      throw new InputError(file, 'cache.remote.size', 'strategy metadata_cleanup needs a size to clean down to');
    }
    return new Lifecycle(sim, cleans ? capacity : Infinity, expires ? cfg.ttl! : Infinity, cfg.interval);
  }

  /** Whether the store is capped by background cleanup rather than inline eviction. */
  get cleansBySize(): boolean {
    return Number.isFinite(this.capacity);
  }

  attach(store: BlockStore): void {
    store.lifecycle = this;
  }

  written(hash: number): void {
    this.writtenAt.set(hash, this.sim.now);
  }

  live(hash: number): boolean {
    const at = this.writtenAt.get(hash);
    return at !== undefined && this.sim.now - at < this.ttl;
  }

  tick(store: BlockStore): void {
    const now = this.sim.now;
    if (now < this.nextRun) return;
    this.nextRun = (Math.floor(now / this.interval) + 1) * this.interval;
    if (Number.isFinite(this.ttl)) {
      for (const [hash, at] of this.writtenAt) {
        if (now - at >= this.ttl || !store.holds(hash)) {
          this.writtenAt.delete(hash);
          store.delete(hash);
        }
      }
    }
    while (store.usedBlocks > this.capacity) {
      const victim = store.cleanupOne();
      if (victim === undefined) break;
      this.writtenAt.delete(victim);
    }
  }
}
