import type { Request } from '../workload/request.js';
import type { Rng } from './policy-rng.js';
import type { InstanceView, Router } from './router.js';

/**
 * Uniformly random instance: the load-oblivious baseline of load-balancing studies (every smarter
 * policy should beat it). Draws from the seeded stream the registry hands it, so it follows --seed.
 */
export class RandomRouter implements Router {
  readonly name = 'random';
  constructor(private readonly rng: Rng) {}

  route(_req: Request, instances: readonly InstanceView[]): number {
    return Math.min(instances.length - 1, Math.floor(this.rng() * instances.length));
  }
}
