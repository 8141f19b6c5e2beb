import type { Request } from '../workload/request.js';

/** What a router may know about an instance when choosing it. */
export interface InstanceView {
  readonly index: number;
  /** Requests assigned and not yet done with this instance (queued + running). */
  load(): number;
}

/** Picks the instance of a pool that gets a request. One small interface for every policy. */
export interface Router {
  readonly name: string;
  route(req: Request, instances: readonly InstanceView[]): number;
}
