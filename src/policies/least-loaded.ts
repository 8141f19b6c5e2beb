import type { InstanceView, Router } from './router.js';

/**
 * NGINX `least_conn`: the instance with the fewest outstanding requests; ties go round-robin from
 * the last choice so equal instances share work instead of the first one taking it all.
 */
export class LeastLoadedRouter implements Router {
  readonly name = 'least_loaded';
  private last = -1;

  route(_req: unknown, instances: readonly InstanceView[]): number {
    const n = instances.length;
    let best = -1;
    let bestLoad = Infinity;
    for (let k = 1; k <= n; k++) {
      const i = (this.last + k) % n;
      const load = instances[i].load();
      if (load < bestLoad) {
        bestLoad = load;
        best = i;
      }
    }
    this.last = best;
    return instances[best].index;
  }
}
