import { LoadIndex } from './load-index.js';
import type { InstanceView, Router } from './router.js';

/**
 * NGINX `least_conn`: the instance with the fewest outstanding requests; ties go round-robin from
 * the last choice so equal instances share work instead of the first one taking it all. Loads are
 * kept in a load-ordered index (the cluster reports every change), so a choice costs a bitset scan
 * of the least-loaded bucket, not a call to every instance.
 */
export class LeastLoadedRouter implements Router {
  readonly name = 'least_loaded';
  private last = -1;
  private index: LoadIndex | undefined;

  route(_req: unknown, instances: readonly InstanceView[]): number {
    this.index ??= new LoadIndex(instances.length, (i) => instances[i].load());
    const best = this.index.leastLoadedAfter(this.last);
    this.last = best;
    return instances[best].index;
  }

  loadChanged(position: number, load: number): void {
    this.index?.set(position, load);
  }
}
