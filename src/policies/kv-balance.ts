import type { Request } from '../workload/request.js';
import type { PrefillView, Router } from './router.js';

/**
 * Cache-aware routing that also spreads hot prefixes. Instances fetch prefixes from their peers'
 * DRAM over RDMA (the cluster enables peer fetching for this policy), and among the instances
 * whose estimated TTFT is within `tolerance` of the best, the least loaded one wins: a hot prefix
 * gets copied to a quieter instance instead of piling its requests on the one that owns it.
 */
export class KvBalanceRouter implements Router<PrefillView> {
  readonly name = 'kv_balance';
  private readonly ttft: number[] = [];

  constructor(private readonly tolerance = 0.1) {}

  route(req: Request, instances: readonly PrefillView[]): number {
    let bestTtft = Infinity;
    for (let i = 0; i < instances.length; i++) {
      this.ttft[i] = instances[i].estimateTtft(req);
      if (this.ttft[i] < bestTtft) bestTtft = this.ttft[i];
    }
    const limit = bestTtft * (1 + this.tolerance);
    let pick = -1;
    for (let i = 0; i < instances.length; i++) {
      if (this.ttft[i] > limit) continue;
      if (pick < 0 || instances[i].load() < instances[pick].load()) pick = i;
    }
    return instances[pick].index;
  }

  /** Stateless: the same pick as `route`. */
  preview(req: Request, instances: readonly PrefillView[]): number {
    return this.route(req, instances);
  }
}
