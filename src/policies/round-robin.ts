import type { InstanceView, Router } from './router.js';

/** Cycles through instances regardless of load or cache contents. */
export class RoundRobinRouter implements Router {
  readonly name = 'round_robin';
  private next = 0;

  route(_req: unknown, instances: readonly InstanceView[]): number {
    const i = this.next % instances.length;
    this.next = i + 1;
    return instances[i].index;
  }
}
