import { DEVICES, deviceIds } from './catalog/hardware.js';
import { MODELS, modelIds } from './catalog/models.js';
import { TRANSPORTS } from './catalog/transports.js';
import type { DeviceSpec, ModelSpec } from './catalog/types.js';
import { InputError } from '../scenario/input-error.js';
import { own } from '../util/own.js';
import { quote } from '../util/show-value.js';
import type { CacheConfig, DeviceOverride, PoolConfig, Scenario } from '../scenario/schema.js';
import { kvCapacity, StepTimeModel, type InstanceShape } from './step-time.js';

/** One pool (prefill or decode) resolved against the catalogs: what gets built and what it costs. */
export interface PoolPlan {
  readonly role: 'prefill' | 'decode';
  readonly config: PoolConfig;
  readonly device: DeviceSpec;
  readonly shape: InstanceShape;
  readonly stepModel: StepTimeModel;
  readonly instancesPerNode: number;
  readonly instances: number;
  readonly kvBytesPerInstance: number;
  readonly kvTokensPerInstance: number;
  /** Tokens per KV page (vLLM block_size) as configured: pool.kv_page_size, else the device's default. */
  readonly kvPageSize: number;
  /** Whether kv_page_size was set in the scenario (a default that does not fit is adapted, not an error). */
  readonly kvPageSizeExplicit: boolean;
  readonly weightBytesPerInstance: number;
  /** Scale-out NICs per node and the line rate of each, B/s (each transport reaches its own share). */
  readonly nics: number;
  readonly nicLineRate: number;
  readonly pricePerHour: number;
}

export interface ClusterPlan {
  readonly model: ModelSpec;
  readonly prefill: PoolPlan;
  readonly decode: PoolPlan;
  readonly transferLatency: number;
  /** Transport of the KV handoff (NIXL: UCX/RDMA or TCP); storage tiers use their own. */
  readonly transport: 'rdma' | 'tcp';
  /** Achieved fraction of NIC line rate per transport (`network.efficiency` overrides the handoff's). */
  readonly transportEfficiency: Readonly<Record<'rdma' | 'tcp', number>>;
  /** Handoff striped per TP rank over each rank's NIC (NIXL moves each rank's KV shard itself). */
  readonly stripeHandoff: boolean;
  readonly pricePerHour: number;
  readonly mode: 'disaggregated' | 'colocated';
  /** KV-cache hierarchy settings of the prefill pool. */
  readonly cache: CacheConfig;
  /** Early-rejection limits, s (absent: admit everything). */
  readonly admission?: { readonly ttft?: number; readonly tbt?: number };
  /** Scenario file, for errors found while building. */
  readonly file: string;
  /** Scenario seed: the cluster's own random streams (policies, storage latencies) derive from it (engine/rng). */
  readonly seed: number | string;
}

/** Instances one pool may have: ~30x the bundled large scenario, bounded so memory stays bounded. */
const MAX_INSTANCES_PER_POOL = 16_384;

/** Default scale-out NIC per device when a pool does not say: one 400 Gb/s NIC (ConnectX-7). */
const DEFAULT_NIC_BANDWIDTH = 400e9 / 8;

export function planCluster(s: Scenario, file: string): ClusterPlan {
  const model = own(MODELS, s.model);
  if (!model) throw new InputError(file, 'model', `unknown model ${quote(s.model)}; known: ${modelIds().join(', ')}`);
  const transport = TRANSPORTS[s.network.transport]; // an enum the schema checked
  if (s.decode.nodes === 0 && s.mode !== 'colocated') {
    throw new InputError(file, 'decode.nodes', 'must be at least 1 in disaggregated mode (0 is allowed with mode: colocated)');
  }
  const transportEfficiency = {
    rdma: TRANSPORTS.rdma.efficiency,
    tcp: TRANSPORTS.tcp.efficiency,
    [transport.id]: s.network.efficiency ?? transport.efficiency,
  } as Record<'rdma' | 'tcp', number>;
  const prefill = planPool('prefill', s, model, file);
  const decode = planPool('decode', s, model, file);
  return {
    model,
    prefill,
    decode,
    transport: transport.id,
    transportEfficiency,
    stripeHandoff: s.network.handoff === 'per_rank',
    transferLatency: s.network.latency ?? transport.latency,
    pricePerHour: prefill.pricePerHour + decode.pricePerHour,
    mode: s.mode,
    cache: s.cache,
    admission: admissionLimits(s, file),
    file,
    seed: s.seed,
  };
}

function planPool(role: 'prefill' | 'decode', s: Scenario, model: ModelSpec, file: string): PoolPlan {
  const config = s[role];
  const device = resolveDevice(config.device, s.hardware, file, `${role}.device`);
  if (config.devices_per_node % config.tp !== 0) {
    throw new InputError(file, `${role}.tp`, `tp ${config.tp} must divide devices_per_node ${config.devices_per_node}`);
  }
  const shape: InstanceShape = { model, device, tp: config.tp, weightDtype: s.dtype, kvDtype: s.kv_dtype };
  const kv = kvCapacity(shape, {
    gpuMemoryUtilization: config.gpu_memory_utilization,
    maxNumBatchedTokens: config.max_num_batched_tokens,
    maxNumSeqs: config.max_num_seqs,
  });
  if (kv.kvTokens < 1) {
    const gb = (b: number) => `${(b / 1e9).toFixed(1)} GB`;
    throw new InputError(
      file,
      `${role}.tp`,
      `${model.name} weights (${gb(kv.weightBytes)}) + activations (${gb(kv.activationReserveBytes)}) do not fit in ` +
        `${config.tp}×${device.id} at gpu_memory_utilization ${config.gpu_memory_utilization}; raise tp or use a bigger device`,
    );
  }
  const instancesPerNode = config.devices_per_node / config.tp;
  if (instancesPerNode * config.nodes > MAX_INSTANCES_PER_POOL) {
    throw new InputError(
      file,
      `${role}.nodes`,
      `${config.nodes} nodes × ${instancesPerNode} instances per node = ${(instancesPerNode * config.nodes).toLocaleString('en-US')} instances; kvsim models at most ${MAX_INSTANCES_PER_POOL.toLocaleString('en-US')} per pool`,
    );
  }
  const nic = config.nic ?? { count: config.devices_per_node, bandwidth: DEFAULT_NIC_BANDWIDTH };
  return {
    role,
    config,
    device,
    shape,
    stepModel: new StepTimeModel(shape),
    instancesPerNode,
    instances: instancesPerNode * config.nodes,
    kvBytesPerInstance: kv.kvBytes,
    kvTokensPerInstance: kv.kvTokens,
    kvPageSize: config.kv_page_size ?? device.kvPageSize,
    kvPageSizeExplicit: config.kv_page_size !== undefined,
    weightBytesPerInstance: kv.weightBytes,
    nics: nic.count,
    nicLineRate: nic.bandwidth,
    pricePerHour: device.pricePerHour * config.devices_per_node * config.nodes,
  };
}

/** Admission limits: explicit ones, else the tightest SLO target of that metric. */
function admissionLimits(s: Scenario, file: string): ClusterPlan['admission'] {
  if (!s.admission.enabled) return undefined;
  const tightest = (metric: string) => {
    const targets = Object.entries(s.slo)
      .filter(([k, v]) => k.startsWith(`${metric}_`) && v !== undefined)
      .map(([, v]) => v as number);
    return targets.length ? Math.min(...targets) : undefined;
  };
  const ttft = s.admission.ttft_limit ?? tightest('ttft');
  const tbt = s.admission.tbt_limit ?? tightest('tbt') ?? tightest('tpot');
  if (ttft === undefined && tbt === undefined) {
    throw new InputError(file, 'admission', 'enabled but no limit: set admission.ttft_limit / tbt_limit or an slo ttft_*/tbt_* target');
  }
  return { ttft, tbt };
}

/** A catalog device with the scenario's `hardware:` overrides applied (or a new device based on one). */
export function resolveDevice(
  id: string,
  overrides: Readonly<Record<string, DeviceOverride>>,
  file: string,
  field: string,
): DeviceSpec {
  const o = own(overrides, id);
  const baseId = o?.base ?? id;
  const base = own(DEVICES, baseId);
  if (!base) {
    const where = o?.base ? `hardware.${id}.base` : field;
    const known = [...deviceIds(), ...Object.keys(overrides)].join(', ');
    throw new InputError(file, where, `unknown device ${quote(baseId)}; known: ${known}`);
  }
  if (!o) return base;
  const tdp = o.tdp_watts ?? base.tdpWatts;
  const idle = o.idle_watts ?? base.idleWatts;
  if (idle > tdp) {
    throw new InputError(file, `hardware.${id}.idle_watts`, `idle power ${idle} W exceeds the TDP ${tdp} W`);
  }
  const note = `scenario override (${file})`;
  return {
    ...base,
    id,
    name: o.name ?? (o.base ? id : base.name),
    hbmBytes: o.hbm ?? base.hbmBytes,
    hbmBandwidth: o.hbm_bandwidth ?? base.hbmBandwidth,
    peakFlops: {
      bf16: o.bf16_tflops !== undefined ? o.bf16_tflops * 1e12 : base.peakFlops.bf16,
      fp8: o.fp8_tflops !== undefined ? o.fp8_tflops * 1e12 : base.peakFlops.fp8,
    },
    pricePerHour: o.price_per_hour ?? base.pricePerHour,
    scaleUp: {
      ...base.scaleUp,
      topology: o.scale_up?.topology ?? base.scaleUp.topology,
      perPeerBandwidth: o.scale_up?.peer_bandwidth ?? base.scaleUp.perPeerBandwidth,
      aggregateBandwidth: o.scale_up?.aggregate_bandwidth ?? base.scaleUp.aggregateBandwidth,
      latency: o.scale_up?.latency ?? base.scaleUp.latency,
      busEfficiency: o.scale_up?.bus_efficiency ?? base.scaleUp.busEfficiency,
      algorithm: o.scale_up?.algorithm ?? base.scaleUp.algorithm,
      overlap: o.scale_up?.overlap ?? base.scaleUp.overlap,
    },
    tdpWatts: o.tdp_watts ?? base.tdpWatts,
    idleWatts: o.idle_watts ?? base.idleWatts,
    purchasePrice: o.purchase_price ?? base.purchasePrice,
    efficiency: {
      gemm: {
        bf16: o.gemm_efficiency?.bf16 ?? o.mfu ?? base.efficiency.gemm.bf16,
        fp8: o.gemm_efficiency?.fp8 ?? o.mfu ?? base.efficiency.gemm.fp8,
      },
      hbm: o.mbu ?? base.efficiency.hbm,
      prefillAttention: o.prefill_attention_efficiency ?? base.efficiency.prefillAttention,
      decodeAttention: o.decode_attention_efficiency ?? base.efficiency.decodeAttention,
      stepOverhead: o.step_overhead ?? base.efficiency.stepOverhead,
      seqOverhead: o.seq_overhead ?? base.efficiency.seqOverhead,
    },
    sources: { ...base.sources, override: note },
  };
}
