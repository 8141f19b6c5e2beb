/**
 * The policy regression suite's cases: the base scenario with one policy or setting changed.
 * Snapshots of their key metrics live in snapshots.json; regenerate them deliberately with
 * `npm run golden:update` after a change that is meant to move the numbers, and say why in the commit.
 */
import { EVICTION_POLICY_NAMES } from '../../src/policies/eviction/registry.js';
import { DECODE_ROUTER_NAMES, PREFILL_ROUTER_NAMES } from '../../src/policies/registry.js';

const SMALL_HBM = 'prefill.gpu_memory_utilization=0.43';
const SAME_HW = ['decode.device=mi300x', 'decode.devices_per_node=2', 'decode.tp=2', 'decode.nic.bandwidth=400 Gb/s', 'decode.nic.count=2'];

/** The base scenario's routers (base.yaml): their cases are the base run itself. */
const BASE_ROUTER = 'least_loaded';

/**
 * One case per registered policy (enumerated from the registries, so a new policy gets a snapshot
 * and the swap/ordering checks automatically), plus settings that change policy-relevant behaviour.
 */
export const CASES: Readonly<Record<string, readonly string[]>> = {
  ...Object.fromEntries(PREFILL_ROUTER_NAMES.map((r) => [r, r === BASE_ROUTER ? [] : [`prefill.router=${r}`]])),
  'cache_aware+global_pool': ['prefill.router=cache_aware', 'cache.global_pool=true'],
  ...Object.fromEntries(DECODE_ROUTER_NAMES.map((r) => [`decode_${r}`, r === BASE_ROUTER ? [] : [`decode.router=${r}`]])),
  // A small HBM KV pool (~60k tokens per instance) so that eviction policies matter.
  ...Object.fromEntries(EVICTION_POLICY_NAMES.map((p) => [`hbm_${p}_small`, p === 'lru' ? [SMALL_HBM] : [SMALL_HBM, `cache.hbm_eviction=${p}`]])),
  'tiers_s3': ['cache.local_cpu.size=64 GB', 'cache.remote.backend=s3'],
  'tiers_nfs_rdma': ['cache.local_cpu.size=64 GB', 'cache.remote.backend=nfs_rdma'],
  'colocated': ['mode=colocated'],
  // Both pools on the same hardware (MI300X TP2), to isolate what mixing prefill into decode costs.
  'same_hw_disaggregated': SAME_HW,
  'same_hw_colocated': [...SAME_HW, 'mode=colocated'],
  'admission': ['admission.enabled=true', 'admission.ttft_limit=1 s'],
  'tcp': ['network.transport=tcp'],
};
