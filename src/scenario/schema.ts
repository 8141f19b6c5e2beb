import { z } from 'zod';
import { PCIE_BANDWIDTH_PER_DEVICE, REMOTE_PROFILES } from '../cluster/catalog/storage.js';
import { EVICTION_POLICY_NAMES } from '../policies/eviction/registry.js';
import { DECODE_ROUTER_NAMES, PREFILL_ROUTER_NAMES } from '../policies/registry.js';
import { MAX_OUTPUT_NAME_CHARS, OUTPUT_NAME_PATTERN, OUTPUT_NAME_RULE } from '../output/out-dir.js';
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
   * Tokens per KV page (vLLM --block-size): the unit decode instances reserve KV in. Default: the
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

const localTier = (defaultEviction: string) =>
  z.strictObject({
    /** Capacity per prefill instance (LMCache max_local_cpu_size / max_local_disk_size). */
    size: boundedQuantity('bytes', { min: 1 * KB, max: 1 * PB }),
    eviction: z.enum(EVICTION_POLICY_NAMES).default(defaultEviction),
    latency: storageLatency.optional(),
    /** Loads only: writes (demotions) are counted, not timed — no other traffic shares them. */
    read_bandwidth: storageBandwidth.optional(),
  });

const remoteTier = z.strictObject({
  /** Profile of the shared remote store (LMCache remote_url): s3 | nfs_rdma | redis | mooncake. */
  backend: z.enum(REMOTE_BACKENDS),
  /** Total capacity shared by all instances; "unlimited" (default) for object stores. */
  size: z.union([z.literal('unlimited'), boundedQuantity('bytes', { min: 1 * KB, max: 1000 * PB })]).default('unlimited'),
  eviction: z.enum(EVICTION_POLICY_NAMES).default('lru'),
  latency: storageLatency.optional(),
  /** One connection's bandwidth. */
  read_bandwidth: storageBandwidth.optional(),
  write_bandwidth: storageBandwidth.optional(),
  /** Parallel connections one transfer is striped over (S3 multipart/ranged GETs, several sockets). */
  connections: boundedInt({ min: 1, max: 1024 }).default(1),
  /** The whole service's bandwidth over all clients. */
  aggregate_read_bandwidth: boundedQuantity('bandwidth', { min: 1 * MB, max: 1000 * TB }).optional(),
  aggregate_write_bandwidth: boundedQuantity('bandwidth', { min: 1 * MB, max: 1000 * TB }).optional(),
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
      transport: z.enum(['rdma', 'tcp']).default('rdma'),
      latency: boundedQuantity('time', { min: 0, max: 1 }).optional(),
      efficiency: boundedNumber({ min: 0, exclusiveMin: true, max: 1, hint: percentHint }).optional(),
    })
    .default({ transport: 'rdma' }),
  workload: z.discriminatedUnion('type', [syntheticWorkload, traceWorkload]),
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
});

export type ScenarioInput = z.input<typeof scenarioSchema>;
export type Scenario = z.output<typeof scenarioSchema>;
export type PoolConfig = Scenario['prefill'];
export type DeviceOverride = z.output<typeof deviceOverride>;
export type CacheConfig = Scenario['cache'];
