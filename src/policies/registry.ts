import { LeastLoadedRouter } from './least-loaded.js';
import { RoundRobinRouter } from './round-robin.js';
import type { Router } from './router.js';

/** Router policies by scenario name. Adding a policy = one file + one line here. */
export const ROUTERS: Readonly<Record<string, () => Router>> = {
  round_robin: () => new RoundRobinRouter(),
  least_loaded: () => new LeastLoadedRouter(),
};

export const ROUTER_NAMES = Object.keys(ROUTERS) as [string, ...string[]];
