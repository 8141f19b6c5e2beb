/**
 * Roofline step-time model of one engine iteration (roofline: Williams, Waterman, Patterson, CACM 2009;
 * transformer FLOP/byte counts as in kipply.github.io/blog/transformer-inference-arithmetic).
 *
 * New tokens N = prefillTokens + decodeSeqs (each decode sequence adds one token).
 *   P_matmul (per token) = layers·(H·heads·hd + 2·H·kvHeads·hd + heads·hd·H + 3·H·FFN)   (QKV, O, gated MLP)
 *   FLOPs  = 2·N·P_matmul + 2·H·vocab·sampledSeqs                                          (LM head only where a token is sampled)
 *          + 4·layers·heads·hd·(prefillAttention + decodeContextTokens)                    (QKᵀ and A·V)
 *   bytes  = params·bytes(weightDtype)                                                     (all weights once per step)
 *          + (prefillContextTokens + decodeContextTokens)·kvBytesPerToken                  (KV read)
 *          + N·kvBytesPerToken                                                             (KV write)
 * With TP the FLOPs and bytes split evenly over tp devices:
 *   compute = FLOPs/tp / (peak[weightDtype]·mfu),  memory = bytes/tp / (hbmBandwidth·mbu)
 *   comm    = 2·layers all-reduces of N·H·2 bytes (bf16 activations), each 2·(tp−1)/tp·size/bw + latency;
 *             bw = perPeer·(tp−1) capped by aggregate (mesh: one link per peer) or aggregate (switch).
 *   time    = max(compute, memory) + comm + stepOverhead
 * First-order simplifications: comm is not overlapped with compute (vLLM runs the all-reduces on the
 * critical path); activations are not counted as HBM traffic; attention runs at the matmul rate; fp8
 * weights are charged params·1 byte even though vLLM keeps embeddings/LM head in bf16.
 * An iteration with no new tokens does no work and costs 0 (no weight read, no overhead).
 * BatchShape fields are assumed ≥ 0; the hot path does not check them.
 */
import type { DeviceSpec, Dtype, ModelSpec } from './catalog/types.js';
import { dtypeBytes, kvBytesPerToken } from './catalog/models.js';

export interface InstanceShape {
  readonly model: ModelSpec;
  readonly device: DeviceSpec;
  readonly tp: number;
  readonly weightDtype: Dtype;
  readonly kvDtype: Dtype;
}

/** One engine iteration's work. Prefill chunk i has n_i new tokens on top of c_i tokens already in KV. */
export interface BatchShape {
  prefillTokens: number; // Σ n_i
  prefillAttention: number; // Σ n_i·(c_i + n_i/2)   (causal attention pairs)
  prefillContextTokens: number; // Σ c_i  (KV read)
  sampledSeqs: number; // sequences producing a token this step (prefill completions + decode seqs) -> LM head
  decodeSeqs: number; // B
  decodeContextTokens: number; // Σ context of decode seqs (KV read)
}

/** Times in s. flops and bytes are totals over the whole TP group (divide by tp for one device). */
export interface StepCost {
  time: number;
  compute: number;
  memory: number;
  comm: number;
  overhead: number;
  flops: number;
  bytes: number;
  computeBound: boolean;
}

/** Bytes of one activation element in the all-reduces (bf16 residual stream). */
const ACT_BYTES = 2;

export function emptyBatch(): BatchShape {
  return { prefillTokens: 0, prefillAttention: 0, prefillContextTokens: 0, sampledSeqs: 0, decodeSeqs: 0, decodeContextTokens: 0 };
}

export function emptyStepCost(): StepCost {
  return { time: 0, compute: 0, memory: 0, comm: 0, overhead: 0, flops: 0, bytes: 0, computeBound: false };
}

/** Matmul parameters touched per token, excluding embedding and LM head. */
export function matmulParamsPerToken(m: ModelSpec): number {
  const q = m.heads * m.headDim;
  const kv = m.kvHeads * m.headDim;
  return m.layers * (m.hidden * q + 2 * m.hidden * kv + q * m.hidden + 3 * m.hidden * m.ffn);
}

export class StepTimeModel {
  readonly shape: InstanceShape;
  readonly kvBytesPerToken: number;

  // Per-shape constants, so step() is a handful of multiply-adds.
  private readonly flopsPerToken: number;
  private readonly flopsPerSample: number;
  private readonly flopsPerAttnPair: number;
  private readonly weightBytes: number;
  private readonly secPerFlop: number; // per whole-group FLOP
  private readonly secPerByte: number; // per whole-group byte
  private readonly commPerToken: number;
  private readonly commFixed: number;
  private readonly overhead: number;
  private readonly scratchBatch: BatchShape;
  private readonly scratchCost: StepCost;

  constructor(shape: InstanceShape) {
    const { model: m, device: d, tp } = shape;
    if (!Number.isInteger(tp) || tp < 1) throw new RangeError(`tp must be a positive integer, got ${tp}`);
    this.shape = shape;
    this.kvBytesPerToken = kvBytesPerToken(m, shape.kvDtype);
    this.flopsPerToken = 2 * matmulParamsPerToken(m);
    this.flopsPerSample = 2 * m.hidden * m.vocab;
    this.flopsPerAttnPair = 4 * m.layers * m.heads * m.headDim;
    this.weightBytes = m.params * dtypeBytes(shape.weightDtype);
    this.secPerFlop = 1 / (tp * d.peakFlops[shape.weightDtype] * d.efficiency.mfu);
    this.secPerByte = 1 / (tp * d.hbmBandwidth * d.efficiency.mbu);
    if (tp > 1) {
      const su = d.scaleUp;
      const bw =
        su.topology === 'mesh' ? Math.min(su.perPeerBandwidth * (tp - 1), su.aggregateBandwidth) : su.aggregateBandwidth;
      const allReduces = 2 * m.layers;
      this.commPerToken = (allReduces * 2 * (tp - 1) * m.hidden * ACT_BYTES) / (tp * bw);
      this.commFixed = allReduces * su.latency;
    } else {
      this.commPerToken = 0;
      this.commFixed = 0;
    }
    this.overhead = d.efficiency.stepOverhead;
    this.scratchBatch = emptyBatch();
    this.scratchCost = emptyStepCost();
  }

  /** Cost of one iteration. Fills and returns `out` if given (no allocation). */
  step(batch: BatchShape, out?: StepCost): StepCost {
    const c = out ?? emptyStepCost();
    const tokens = batch.prefillTokens + batch.decodeSeqs;
    if (tokens <= 0) {
      c.time = c.compute = c.memory = c.comm = c.overhead = c.flops = c.bytes = 0;
      c.computeBound = false;
      return c;
    }
    const flops =
      this.flopsPerToken * tokens +
      this.flopsPerSample * batch.sampledSeqs +
      this.flopsPerAttnPair * (batch.prefillAttention + batch.decodeContextTokens);
    const bytes =
      this.weightBytes +
      this.kvBytesPerToken * (batch.prefillContextTokens + batch.decodeContextTokens + tokens);
    const compute = flops * this.secPerFlop;
    const memory = bytes * this.secPerByte;
    const comm = this.commFixed + this.commPerToken * tokens;
    c.flops = flops;
    c.bytes = bytes;
    c.compute = compute;
    c.memory = memory;
    c.comm = comm;
    c.overhead = this.overhead;
    c.computeBound = compute >= memory;
    c.time = (compute >= memory ? compute : memory) + comm + this.overhead;
    return c;
  }

  /** Time of one prefill chunk alone (n new tokens over c cached ones); counts it as the final chunk (1 sample). */
  prefillTime(newTokens: number, contextTokens: number): number {
    const b = this.scratchBatch;
    b.prefillTokens = newTokens;
    b.prefillAttention = newTokens * (contextTokens + newTokens / 2);
    b.prefillContextTokens = contextTokens;
    b.sampledSeqs = newTokens > 0 ? 1 : 0;
    b.decodeSeqs = 0;
    b.decodeContextTokens = 0;
    return this.step(b, this.scratchCost).time;
  }

  /** Time of one decode iteration of `batch` sequences whose contexts sum to `sumContext`. */
  decodeTime(batch: number, sumContext: number): number {
    const b = this.scratchBatch;
    b.prefillTokens = 0;
    b.prefillAttention = 0;
    b.prefillContextTokens = 0;
    b.sampledSeqs = batch;
    b.decodeSeqs = batch;
    b.decodeContextTokens = sumContext;
    return this.step(b, this.scratchCost).time;
  }
}

/**
 * KV-cache capacity of one instance (all tp devices), vLLM-style: usable HBM minus weights minus the
 * activation peak vLLM measures by profiling a max-size batch before sizing the KV pool. Per device that
 * peak is ≈ maxNumBatchedTokens·(4·hidden + 2·ffn/tp)·2 B (bf16 residual/attention buffers plus the
 * TP-sharded gate/up MLP intermediates) + maxNumSeqs·vocab·4 B (fp32 logits of the sampled rows).
 * kvBytes may be ≤ 0 (model does not fit); then kvTokens is 0 and the caller reports the error.
 */
export function kvCapacity(
  shape: InstanceShape,
  cfg: { gpuMemoryUtilization: number; maxNumBatchedTokens: number; maxNumSeqs: number },
): { weightBytes: number; activationReserveBytes: number; kvBytes: number; kvTokens: number } {
  const { model: m, device: d, tp } = shape;
  const usable = d.hbmBytes * tp * cfg.gpuMemoryUtilization;
  const weightBytes = m.params * dtypeBytes(shape.weightDtype);
  const perDevice =
    cfg.maxNumBatchedTokens * (4 * m.hidden + (2 * m.ffn) / tp) * 2 + cfg.maxNumSeqs * m.vocab * 4;
  const activationReserveBytes = tp * perDevice;
  const kvBytes = usable - weightBytes - activationReserveBytes;
  const kvTokens = kvBytes > 0 ? Math.floor(kvBytes / kvBytesPerToken(m, shape.kvDtype)) : 0;
  return { weightBytes, activationReserveBytes, kvBytes, kvTokens };
}
