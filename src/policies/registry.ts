import { CacheAwareRouter } from './cache-aware.js';
import { KvBalanceRouter } from './kv-balance.js';
import { LeastKvRouter } from './least-kv.js';
import { LeastLoadedRouter } from './least-loaded.js';
import { PredictedTbtRouter } from './predicted-tbt.js';
import { RoundRobinRouter } from './round-robin.js';
import type { Rng } from './policy-rng.js';
import { RandomRouter } from './random.js';
import type { DecodeView, PrefillView, Router } from './router.js';

/**
 * Router policies by scenario name. Adding a policy = one file + one line here. Each factory gets
 * its own seeded random stream (a deterministic policy ignores it).
 */
export const PREFILL_ROUTERS: Readonly<Record<string, (rng: Rng) => Router<PrefillView>>> = {
  round_robin: () => new RoundRobinRouter(),
  least_loaded: () => new LeastLoadedRouter(),
  cache_aware: () => new CacheAwareRouter(),
  kv_balance: () => new KvBalanceRouter(),
  random: (rng) => new RandomRouter(rng),
};

export const DECODE_ROUTERS: Readonly<Record<string, (rng: Rng) => Router<DecodeView>>> = {
  round_robin: () => new RoundRobinRouter(),
  least_loaded: () => new LeastLoadedRouter(),
  least_kv: () => new LeastKvRouter(),
  predicted_tbt: () => new PredictedTbtRouter(),
  random: (rng) => new RandomRouter(rng),
};

export const PREFILL_ROUTER_NAMES = Object.keys(PREFILL_ROUTERS) as [string, ...string[]];
export const DECODE_ROUTER_NAMES = Object.keys(DECODE_ROUTERS) as [string, ...string[]];
