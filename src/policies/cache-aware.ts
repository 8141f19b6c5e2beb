import type { Request } from '../workload/request.js';
import type { PrefillView, Router } from './router.js';

/**
 * Mooncake Conductor's prefill selection: the instance where the request would get its first
 * token soonest, given its queue and what prefix it can reuse there (and how fast it can load it).
 * Ties go to the less loaded instance, then the lower index.
 */
export class CacheAwareRouter implements Router<PrefillView> {
  readonly name = 'cache_aware';

  route(req: Request, instances: readonly PrefillView[]): number {
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
}
