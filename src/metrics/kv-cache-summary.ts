import type { Cluster } from '../cluster/cluster.js';
import type { BlockStore } from '../storage/kv-tiers/block-store.js';
import type { MetricsCollector } from './collector.js';
import { distribution, type Distribution } from './stats.js';

export interface TierSummary {
  /** Capacity over all instances (bytes; null = unlimited). */
  capacity_bytes: number | null;
  peak_bytes: number;
  /** Bytes served to prefill from this tier (reused KV). */
  read_bytes: number;
  written_bytes: number;
  evicted_blocks: number;
  /** Share of all prompt tokens served from this tier. */
  hit_rate: number;
}

/** The remote store's requests, traffic and stored bytes (the recipe's monitoring list), for pricing. */
export interface RemoteSummary {
  backend: string;
  /** GetObject / PutObject (or file / key) requests, incl. multipart parts. */
  get_requests: number;
  put_requests: number;
  /** Bytes moved by those requests (GET includes loads later judged not worth it: none here). */
  get_bytes: number;
  put_bytes: number;
  /** Mean transfer bandwidth over the makespan, B/s. */
  get_bandwidth: number;
  put_bandwidth: number;
  /** Objects deleted by the lifecycle policy (expired or cleaned up), in blocks. */
  expired_blocks: number;
  /** Bytes stored at the end (lmcache:s3_cache_size) and on average over the run (sampled). */
  stored_bytes: number;
  mean_stored_bytes: number;
  /** Storage consumed: mean stored bytes × makespan, in GB-months (30-day months). */
  stored_gb_months: number;
  /** Monthly storage price at the peak stored bytes, $ (profile price per GB-month). */
  storage_cost_per_month: number;
}

/** summary.json `kv_cache`: where prompt tokens came from and what each tier did. */
export interface KvCacheSummary {
  /** Share of prompt tokens whose KV was reused (any tier). */
  hit_rate: number;
  tokens: { prompt: number; hbm: number; local_cpu: number; local_disk: number; pool: number; remote: number; recomputed: number };
  tiers: {
    hbm: TierSummary;
    local_cpu?: TierSummary;
    local_disk?: TierSummary;
    /** Reads from peer instances' HBM/DRAM over RDMA (global KV pool). */
    pool?: { read_bytes: number; hit_rate: number };
    remote?: TierSummary & RemoteSummary;
  };
  /**
   * Wait for reused KV from lower tiers before compute could start, for requests that loaded any
   * (with layer-wise pipelining: the first layer only; the rest streams behind compute).
   */
  load_s: Distribution;
  /** Prefill compute time the reuse saved (standalone step-time estimates), and its share. */
  compute_saved_s: number;
  compute_saved_share: number;
}

/**
 * `remotePricePerGbMonth` is the scenario's `cost.remote_per_gb_month` override, so the tier's
 * $/month and the cost model's tier line price the same storage (else the backend's list price).
 */
export function kvCacheSummary(cluster: Cluster, metrics: MetricsCollector, remotePricePerGbMonth?: number): KvCacheSummary {
  const t = { ...metrics.log.tokens };
  const share = (x: number) => (t.prompt > 0 ? x / t.prompt : 0);
  const bytesPerToken = cluster.plan.prefill.stepModel.kvBytesPerToken;
  const stores = cluster.tierStores;
  const blockBytes = stores.blockBytes;

  const lower = (list: readonly BlockStore[], tokens: number): TierSummary | undefined => {
    if (list.length === 0) return undefined;
    let capacity = 0;
    let peak = 0;
    let written = 0;
    let evicted = 0;
    for (const s of list) {
      capacity += s.capacityBlocks;
      peak += s.counters.peakBlocks;
      written += s.counters.writtenBlocks;
      evicted += s.counters.evictedBlocks;
    }
    return {
      capacity_bytes: Number.isFinite(capacity) ? capacity * blockBytes : null,
      peak_bytes: peak * blockBytes,
      read_bytes: tokens * bytesPerToken,
      written_bytes: written * blockBytes,
      evicted_blocks: evicted,
      hit_rate: share(tokens),
    };
  };

  const caches = cluster.caches;
  // HBM is counted in pages; a page holds 1/pagesPerBlock of a hash block's bytes.
  const pageBytes = (c: (typeof caches)[number]) => blockBytes / c.pagesPerBlock;
  const hbm: TierSummary = {
    capacity_bytes: caches.reduce((s, c) => s + c.capacityPages * pageBytes(c), 0),
    peak_bytes: caches.reduce((s, c) => s + c.peakPages * pageBytes(c), 0),
    read_bytes: t.hbm * bytesPerToken,
    // KV lands in HBM from compute or from lower-tier loads.
    written_bytes: (t.recomputed + t.local_cpu + t.local_disk + t.pool + t.remote) * bytesPerToken,
    evicted_blocks: caches.reduce((s, c) => s + c.evictedBlocks, 0),
    hit_rate: share(t.hbm),
  };
  const tiers: KvCacheSummary['tiers'] = { hbm };
  const cpu = lower(stores.localCpu, t.local_cpu);
  if (cpu) tiers.local_cpu = cpu;
  const disk = lower(stores.localDisk, t.local_disk);
  if (disk) tiers.local_disk = disk;
  if (t.pool > 0) tiers.pool = { read_bytes: t.pool * bytesPerToken, hit_rate: share(t.pool) };
  if (stores.remote && stores.remoteProfile) {
    const r = lower([stores.remote.store], t.remote)!;
    const c = stores.remote.service.counters;
    const samples = metrics.occupancy;
    // A loop, not a reduce callback: a closure made per run would be optimized anew in every run.
    let remoteBlocks = 0;
    for (const x of samples) remoteBlocks += x.remote;
    const meanBlocks = samples.length ? remoteBlocks / samples.length : 0;
    const span = makespan(metrics);
    const MONTH_S = 30 * 86_400;
    tiers.remote = {
      ...r,
      backend: stores.remoteProfile.id,
      get_requests: c.getRequests,
      put_requests: c.putRequests,
      get_bytes: c.readBytes,
      put_bytes: c.writtenBytes,
      get_bandwidth: span > 0 ? c.readBytes / span : 0,
      put_bandwidth: span > 0 ? c.writtenBytes / span : 0,
      expired_blocks: stores.remote.store.counters.expiredBlocks,
      stored_bytes: stores.remote.store.usedBlocks * blockBytes,
      mean_stored_bytes: meanBlocks * blockBytes,
      stored_gb_months: ((meanBlocks * blockBytes) / 1e9) * (span / MONTH_S),
      storage_cost_per_month: (r.peak_bytes / 1e9) * (remotePricePerGbMonth ?? stores.remoteProfile.pricePerGbMonth),
    };
  }
  const p = metrics.prefill;
  return {
    hit_rate: share(t.prompt - t.recomputed),
    tokens: t,
    tiers,
    load_s: distribution(metrics.log.load.toArray()),
    compute_saved_s: p.computeSaved,
    compute_saved_share: p.computeWithoutCache > 0 ? p.computeSaved / p.computeWithoutCache : 0,
  };
}

/**
 * First arrival to last finish (0 without finished requests), from the request log: records are
 * not kept in long runs (compare, sweeps), so they cannot be scanned here.
 */
function makespan(metrics: MetricsCollector): number {
  const log = metrics.log;
  if (log.total === 0) return 0;
  const span = log.lastFinish - log.firstArrival;
  return span > 0 ? span : 0;
}
