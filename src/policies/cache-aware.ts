import type { Request } from '../workload/request.js';
import type { CacheAwareIndex } from './cache-aware-index.js';
import type { PrefillView, Router } from './router.js';

/**
 * Mooncake Conductor's prefill selection: the instance where the request would get its first
 * token soonest, given its queue and what prefix it can reuse there (and how fast it can load it).
 * Ties go to the less loaded instance, then the lower index. With an index (set by the cluster
 * when it is valid, see CacheAwareIndex) only the instances that can win are estimated.
 */
/** Holder lists up to this long are cheap to mark (see CacheAwareIndex.holdingDepth). */
const FEW_HOLDERS = 16;

export class CacheAwareRouter implements Router<PrefillView> {
  readonly name = 'cache_aware';
  index: CacheAwareIndex | undefined;
  /** Prompt tokens per hash block (to know whether a prompt has a full first block). */
  blockSize = Infinity;

  route(req: Request, instances: readonly PrefillView[]): number {
    if (this.index) {
      const first = req.inputTokens >= this.blockSize ? req.blockHashes[0] : undefined;
      return this.best(req, instances, this.index.candidatesFor(first));
    }
    let best = instances[0];
    let bestTtft = Infinity;
    for (const v of instances) {
      const t = v.estimateTtft(req);
      if (t < bestTtft || (t === bestTtft && v.load() < best.load())) {
        best = v;
        bestTtft = t;
      }
    }
    return best.index;
  }

  /**
   * The same choice as the full scan — the least (estimate, load, index) — over the candidate
   * positions, estimating only those that can win. First the least by (backlog, load, position),
   * the likeliest winner; then the others, each skipped when it provably cannot beat what is known:
   *
   * - an instance's estimate is at least its queue delay plus the fastest prefill any cache hit
   *   could give (the minimum over every hit length), so one whose bound exceeds a known estimate
   *   (the best non-holder's, then the best so far) loses. The margin keeps rounding out of it: a
   *   skipped instance is worse by far more than the arithmetic's error.
   * - tighter, and exact: its estimate is its queue delay + the prefill time of its hit, and its
   *   hit is at most `depth` blocks unless it holds block `depth` (see
   *   CacheAwareIndex.holdingDepth), so the estimate is at least queue delay + the least prefill
   *   time over hits up to that cap — the same doubles added the same way. Above the best: it
   *   loses; equal: it can only tie, and a tie goes to the lower (load, index).
   *
   * This collapses the hundreds of idle holders of a popular system prompt, which tie, into the
   * first of them, without sorting them. `count`: the index's candidates (its candidatesFor).
   */
  private best(req: Request, instances: readonly PrefillView[], count: number): number {
    const index = this.index!;
    const full = Math.floor(req.inputTokens / this.blockSize);
    // fastestUpTo[h]: the least prefill time of the prompt over hits of 0..h blocks (written by
    // index: the list keeps its storage from one request to the next).
    const fastestUpTo = this.fastestUpTo;
    let floor = Infinity;
    for (let h = 0; h <= full; h++) {
      const cached = Math.min(h * this.blockSize, req.inputTokens - 1);
      floor = Math.min(floor, index.model.prefillTime(req.inputTokens - cached, cached));
      fastestUpTo[h] = floor;
    }
    const depth = count > FEW_HOLDERS ? index.holdingDepth(req.blockHashes, full, FEW_HOLDERS) : full;
    let bound = index.bestOther >= 0 ? this.noHitTtft(index.bestOther) : Infinity;
    let best: PrefillView | undefined;
    let bestTtft = Infinity;
    let bestLoad = Infinity;
    let first = index.candidate(0);
    for (let i = 1; i < count; i++) if (index.precedes(index.candidate(i), first)) first = index.candidate(i);
    for (let i = -1; i < count; i++) {
      const p = i < 0 ? first : index.candidate(i);
      if (i >= 0 && p === first) continue;
      if (index.queueDelay(p) + floor > bound * (1 + 1e-9)) continue;
      const v = instances[p];
      if (best !== undefined) {
        const maxHits = !index.holdsFirst(p) ? 0 : depth < full && !index.holdsDepth(p) ? depth : full;
        const least = index.exactQueueDelay(p) + fastestUpTo[maxHits];
        if (least > bestTtft) continue;
        if (least === bestTtft && !(v.load() < bestLoad || (v.load() === bestLoad && v.index < best.index))) continue;
      }
      const t = index.holdsFirst(p) ? v.estimateTtft(req) : this.noHitTtft(p);
      if (t < bound) bound = t;
      if (best === undefined || t < bestTtft || (t === bestTtft && (v.load() < bestLoad || (v.load() === bestLoad && v.index < best.index)))) {
        best = v;
        bestTtft = t;
        bestLoad = v.load();
      }
    }
    // Nothing estimated (cannot happen with a finite bound): the scan's default, the lowest position.
    if (best) return best.index;
    let lowest = Infinity;
    for (let i = 0; i < count; i++) lowest = Math.min(lowest, index.candidate(i));
    return lowest;
  }

  private readonly fastestUpTo: number[] = [];

  /**
   * The estimate of an instance not holding the prompt's first block (of the prompt `best` is
   * routing): it reuses none of it, so its estimateTtft is the closed form queue delay + prefill of
   * the whole prompt (see CacheAwareIndex) — the same doubles added the same way, without a lookup
   * in its cache.
   */
  private noHitTtft(position: number): number {
    return this.index!.exactQueueDelay(position) + this.fastestUpTo[0];
  }

  /** Stateless: the same pick as `route`. */
  preview(req: Request, instances: readonly PrefillView[]): number {
    return this.route(req, instances);
  }
}
