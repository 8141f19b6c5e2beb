import { CostAwarePolicy } from './cost-aware.js';
import { FifoPolicy } from './fifo.js';
import { LfuPolicy } from './lfu.js';
import { LruPolicy } from './lru.js';
import type { EvictionOptions, EvictionPolicyFactory } from './policy.js';
import { S3FifoPolicy } from './s3fifo.js';

/** Eviction policies by scenario name. Adding a policy = one file + one line here. */
export const EVICTION_POLICIES: Readonly<Record<string, EvictionPolicyFactory>> = {
  lru: (_capacity, o) => new LruPolicy(o?.expectedKeys),
  lfu: (_capacity, o) => new LfuPolicy({ aging: o?.aging }),
  fifo: () => new FifoPolicy(),
  s3fifo: (capacity, o) => new S3FifoPolicy(capacity, o?.expectedKeys),
  cost_aware: (_capacity, o) => new CostAwarePolicy({ alpha: o?.alpha, aging: o?.aging }),
};

export const EVICTION_POLICY_NAMES = Object.keys(EVICTION_POLICIES) as [string, ...string[]];

export type { EvictionOptions };
