import { z } from 'zod';
import { PCIE_BANDWIDTH_PER_DEVICE, REMOTE_PROFILES } from '../storage/catalog.js';
import { EVICTION_POLICY_NAMES } from '../policies/eviction/registry.js';
import { DECODE_ROUTER_NAMES, PREFILL_ROUTER_NAMES } from '../policies/registry.js';
import { MAX_OUTPUT_NAME_CHARS, OUTPUT_NAME_PATTERN, OUTPUT_NAME_RULE } from '../output/out-dir.js';
import { COST_DEFAULTS as C } from '../cost/defaults.js';
import { POWER_DEFAULTS as P } from '../power/defaults.js';
import { boundedInt, boundedNumber, boundedQuantity, percentHint, type Hint } from './bounds.js';

/**
 * The scenario file format: one zod schema is the single source of truth for validation, defaults
 * and the parsed types. YAML keys are snake_case like vLLM's flags; quantities take units.
 * Every numeric key is declared with boundedInt / boundedNumber / boundedQuantity (bounds.ts) and
 * its plausible range; test/scenario/bounds.test.ts fails for a number declared without one.
 */

const REMOTE_BACKENDS = Object.keys(REMOTE_PROFILES) as [string, ...string[]];

/** Quantities' plausibility bounds, in B, B/s, s (see bounds.ts for why every number has one). */
const KB = 1e3;
const MB = 1e6;
const GB = 1e9;
const TB = 1e12;
const PB = 1e15;
const DAY = 86_400;
/** Tokens of one prompt or answer: far above any model's context (10M). */
const MAX_TOKENS = 10_000_000;

const dtype = z.enum(['bf16', 'fp8']);

const tokens = boundedInt({ min: 1, max: MAX_TOKENS });
/** Requests per second: from one per ~12 days to a million. */
const arrivalRate = boundedNumber({ min: 1e-6, max: 1e6 });
const storageLatency = boundedQuantity('time', { min: 0, max: 60 });
const storageBandwidth = boundedQuantity('bandwidth', { min: 1 * MB, max: 10 * TB });
/** SLO targets and admission limits. */
const latencyTarget = boundedQuantity('time', { min: 0, exclusiveMin: true, max: 1 * DAY });
/** Peak TFLOP/s typed as FLOP/s (1.3e15 for 1300). */
const tflopsHint: Hint = (v) => (v >= 1e9 ? `in TFLOP/s: did you mean ${+(v / 1e12).toPrecision(6)}?` : undefined);
/** One accelerator board, W: today's run from ~300 W to ~1.2 kW (B200 1 kW); 10 kW is no single device. */
const deviceWatts = boundedNumber({ min: 0, exclusiveMin: true, max: 10_000 });
/** A purchase price, $: a device ~$10–40k, a host ~$30k; $10M is a whole rack row, never one item. */
const dollars = boundedNumber({ min: 0, max: 10_000_000 });
/** Requests/s one storage gateway admits: RGW daemons do thousands; a billion is no gateway. */
const gatewayOps = boundedNumber({ min: 0, exclusiveMin: true, max: 1e9 });
/** NFS rsize/wsize: Linux clients use 4 KiB–1 MiB per RPC; 1 kB–64 MB leaves room for tests and RDMA transports. */
const nfsRpcSize = boundedQuantity('bytes', { min: 1 * KB, max: 64 * MB });
/** Lognormal latency spread (std/mean): measured storage tails stay well below 10. */
const latencyCv = boundedNumber({ min: 0, max: 10 });

const nic = z.strictObject({
  /** NICs per node; their bandwidths add up. */
  count: boundedInt({ min: 1, max: 64 }).default(1),
  /** Line rate of one NIC, e.g. "400 Gb/s". */
  bandwidth: boundedQuantity('bandwidth', { min: 100 * MB, max: 1 * TB }).default(50e9),
});

const pool = (routers: [string, ...string[]], minNodes: 0 | 1) => z.strictObject({
  /** Nodes of this pool (decode: 0 allowed in colocated mode, i.e. a single pool such as one benchmark engine). */
  nodes: boundedInt({ min: minNodes, max: 4096 }),
  device: z.string(),
  devices_per_node: boundedInt({ min: 1, max: 64 }).default(8),
  tp: boundedInt({ min: 1, max: 64 }).default(1),
  max_num_seqs: boundedInt({ min: 1, max: 65_536 }).default(256),
  max_num_batched_tokens: boundedInt({ min: 1, max: 4_194_304 }).default(8192),
  gpu_memory_utilization: boundedNumber({ min: 0, exclusiveMin: true, max: 1, hint: percentHint }).default(0.9),
  /**
   * Tokens per KV page (vLLM --block-size): the unit every instance allocates, reserves and counts
   * KV capacity in (hash blocks stay the unit of prefix matching and tier storage). Default: the
   * device's vLLM default (16; 128 on Gaudi). Must divide the workload's hash-block size.
   */
  kv_page_size: boundedInt({ min: 1, max: 65_536 }).optional(),
  router: z.enum(routers).default('least_loaded'),
  /** Scale-out NICs of one node (KV transfer). Default: one 400 Gb/s NIC per device. */
  nic: nic.optional(),
});

/** A share of a peak (MFU, MBU, attention efficiency). */
const share = boundedNumber({ min: 0, exclusiveMin: true, max: 1, hint: percentHint });

const deviceOverride = z.strictObject({
  /** Catalog device this one starts from (for a new id); defaults to the id itself. */
  base: z.string().optional(),
  name: z.string().optional(),
  hbm: boundedQuantity('bytes', { min: 1 * GB, max: 10 * TB }).optional(),
  hbm_bandwidth: boundedQuantity('bandwidth', { min: 10 * GB, max: 100 * TB }).optional(),
  bf16_tflops: boundedNumber({ min: 0, exclusiveMin: true, max: 100_000, hint: tflopsHint }).optional(),
  fp8_tflops: boundedNumber({ min: 0, exclusiveMin: true, max: 100_000, hint: tflopsHint }).optional(),
  price_per_hour: boundedNumber({ min: 0, max: 10_000 }).optional(),
  /** Board power limit, W: what a fully active device draws (src/power/). */
  tdp_watts: deviceWatts.optional(),
  /** Board power with the model loaded and nothing running, W. */
  idle_watts: boundedNumber({ min: 0, max: 10_000 }).optional(),
  /** Purchase price of one device, $ (cost.basis: capex). */
  purchase_price: dollars.optional(),
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
  step_overhead: boundedQuantity('time', { min: 0, max: 10 }).optional(),
  /** Host cost per sequence producing a token in a step. */
  seq_overhead: boundedQuantity('time', { min: 0, max: 1 }).optional(),
  /** Scale-up fabric of the tensor-parallel all-reduces. */
  scale_up: z
    .strictObject({
      topology: z.enum(['mesh', 'switch']).optional(),
      /** One-way bandwidth to one peer (mesh). */
      peer_bandwidth: boundedQuantity('bandwidth', { min: 1 * GB, max: 100 * TB }).optional(),
      /** One-way aggregate bandwidth of one device. */
      aggregate_bandwidth: boundedQuantity('bandwidth', { min: 1 * GB, max: 100 * TB }).optional(),
      /** Latency of one hop. */
      latency: boundedQuantity('time', { min: 0, max: 0.1 }).optional(),
      /** Achieved all-reduce bus bandwidth / link-limited bus bandwidth (nccl-tests busbw). */
      bus_efficiency: boundedNumber({ min: 0, exclusiveMin: true, max: 1.5, hint: percentHint }).optional(),
      algorithm: z.enum(['ring', 'one_shot', 'auto']).optional(),
      /** Share of the all-reduce time hidden behind compute. */
      overlap: boundedNumber({ min: 0, max: 1, hint: percentHint }).optional(),
    })
    .optional(),
});

const lengthDist = z.discriminatedUnion('dist', [
  z.strictObject({ dist: z.literal('fixed'), value: tokens }),
  z.strictObject({ dist: z.literal('uniform'), min: tokens, max: tokens }),
  z.strictObject({
    dist: z.literal('lognormal'),
    mean: boundedNumber({ min: 1, max: MAX_TOKENS }),
    /** Above ~10 the lognormal's sigma makes nearly every draw hit min or max. */
    cv: boundedNumber({ min: 0, max: 10 }),
    min: tokens.optional(),
    max: tokens.optional(),
  }),
]);

const arrival = z.discriminatedUnion('process', [
  z.strictObject({ process: z.literal('poisson'), rate: arrivalRate }),
  /** cv bounded: the gamma shape 1/cv² must stay finite (cv 1e-300 hung the sampler) and not underflow. */
  z.strictObject({ process: z.literal('gamma'), rate: arrivalRate, cv: boundedNumber({ min: 0.01, max: 100 }) }),
]);

const syntheticWorkload = z.strictObject({
  type: z.literal('synthetic'),
  block_size: boundedInt({ min: 1, max: 65_536 }).default(512),
  num_requests: boundedInt({ min: 1, max: 10_000_000 }).optional(),
  duration: boundedQuantity('time', { min: 0, exclusiveMin: true, max: 30 * DAY }).optional(),
  arrival,
  input_tokens: lengthDist,
  output_tokens: lengthDist,
  prefix_groups: z
    .strictObject({
      count: boundedInt({ min: 1, max: 1_000_000 }),
      prefix_tokens: tokens,
      zipf_alpha: boundedNumber({ min: 0, max: 10 }).default(1),
    })
    .optional(),
  sessions: z
    .strictObject({ turns_mean: boundedNumber({ min: 1, max: 1000 }), think_time: boundedQuantity('time', { min: 0, max: 1 * DAY }) })
    .optional(),
  max_context_tokens: tokens.optional(),
});

const traceWorkload = z.strictObject({
  type: z.literal('mooncake_trace'),
  /** Relative paths resolve against the scenario file's folder. */
  path: z.string().min(1),
  /** Multiplies inter-arrival times: 0.5 replays twice as fast. */
  time_scale: boundedNumber({ min: 1e-6, max: 1e6 }).default(1),
  limit: boundedInt({ min: 1, max: 100_000_000 }).optional(),
  /** Skip requests before this trace time and start the clock there. */
  start: boundedQuantity('time', { min: 0, max: 365 * DAY }).default(0),
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
  /** Multiplies inter-arrival times: 0.5 replays twice as fast. */
  time_scale: boundedNumber({ min: 1e-6, max: 1e6 }).default(1),
  limit: boundedInt({ min: 1, max: 100_000_000 }).optional(),
  /** Skip requests in the first `start` of the trace and start the clock there. */
  start: boundedQuantity('time', { min: 0, max: 365 * DAY }).default(0),
  skip_bad_lines: z.boolean().default(false),
  /** Tokens per hash block of the modelled prefixes (as the Mooncake traces' 512). */
  block_size: boundedInt({ min: 1, max: 65_536 }).default(512),
  prefix_groups: z
    .strictObject({
      count: boundedInt({ min: 1, max: 1_000_000 }),
      prefix_tokens: boundedInt({ min: 1, max: 10_000_000 }),
      zipf_alpha: boundedNumber({ min: 0, max: 10 }).default(1),
    })
    .optional(),
});

const localTier = (defaultEviction: string) =>
  z.strictObject({
    /** Capacity per prefill instance (LMCache max_local_cpu_size / max_local_disk_size). */
    size: boundedQuantity('bytes', { min: 1 * KB, max: 1 * PB }),
    eviction: z.enum(EVICTION_POLICY_NAMES).default(defaultEviction),
    latency: storageLatency.optional(),
    /** Loads only: writes (demotions) are counted, not timed — no other traffic shares them. */
    read_bandwidth: storageBandwidth.optional(),
  });

/** Per-request latency: a time (fixed), { min, max } (uniform) or { mean, cv, min?, max? } (lognormal). */
const latencyDist = z.union([
  storageLatency,
  z.strictObject({ min: storageLatency, max: storageLatency }),
  z.strictObject({
    mean: storageLatency,
    cv: latencyCv,
    min: storageLatency.optional(),
    max: storageLatency.optional(),
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
  ttl: boundedQuantity('time', { min: 0, exclusiveMin: true, max: 3650 * DAY }).optional(),
  /** Period of the background cleanup / lifecycle scan. */
  interval: boundedQuantity('time', { min: 0, exclusiveMin: true, max: 30 * DAY }).default(60),
});

const remoteTier = z.strictObject({
  /** Profile of the shared remote store (LMCache remote_url): s3 | nfs_rdma | redis | valkey | infinistore | mooncake. */
  backend: z.enum(REMOTE_BACKENDS),
  /** Total capacity shared by all instances; "unlimited" (default) for object stores. */
  size: z.union([z.literal('unlimited'), boundedQuantity('bytes', { min: 1 * KB, max: 1000 * PB })]).default('unlimited'),
  eviction: z.enum(EVICTION_POLICY_NAMES).default('lru'),
  /** Per request (GET/PUT first byte, one file operation): time, {min,max} or {mean,cv,min,max}. */
  latency: latencyDist.optional(),
  /** One connection's (request stream's) bandwidth. */
  read_bandwidth: storageBandwidth.optional(),
  write_bandwidth: storageBandwidth.optional(),
  /** Requests one client keeps in flight (S3 connection pool, outstanding file operations). */
  connections: boundedInt({ min: 1, max: 1024 }).optional(),
  /** Storage nodes (OSD hosts / KV servers): the aggregate bandwidth scales with them. */
  nodes: boundedInt({ min: 1, max: 100_000 }).optional(),
  /** Request servers (RGW daemons / NFS-Ganesha servers): request rate (and NFS bandwidth) scale with them. */
  gateways: boundedInt({ min: 1, max: 10_000 }).optional(),
  /** Requests per second one gateway admits (RGW ratelimit max-read-ops / max-write-ops, per second). */
  gateway_read_ops: gatewayOps.optional(),
  gateway_write_ops: gatewayOps.optional(),
  /** The whole service's bandwidth over all clients (overrides the node-scaled aggregate). */
  aggregate_read_bandwidth: boundedQuantity('bandwidth', { min: 1 * MB, max: 1000 * TB }).optional(),
  aggregate_write_bandwidth: boundedQuantity('bandwidth', { min: 1 * MB, max: 1000 * TB }).optional(),
  /** s3 only: objects above this size move as parallel parts of this size (multipart / ranged GETs). */
  part_size: boundedQuantity('bytes', { min: 1 * KB, max: 10 * GB }).optional(),
  /** nfs_rdma only: mount options (rsize/wsize bytes per RPC, nconnect transport connections). */
  rsize: nfsRpcSize.optional(),
  wsize: nfsRpcSize.optional(),
  nconnect: boundedInt({ min: 1, max: 16 }).optional(),
  /** Cleanup of old objects (metadata store + background cleanup, time-based expiration, hybrid). */
  lifecycle: lifecycle.prefault({}),
});

/** KV-cache hierarchy of the prefill pool: vLLM's HBM prefix cache, then LMCache tiers. */
const cache = z.strictObject({
  /** Eviction policy of the HBM prefix cache (vLLM: lru). */
  hbm_eviction: z.enum(EVICTION_POLICY_NAMES).default('lru'),
  /** LMCache chunk_size, tokens: must divide the workload's block size (or be a multiple of it). */
  chunk_size: boundedInt({ min: 1, max: 65_536 }).default(256),
  local_cpu: localTier('lru').optional(),
  local_disk: localTier('lru').optional(),
  remote: remoteTier.optional(),
  /** When blocks are written to the remote tier (vLLM RFC 14724): all (write-through), hot, evicted. */
  offload: z.enum(['all', 'hot', 'evicted']).default('all'),
  /** Hits before a block counts as hot (offload: hot). */
  hot_threshold: boundedInt({ min: 1, max: 1_000_000 }).default(2),
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
  cost_aware_alpha: boundedNumber({ min: 0, max: 4 }).default(2),
  /**
   * lfu / cost_aware: dynamic aging (LFU-DA / GDSF): a block's priority starts from the priority of
   * the last victim, so once-hot blocks that stop being used eventually leave. false: plain LFU.
   */
  lfu_aging: z.boolean().default(true),
  /** Layer-wise pipelining: compute starts once the first layer's KV has loaded. */
  use_layerwise: z.boolean().default(false),
  /** Host<->device link per device (PCIe Gen5 x16 ~55 GB/s measured). */
  pcie_bandwidth: boundedQuantity('bandwidth', { min: 1 * GB, max: 10 * TB }).default(PCIE_BANDWIDTH_PER_DEVICE),
});

const SLO_METRICS = ['ttft', 'tbt', 'tpot', 'e2e'] as const;
const SLO_PERCENTILES = ['p50', 'p90', 'p95', 'p99'] as const;
export type SloKey = `${(typeof SLO_METRICS)[number]}_${(typeof SLO_PERCENTILES)[number]}`;
const sloShape = Object.fromEntries(
  SLO_METRICS.flatMap((m) => SLO_PERCENTILES.map((p) => [`${m}_${p}`, latencyTarget.optional()])),
) as Record<SloKey, z.ZodOptional<typeof latencyTarget>>;


/*
 * Power and cost bounds catch unit mistakes (W for kW, $ for k$), far from real values: a host
 * draws ~1 kW (a DGX H100 10.2 kW max, accelerators included); electricity costs $0.03–0.40/kWh;
 * hardware lasts 3–6 years; DRAM/NVMe cost $0.1–10/GB; S3 requests $0.0004–0.005 per 1,000.
 */
const perGb = boundedNumber({ min: 0, max: 1_000 });
const per1000Requests = boundedNumber({ min: 0, max: 100 });

/** Power around the accelerators (their idle/TDP come from the catalog or `hardware:`). Sources: src/power/defaults.ts. */
const power = z.strictObject({
  /** Power usage effectiveness: facility energy / IT energy. */
  pue: boundedNumber({ min: 1, max: 3 }).default(P.pue),
  /** Host power of one node (CPUs, base DRAM, fans; no accelerators, no NICs), W. */
  host_watts: boundedNumber({ min: 0, max: 20_000 }).default(P.hostWatts),
  /** One scale-out NIC with optics, W. */
  nic_watts: boundedNumber({ min: 0, max: 1_000 }).default(P.nicWatts),
  /** Share of a device's dynamic power (TDP − idle) drawn while only HBM traffic bounds a step (0–1). */
  memory_activity: boundedNumber({ min: 0, max: 1, hint: percentHint }).default(P.memoryActivity),
  /** Cache tiers: W per GB of DRAM, per TB of NVMe, per TB stored in the remote store. */
  dram_watts_per_gb: boundedNumber({ min: 0, max: 10 }).default(P.dramWattsPerGb),
  nvme_watts_per_tb: boundedNumber({ min: 0, max: 1_000 }).default(P.nvmeWattsPerTb),
  remote_watts_per_tb: boundedNumber({ min: 0, max: 10_000 }).default(P.remoteWattsPerTb),
});

/** TCO model. Sources: src/cost/defaults.ts; device prices in the hardware catalog. */
const cost = z.strictObject({
  /**
   * rental: devices at their $/device-hour (power and hosting included);
   * capex: device, node and NIC purchase prices amortised over lifetime_years plus electricity × PUE.
   */
  basis: z.enum(['rental', 'capex']).default('rental'),
  /** $ per kWh of facility energy. */
  electricity_per_kwh: boundedNumber({ min: 0, max: 10 }).default(C.electricityPerKwh),
  /** Amortisation period of bought hardware, years (capex; cache-tier DRAM/NVMe in both bases). */
  lifetime_years: boundedNumber({ min: 0, exclusiveMin: true, max: 30 }).default(C.lifetimeYears),
  /** One server without accelerators/NICs, $ (capex). */
  node_price: dollars.default(C.nodePrice),
  /** One scale-out NIC, $ (capex). */
  nic_price: dollars.default(C.nicPrice),
  /** Cache-tier hardware, $ per GB (amortised over lifetime_years). */
  dram_per_gb: perGb.default(C.dramPerGb),
  nvme_per_gb: perGb.default(C.nvmePerGb),
  /** Remote store capacity, $ per GB-month (default: the backend profile's price). */
  remote_per_gb_month: perGb.optional(),
  /** S3 request prices, $ per 1,000 (backend s3). */
  s3_get_per_1000: per1000Requests.default(C.s3GetPer1000),
  s3_put_per_1000: per1000Requests.default(C.s3PutPer1000),
});

export const scenarioSchema = z.strictObject({
  name: z.string().max(MAX_OUTPUT_NAME_CHARS, OUTPUT_NAME_RULE).regex(OUTPUT_NAME_PATTERN, OUTPUT_NAME_RULE),
  description: z.string().optional(),
  seed: z.union([z.number().int(), z.string().max(200)], { error: 'expected an integer or a string (at most 200 characters)' }).default(1),
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
      latency: boundedQuantity('time', { min: 0, max: 1 }).optional(),
      efficiency: boundedNumber({ min: 0, exclusiveMin: true, max: 1, hint: percentHint }).optional(),
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
      ttft_limit: latencyTarget.optional(),
      tbt_limit: latencyTarget.optional(),
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
