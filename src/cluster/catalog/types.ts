/** Shapes of the hardware and model catalogs. All quantities in SI base units (bytes, B/s, FLOP/s, s, W, $/h). */

export type Dtype = 'bf16' | 'fp8';

/** How a tensor-parallel all-reduce is run: ring (reduce-scatter + all-gather), one-shot (every rank reads
 * every peer's buffer), or auto (the faster of the two for each message size, as NCCL/RCCL tuners and vLLM's
 * custom all-reduce choose). */
export type AllReduceAlgorithm = 'ring' | 'one_shot' | 'auto';

export interface ScaleUpFabric {
  /** mesh: devices are wired point to point (MI300X Infinity Fabric, Gaudi RoCE); switch: NVLink/NVSwitch. */
  readonly topology: 'mesh' | 'switch';
  /** One-way link bandwidth to one peer, B/s (mesh). */
  readonly perPeerBandwidth: number;
  /** One-way aggregate bandwidth of one device, B/s. */
  readonly aggregateBandwidth: number;
  /** Latency of one hop (one send + flag between two devices), s. */
  readonly latency: number;
  /** Achieved all-reduce bus bandwidth as a share of the link-limited bus bandwidth (nccl-tests busbw). */
  readonly busEfficiency: number;
  readonly algorithm: AllReduceAlgorithm;
  /** Share of the all-reduce time hidden behind compute (0: vLLM runs them on the critical path). */
  readonly overlap: number;
}

/** Achieved efficiency per kernel class and fixed costs (src/cluster/step-time.ts). */
export interface Efficiency {
  /** Share of the dense peak of each dtype reached by the linear layers (GEMMs). */
  readonly gemm: Readonly<Record<Dtype, number>>;
  /** Share of HBM bandwidth reached streaming weights (and prefill KV reads). */
  readonly hbm: number;
  /** Share of the BF16 peak reached by prefill (flash) attention. */
  readonly prefillAttention: number;
  /** Share of HBM bandwidth reached by decode (paged) attention reading the KV cache. */
  readonly decodeAttention: number;
  /** Fixed host cost per engine step (kernel launches, scheduling), s. */
  readonly stepOverhead: number;
  /** Host cost per sequence that produces a token in a step (scheduling, sampling, detokenising), s. */
  readonly seqOverhead: number;
  /**
   * Host cost per step of the benchmark harness that measured this device's points, where that harness is not a
   * serving engine (Optimum Habana's run_generation.py: a Python generate() loop over DeepSpeed and HPU graphs), s.
   * Calibration only (src/calibration/predict.ts): the simulator serves with vLLM and charges stepOverhead.
   */
  readonly harnessStepOverhead?: number;
}


export interface DeviceSpec {
  /** Catalog key, e.g. "mi300x". */
  readonly id: string;
  readonly name: string;
  readonly hbmBytes: number;
  /** Peak HBM bandwidth, B/s. */
  readonly hbmBandwidth: number;
  /** Dense peak FLOP/s by weight/activation dtype. */
  readonly peakFlops: Readonly<Record<Dtype, number>>;
  /** Scale-up (intra-node) interconnect used by tensor-parallel all-reduces (src/hardware/allreduce.ts). */
  readonly scaleUp: ScaleUpFabric;
  /**
   * Tokens per KV page (vLLM `block_size`) of the serving stack on this device: the unit a decode
   * instance allocates KV in. Prefix matching and tier storage use the workload's hash blocks.
   */
  readonly kvPageSize: number;
  readonly tdpWatts: number;
  /** Board power with the model loaded and nothing running, W (src/power/). */
  readonly idleWatts: number;
  /** Purchase price of one device, $ (capex basis of src/cost/). */
  readonly purchasePrice: number;
  /** On-demand price per device-hour, $ (an assumption where no price is published). */
  readonly pricePerHour: number;
  /** Achieved fractions of peak and fixed costs per step (calibration targets; docs/calibration.md). */
  readonly efficiency: Efficiency;
  /** Where each number comes from: field name -> source text. */
  readonly sources: Readonly<Record<string, string>>;
}

export interface ModelSpec {
  readonly id: string;
  readonly name: string;
  readonly layers: number;
  readonly hidden: number;
  readonly heads: number;
  readonly kvHeads: number;
  readonly headDim: number;
  readonly ffn: number;
  readonly vocab: number;
  /** Total parameter count (weights in HBM). */
  readonly params: number;
  readonly sources: Readonly<Record<string, string>>;
}
