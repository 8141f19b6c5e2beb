import type { InstanceView, Router } from './router.js';

/** Cycles through instances regardless of load or cache contents. */
export class RoundRobinRouter implements Router {
  readonly name = 'round_robin';
  private next = 0;

  route(req: unknown, instances: readonly InstanceView[]): number {
    const picked = this.preview(req, instances);
    this.next = (this.next % instances.length) + 1;
    return picked;
  }

  preview(_req: unknown, instances: readonly InstanceView[]): number {
    return instances[this.next % instances.length].index;
  }
}
