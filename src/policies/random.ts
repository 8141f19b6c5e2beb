import type { Request } from '../workload/request.js';
import type { Rng } from './policy-rng.js';
import type { InstanceView, Router } from './router.js';

/**
 * Uniformly random instance: the load-oblivious baseline of load-balancing studies (every smarter
 * policy should beat it). Draws from the seeded stream the registry hands it, so it follows --seed.
 */
export class RandomRouter implements Router {
  readonly name = 'random';
  /** The next draw, taken by `preview` and used by the following `route` (preview must not advance the stream). */
  private pending: number | undefined;

  constructor(private readonly rng: Rng) {}

  route(req: Request, instances: readonly InstanceView[]): number {
    const picked = this.preview(req, instances);
    this.pending = undefined;
    return picked;
  }

  preview(_req: Request, instances: readonly InstanceView[]): number {
    this.pending ??= this.rng();
    return Math.min(instances.length - 1, Math.floor(this.pending * instances.length));
  }
}
