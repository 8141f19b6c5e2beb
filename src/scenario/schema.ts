import { z } from 'zod';
import { PCIE_BANDWIDTH_PER_DEVICE, REMOTE_PROFILES } from '../storage/catalog.js';
import { EVICTION_POLICY_NAMES } from '../policies/eviction/registry.js';
import { DECODE_ROUTER_NAMES, PREFILL_ROUTER_NAMES } from '../policies/registry.js';
import { COST_DEFAULTS as C } from '../cost/defaults.js';
import { POWER_DEFAULTS as P } from '../power/defaults.js';
import { parseQuantity, type UnitKind } from './units.js';

/**
 * The scenario file format: one zod schema is the single source of truth for validation, defaults
 * and the parsed types. YAML keys are snake_case like vLLM's flags; quantities take units.
 */

const REMOTE_BACKENDS = Object.keys(REMOTE_PROFILES) as [string, ...string[]];

function quantity(kind: UnitKind) {
  return z.union([z.number(), z.string()]).transform((v, ctx) => {
    const n = parseQuantity(v, kind);
    if (typeof n === 'string') {
      ctx.addIssue({ code: 'custom', message: n });
      return z.NEVER;
    }
    return n;
  });
}

const positiveQuantity = (kind: UnitKind) =>
  quantity(kind).refine((n) => n > 0, { message: `must be greater than zero` });
const nonNegativeQuantity = (kind: UnitKind) =>
  quantity(kind).refine((n) => n >= 0, { message: `must not be negative` });

const posInt = z.number().int().positive();
const dtype = z.enum(['bf16', 'fp8']);

const nic = z.strictObject({
  /** NICs per node; their bandwidths add up. */
  count: posInt.default(1),
  /** Line rate of one NIC, e.g. "400 Gb/s". */
  bandwidth: positiveQuantity('bandwidth').default(50e9),
});

const pool = (routers: [string, ...string[]], minNodes: 0 | 1) => z.strictObject({
  /** Nodes of this pool (decode: 0 allowed in colocated mode, i.e. a single pool such as one benchmark engine). */
  nodes: z.number().int().min(minNodes, { message: minNodes === 1 ? 'expected a positive integer' : 'must not be negative' }),
  device: z.string(),
  devices_per_node: posInt.default(8),
  tp: posInt.default(1),
  max_num_seqs: posInt.default(256),
  max_num_batched_tokens: posInt.default(8192),
  gpu_memory_utilization: z.number().gt(0).max(1).default(0.9),
  /**
   * Tokens per KV page (vLLM --block-size): the unit every instance allocates, reserves and counts
   * KV capacity in (hash blocks stay the unit of prefix matching and tier storage). Default: the
   * device's vLLM default (16; 128 on Gaudi). Must divide the workload's hash-block size.
   */
  kv_page_size: posInt.optional(),
  router: z.enum(routers).default('least_loaded'),
  /** Scale-out NICs of one node (KV transfer). Default: one 400 Gb/s NIC per device. */
  nic: nic.optional(),
});

const share = z.number().gt(0).max(1);

const deviceOverride = z.strictObject({
  /** Catalog device this one starts from (for a new id); defaults to the id itself. */
  base: z.string().optional(),
  name: z.string().optional(),
  hbm: positiveQuantity('bytes').optional(),
  hbm_bandwidth: positiveQuantity('bandwidth').optional(),
  bf16_tflops: z.number().positive().optional(),
  fp8_tflops: z.number().positive().optional(),
  price_per_hour: z.number().nonnegative().optional(),
  /** Board power limit, W: what a fully active device draws (src/power/). */
  tdp_watts: z.number().positive().optional(),
  /** Board power with the model loaded and nothing running, W. */
  idle_watts: z.number().nonnegative().optional(),
  /** Purchase price of one device, $ (cost.basis: capex). */
  purchase_price: z.number().nonnegative().optional(),
  /** Shorthand: the GEMM efficiency of both dtypes (share of the dense peak). */
  mfu: share.optional(),
  /** GEMM efficiency per dtype (share of that dtype's dense peak); wins over `mfu`. */
  gemm_efficiency: z.strictObject({ bf16: share.optional(), fp8: share.optional() }).optional(),
  /** Share of HBM bandwidth reached streaming weights. */
  mbu: share.optional(),
  /** Share of the BF16 peak reached by prefill (flash) attention. */
  prefill_attention_efficiency: share.optional(),
  /** Share of HBM bandwidth reached by decode attention reading the KV cache. */
  decode_attention_efficiency: share.optional(),
  /** Fixed host cost per engine step. */
  step_overhead: nonNegativeQuantity('time').optional(),
  /** Host cost per sequence producing a token in a step. */
  seq_overhead: nonNegativeQuantity('time').optional(),
  /** Scale-up fabric of the tensor-parallel all-reduces. */
  scale_up: z
    .strictObject({
      topology: z.enum(['mesh', 'switch']).optional(),
      /** One-way bandwidth to one peer (mesh). */
      peer_bandwidth: positiveQuantity('bandwidth').optional(),
      /** One-way aggregate bandwidth of one device. */
      aggregate_bandwidth: positiveQuantity('bandwidth').optional(),
      /** Latency of one hop. */
      latency: nonNegativeQuantity('time').optional(),
      /** Achieved all-reduce bus bandwidth / link-limited bus bandwidth (nccl-tests busbw). */
      bus_efficiency: z.number().gt(0).max(1.5).optional(),
      algorithm: z.enum(['ring', 'one_shot', 'auto']).optional(),
      /** Share of the all-reduce time hidden behind compute. */
      overlap: z.number().min(0).max(1).optional(),
    })
    .optional(),
});

const lengthDist = z.discriminatedUnion('dist', [
  z.strictObject({ dist: z.literal('fixed'), value: posInt }),
  z.strictObject({ dist: z.literal('uniform'), min: posInt, max: posInt }),
  z.strictObject({
    dist: z.literal('lognormal'),
    mean: z.number().positive(),
    cv: z.number().nonnegative(),
    min: posInt.optional(),
    max: posInt.optional(),
  }),
]);

const arrival = z.discriminatedUnion('process', [
  z.strictObject({ process: z.literal('poisson'), rate: z.number().positive() }),
  z.strictObject({ process: z.literal('gamma'), rate: z.number().positive(), cv: z.number().positive() }),
]);

const syntheticWorkload = z.strictObject({
  type: z.literal('synthetic'),
  block_size: posInt.default(512),
  num_requests: posInt.optional(),
  duration: positiveQuantity('time').optional(),
  arrival,
  input_tokens: lengthDist,
  output_tokens: lengthDist,
  prefix_groups: z
    .strictObject({ count: posInt, prefix_tokens: posInt, zipf_alpha: z.number().nonnegative().default(1) })
    .optional(),
  sessions: z.strictObject({ turns_mean: z.number().min(1), think_time: nonNegativeQuantity('time') }).optional(),
  max_context_tokens: posInt.optional(),
});

const traceWorkload = z.strictObject({
  type: z.literal('mooncake_trace'),
  /** Relative paths resolve against the scenario file's folder. */
  path: z.string().min(1),
  /** Multiplies inter-arrival times: 0.5 replays twice as fast. */
  time_scale: z.number().positive().default(1),
  limit: posInt.optional(),
  /** Skip requests before this trace time and start the clock there. */
  start: nonNegativeQuantity('time').default(0),
  /** Drop malformed lines (counted in summary.requests.skipped_trace_lines) instead of failing. */
  skip_bad_lines: z.boolean().default(false),
});

/**
 * Azure LLM inference trace (CSV: TIMESTAMP, ContextTokens, GeneratedTokens). It has no block
 * hashes: `prefix_groups` models shared prompt prefixes (none without it).
 */
const azureTraceWorkload = z.strictObject({
  type: z.literal('azure_trace'),
  /** Relative paths resolve against the scenario file's folder. */
  path: z.string().min(1),
  time_scale: z.number().positive().default(1),
  limit: posInt.optional(),
  /** Skip requests in the first `start` of the trace and start the clock there. */
  start: nonNegativeQuantity('time').default(0),
  skip_bad_lines: z.boolean().default(false),
  /** Tokens per hash block of the modelled prefixes. */
  block_size: posInt.default(512),
  prefix_groups: z
    .strictObject({ count: posInt, prefix_tokens: posInt, zipf_alpha: z.number().nonnegative().default(1) })
    .optional(),
});

const localTier = (defaultEviction: string) =>
  z.strictObject({
    /** Capacity per prefill instance (LMCache max_local_cpu_size / max_local_disk_size). */
    size: positiveQuantity('bytes'),
    eviction: z.enum(EVICTION_POLICY_NAMES).default(defaultEviction),
    latency: nonNegativeQuantity('time').optional(),
    /** Loads only: writes (demotions) are counted, not timed — no other traffic shares them. */
    read_bandwidth: positiveQuantity('bandwidth').optional(),
  });

/** Per-request latency: a time (fixed), { min, max } (uniform) or { mean, cv, min?, max? } (lognormal). */
const latencyDist = z.union([
  nonNegativeQuantity('time'),
  z.strictObject({ min: nonNegativeQuantity('time'), max: nonNegativeQuantity('time') }),
  z.strictObject({
    mean: nonNegativeQuantity('time'),
    cv: z.number().nonnegative(),
    min: nonNegativeQuantity('time').optional(),
    max: nonNegativeQuantity('time').optional(),
  }),
]);

const lifecycle = z.strictObject({
  /**
   * How old KV objects leave the store: none (kept forever, or evicted inline at `size`);
   * metadata_cleanup (a metadata store tracks objects; a background job deletes LRU ones down to
   * `size` every `interval`); expiration (S3 lifecycle rule: objects expire `ttl` after their last
   * write; expired objects miss); hybrid (both).
   */
  strategy: z.enum(['none', 'metadata_cleanup', 'expiration', 'hybrid']).default('none'),
  /** Expiration age after the last write (S3 lifecycle Expiration), e.g. "7 days" or "1 h". */
  ttl: positiveQuantity('time').optional(),
  /** Period of the background cleanup / lifecycle scan. */
  interval: positiveQuantity('time').default(60),
});

const remoteTier = z.strictObject({
  /** Profile of the shared remote store (LMCache remote_url): s3 | nfs_rdma | redis | valkey | infinistore | mooncake. */
  backend: z.enum(REMOTE_BACKENDS),
  /** Total capacity shared by all instances; "unlimited" (default) for object stores. */
  size: z.union([z.literal('unlimited'), positiveQuantity('bytes')]).default('unlimited'),
  eviction: z.enum(EVICTION_POLICY_NAMES).default('lru'),
  /** Per request (GET/PUT first byte, one file operation): time, {min,max} or {mean,cv,min,max}. */
  latency: latencyDist.optional(),
  /** One connection's (request stream's) bandwidth. */
  read_bandwidth: positiveQuantity('bandwidth').optional(),
  write_bandwidth: positiveQuantity('bandwidth').optional(),
  /** Requests one client keeps in flight (S3 connection pool, outstanding file operations). */
  connections: posInt.optional(),
  /** Storage nodes (OSD hosts / KV servers): the aggregate bandwidth scales with them. */
  nodes: posInt.optional(),
  /** Request servers (RGW daemons / NFS-Ganesha servers): request rate (and NFS bandwidth) scale with them. */
  gateways: posInt.optional(),
  /** Requests per second one gateway admits (RGW ratelimit max-read-ops / max-write-ops, per second). */
  gateway_read_ops: z.number().positive().optional(),
  gateway_write_ops: z.number().positive().optional(),
  /** The whole service's bandwidth over all clients (overrides the node-scaled aggregate). */
  aggregate_read_bandwidth: positiveQuantity('bandwidth').optional(),
  aggregate_write_bandwidth: positiveQuantity('bandwidth').optional(),
  /** s3 only: objects above this size move as parallel parts of this size (multipart / ranged GETs). */
  part_size: positiveQuantity('bytes').optional(),
  /** nfs_rdma only: mount options (rsize/wsize bytes per RPC, nconnect transport connections). */
  rsize: positiveQuantity('bytes').optional(),
  wsize: positiveQuantity('bytes').optional(),
  nconnect: posInt.max(16).optional(),
  /** Cleanup of old objects (metadata store + background cleanup, time-based expiration, hybrid). */
  lifecycle: lifecycle.prefault({}),
});

/** KV-cache hierarchy of the prefill pool: vLLM's HBM prefix cache, then LMCache tiers. */
const cache = z.strictObject({
  /** Eviction policy of the HBM prefix cache (vLLM: lru). */
  hbm_eviction: z.enum(EVICTION_POLICY_NAMES).default('lru'),
  /** LMCache chunk_size, tokens: must divide the workload's block size (or be a multiple of it). */
  chunk_size: posInt.default(256),
  local_cpu: localTier('lru').optional(),
  local_disk: localTier('lru').optional(),
  remote: remoteTier.optional(),
  /** When blocks are written to the remote tier (vLLM RFC 14724): all (write-through), hot, evicted. */
  offload: z.enum(['all', 'hot', 'evicted']).default('all'),
  /** Hits before a block counts as hot (offload: hot). */
  hot_threshold: posInt.default(2),
  /**
   * Mooncake's global KV pool: a prefill instance may read a prefix from another instance's HBM or
   * DRAM over RDMA (on by default for the kv_balance router).
   */
  global_pool: z.boolean().default(false),
  /** Decode instances write the finished request's KV to the remote tier. */
  save_decode_cache: z.boolean().default(false),
  /** Global-pool peer choice among the instances holding a block: least_loaded NIC, or lowest_index. */
  pool_peer: z.enum(['least_loaded', 'lowest_index']).default('least_loaded'),
  /** cost_aware eviction: exponent of the prefix size in the recompute cost (vLLM RFC 23641: 2). */
  cost_aware_alpha: z.number().min(0).max(4).default(2),
  /**
   * lfu / cost_aware: dynamic aging (LFU-DA / GDSF): a block's priority starts from the priority of
   * the last victim, so once-hot blocks that stop being used eventually leave. false: plain LFU.
   */
  lfu_aging: z.boolean().default(true),
  /** Layer-wise pipelining: compute starts once the first layer's KV has loaded. */
  use_layerwise: z.boolean().default(false),
  /** Host<->device link per device (PCIe Gen5 x16 ~55 GB/s measured). */
  pcie_bandwidth: positiveQuantity('bandwidth').default(PCIE_BANDWIDTH_PER_DEVICE),
});

const SLO_METRICS = ['ttft', 'tbt', 'tpot', 'e2e'] as const;
const SLO_PERCENTILES = ['p50', 'p90', 'p95', 'p99'] as const;
export type SloKey = `${(typeof SLO_METRICS)[number]}_${(typeof SLO_PERCENTILES)[number]}`;
const sloShape = Object.fromEntries(
  SLO_METRICS.flatMap((m) => SLO_PERCENTILES.map((p) => [`${m}_${p}`, positiveQuantity('time').optional()])),
) as Record<SloKey, z.ZodOptional<ReturnType<typeof positiveQuantity>>>;

const nonNegative = z.number().nonnegative();

/** Power around the accelerators (their idle/TDP come from the catalog or `hardware:`). Sources: src/power/defaults.ts. */
const power = z.strictObject({
  /** Power usage effectiveness: facility energy / IT energy. */
  pue: z.number().min(1).max(3).default(P.pue),
  /** Host power of one node (CPUs, base DRAM, fans; no accelerators, no NICs), W. */
  host_watts: nonNegative.default(P.hostWatts),
  /** One scale-out NIC with optics, W. */
  nic_watts: nonNegative.default(P.nicWatts),
  /** Share of a device's dynamic power (TDP − idle) drawn while only HBM traffic bounds a step (0–1). */
  memory_activity: z.number().min(0).max(1).default(P.memoryActivity),
  /** Cache tiers: W per GB of DRAM, per TB of NVMe, per TB stored in the remote store. */
  dram_watts_per_gb: nonNegative.default(P.dramWattsPerGb),
  nvme_watts_per_tb: nonNegative.default(P.nvmeWattsPerTb),
  remote_watts_per_tb: nonNegative.default(P.remoteWattsPerTb),
});

/** TCO model. Sources: src/cost/defaults.ts; device prices in the hardware catalog. */
const cost = z.strictObject({
  /**
   * rental: devices at their $/device-hour (power and hosting included);
   * capex: device, node and NIC purchase prices amortised over lifetime_years plus electricity × PUE.
   */
  basis: z.enum(['rental', 'capex']).default('rental'),
  /** $ per kWh of facility energy. */
  electricity_per_kwh: nonNegative.default(C.electricityPerKwh),
  /** Amortisation period of bought hardware, years (capex; cache-tier DRAM/NVMe in both bases). */
  lifetime_years: z.number().positive().default(C.lifetimeYears),
  /** One server without accelerators/NICs, $ (capex). */
  node_price: nonNegative.default(C.nodePrice),
  /** One scale-out NIC, $ (capex). */
  nic_price: nonNegative.default(C.nicPrice),
  /** Cache-tier hardware, $ per GB (amortised over lifetime_years). */
  dram_per_gb: nonNegative.default(C.dramPerGb),
  nvme_per_gb: nonNegative.default(C.nvmePerGb),
  /** Remote store capacity, $ per GB-month (default: the backend profile's price). */
  remote_per_gb_month: nonNegative.optional(),
  /** S3 request prices, $ per 1,000 (backend s3). */
  s3_get_per_1000: nonNegative.default(C.s3GetPer1000),
  s3_put_per_1000: nonNegative.default(C.s3PutPer1000),
});

export const scenarioSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9._-]+$/, 'use letters, digits, ".", "_" or "-" (it names the output folder)'),
  description: z.string().optional(),
  seed: z.union([z.number().int(), z.string()], { error: 'expected an integer or a string' }).default(1),
  model: z.string(),
  /** disaggregated: prefill and decode pools with KV handoff; colocated: every instance does both. */
  mode: z.enum(['disaggregated', 'colocated']).default('disaggregated'),
  dtype: dtype.default('bf16'),
  kv_dtype: dtype.default('bf16'),
  hardware: z.record(z.string(), deviceOverride).default({}),
  prefill: pool(PREFILL_ROUTER_NAMES, 1),
  decode: pool(DECODE_ROUTER_NAMES, 0),
  network: z
    .strictObject({
      /** Transport of the KV handoff (NIXL: rdma = UCX/RDMA, tcp); storage tiers use their own. */
      transport: z.enum(['rdma', 'tcp']).default('rdma'),
      /** per_rank: each TP rank's KV shard moves over the NIC next to it, in parallel (NIXL); single: one NIC. */
      handoff: z.enum(['per_rank', 'single']).default('per_rank'),
      latency: nonNegativeQuantity('time').optional(),
      efficiency: z.number().gt(0).max(1).optional(),
    })
    .prefault({}),
  workload: z.discriminatedUnion('type', [syntheticWorkload, traceWorkload, azureTraceWorkload]),
  cache: cache.prefault({}),
  /**
   * Early rejection (Mooncake's overload-oriented scheduling): a request whose predicted TTFT or
   * TBT exceeds the limit is rejected at arrival. Limits default to the smallest matching SLO target.
   */
  admission: z
    .strictObject({
      enabled: z.boolean().default(false),
      ttft_limit: positiveQuantity('time').optional(),
      tbt_limit: positiveQuantity('time').optional(),
    })
    .prefault({}),
  slo: z.strictObject(sloShape).default({}),
  /**
   * Claims checked after the run, e.g. prefill_tokens_per_s: 50K-100K, ttft_p95: "< 1 s",
   * hit_rate: "> 60%" (metrics and syntax: src/expectations/).
   */
  expectations: z.record(z.string(), z.union([z.string(), z.number()])).default({}),
  power: power.prefault({}),
  cost: cost.prefault({}),
});

export type ScenarioInput = z.input<typeof scenarioSchema>;
export type Scenario = z.output<typeof scenarioSchema>;
export type PoolConfig = Scenario['prefill'];
export type DeviceOverride = z.output<typeof deviceOverride>;
export type CacheConfig = Scenario['cache'];
export type PowerConfig = Scenario['power'];
export type CostConfig = Scenario['cost'];
