/** Shapes of the hardware and model catalogs. All quantities in SI base units (bytes, B/s, FLOP/s, s, W, $/h). */

export type Dtype = 'bf16' | 'fp8';

export interface DeviceSpec {
  /** Catalog key, e.g. "mi300x". */
  readonly id: string;
  readonly name: string;
  readonly hbmBytes: number;
  /** Peak HBM bandwidth, B/s. */
  readonly hbmBandwidth: number;
  /** Dense peak FLOP/s by weight/activation dtype. */
  readonly peakFlops: Readonly<Record<Dtype, number>>;
  /** Scale-up (intra-node) interconnect used by tensor-parallel all-reduces. */
  readonly scaleUp: {
    /** mesh: devices are wired point to point (MI300X Infinity Fabric, Gaudi3 RoCE); switch: NVLink/NVSwitch. */
    readonly topology: 'mesh' | 'switch';
    /** One-way bandwidth to one peer, B/s (mesh). */
    readonly perPeerBandwidth: number;
    /** One-way aggregate bandwidth of one device, B/s. */
    readonly aggregateBandwidth: number;
    /** Per all-reduce hop latency, s. */
    readonly latency: number;
  };
  /**
   * Tokens per KV page (vLLM `block_size`) of the serving stack on this device: the unit a decode
   * instance allocates KV in. Prefix matching and tier storage use the workload's hash blocks.
   */
  readonly kvPageSize: number;
  readonly tdpWatts: number;
  /** On-demand price per device-hour, $ (an assumption where no price is published). */
  readonly pricePerHour: number;
  /** Achieved fractions of peak and fixed per-step cost (calibration targets). */
  readonly efficiency: {
    /** Model FLOPs utilisation reached by large prefill batches. */
    readonly mfu: number;
    /** Memory bandwidth utilisation reached by decode. */
    readonly mbu: number;
    /** Fixed cost per engine step (kernel launches, scheduling, sampling), s. */
    readonly stepOverhead: number;
  };
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
