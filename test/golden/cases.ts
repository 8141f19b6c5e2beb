/**
 * The policy regression suite's cases: the base scenario with one policy or setting changed.
 * Snapshots of their key metrics live in snapshots.json; regenerate them deliberately with
 * `npm run golden:update` after a change that is meant to move the numbers, and say why in the commit.
 */
const SMALL_HBM = 'prefill.gpu_memory_utilization=0.43';
const SAME_HW = ['decode.device=mi300x', 'decode.devices_per_node=2', 'decode.tp=2', 'decode.nic.bandwidth=400 Gb/s', 'decode.nic.count=2'];

export const CASES: Readonly<Record<string, readonly string[]>> = {
  'round_robin': ['prefill.router=round_robin'],
  'least_loaded': [],
  'cache_aware': ['prefill.router=cache_aware'],
  'kv_balance': ['prefill.router=kv_balance'],
  'cache_aware+global_pool': ['prefill.router=cache_aware', 'cache.global_pool=true'],
  'decode_least_kv': ['decode.router=least_kv'],
  'decode_predicted_tbt': ['decode.router=predicted_tbt'],
  // A small HBM KV pool (~60k tokens per instance) so that eviction policies matter.
  'hbm_lru_small': [SMALL_HBM],
  'hbm_lfu_small': [SMALL_HBM, 'cache.hbm_eviction=lfu'],
  'hbm_s3fifo_small': [SMALL_HBM, 'cache.hbm_eviction=s3fifo'],
  'hbm_fifo_small': [SMALL_HBM, 'cache.hbm_eviction=fifo'],
  'hbm_cost_aware_small': [SMALL_HBM, 'cache.hbm_eviction=cost_aware'],
  'tiers_s3': ['cache.local_cpu.size=64 GB', 'cache.remote.backend=s3'],
  'tiers_nfs_rdma': ['cache.local_cpu.size=64 GB', 'cache.remote.backend=nfs_rdma'],
  'colocated': ['mode=colocated'],
  // Both pools on the same hardware (MI300X TP2), to isolate what mixing prefill into decode costs.
  'same_hw_disaggregated': SAME_HW,
  'same_hw_colocated': [...SAME_HW, 'mode=colocated'],
  'admission': ['admission.enabled=true', 'admission.ttft_limit=1 s'],
  'tcp': ['network.transport=tcp'],
};
