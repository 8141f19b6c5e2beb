/**
 * Step-time model of one engine iteration: a roofline per kernel class (roofline: Williams, Waterman,
 * Patterson, CACM 2009; transformer FLOP/byte counts as in kipply.github.io/blog/transformer-inference-arithmetic).
 *
 * New tokens N = prefillTokens + decodeSeqs (each decode sequence adds one token).
 *   P_matmul (per token) = layers·(H·heads·hd + 2·H·kvHeads·hd + heads·hd·H + 3·H·FFN)   (QKV, O, gated MLP)
 * The kernels of a step run one after another, each at the slower of its compute and memory time:
 *   GEMMs             flops 2·N·P_matmul + 2·H·vocab·sampledSeqs, bytes params·bytes(weightDtype) + N·kvBytes (KV write)
 *                     at peak[weightDtype]·gemm[weightDtype] and hbmBandwidth·hbm
 *   prefill attention flops 4·layers·heads·hd·prefillAttention, bytes prefillContextTokens·kvBytes (cached KV read)
 *                     at peak.bf16·prefillAttention and hbmBandwidth·hbm
 *   decode attention  flops 4·layers·heads·hd·decodeContextTokens, bytes decodeContextTokens·kvBytes
 *                     at peak.bf16·prefillAttention and hbmBandwidth·decodeAttention
 * With TP the FLOPs and bytes split evenly over tp devices.
 *   comm    = 2·layers all-reduces of N·H·2 bytes (bf16 activations), src/hardware/allreduce.ts; the share
 *             `overlap` of it hides behind compute
 *   time    = Σ kernels max(compute, memory) + comm·(1 − overlap) + stepOverhead + seqOverhead·sampledSeqs
 * `compute` / `memory` of a StepCost are the kernel times bound by compute / by memory; the step is
 * compute-bound when the former is the larger.
 * First-order simplifications: activations are not counted as HBM traffic; attention math runs at the BF16
 * rate whatever the weight dtype; fp8 weights are charged params·1 byte even though vLLM keeps embeddings/LM
 * head in bf16. An iteration with no new tokens does no work and costs 0 (no weight read, no overhead).
 * BatchShape fields are assumed ≥ 0; the hot path does not check them.
 */
import type { DeviceSpec, Dtype, ModelSpec } from './catalog/types.js';
import { dtypeBytes, kvBytesPerToken } from './catalog/models.js';
import { oneShotCoefficients, ringCoefficients } from '../hardware/allreduce.js';

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

/**
 * A decode iteration of a fixed batch as a line in its summed context c (see StepTimeModel.decodeLine):
 * compute = computeBase + computePerToken·c, memory = memoryBase + memoryPerToken·c, and the same for
 * FLOPs and bytes; all-reduces and overheads depend on the batch only.
 */
export interface DecodeLine {
  computeBase: number;
  computePerToken: number;
  memoryBase: number;
  memoryPerToken: number;
  comm: number;
  overhead: number;
  flopsBase: number;
  flopsPerToken: number;
  bytesBase: number;
  bytesPerToken: number;
}

export function emptyDecodeLine(): DecodeLine {
  return { computeBase: 0, computePerToken: 0, memoryBase: 0, memoryPerToken: 0, comm: 0, overhead: 0, flopsBase: 0, flopsPerToken: 0, bytesBase: 0, bytesPerToken: 0 };
}

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
  private readonly secPerGemmFlop: number; // per whole-group FLOP
  private readonly secPerAttnFlop: number;
  private readonly secPerHbmByte: number; // per whole-group byte
  private readonly secPerKvReadByte: number; // decode attention
  private readonly ringFixed: number;
  private readonly ringPerToken: number;
  private readonly oneShotFixed: number;
  private readonly oneShotPerToken: number;
  private readonly algorithm: 'ring' | 'one_shot' | 'auto';
  private readonly commVisible: number;
  private readonly overhead: number;
  private readonly seqOverhead: number;
  private readonly scratchBatch: BatchShape;
  private readonly scratchCost: StepCost;

  constructor(shape: InstanceShape) {
    const { model: m, device: d, tp } = shape;
    if (!Number.isInteger(tp) || tp < 1) throw new RangeError(`tp must be a positive integer, got ${tp}`);
    const e = d.efficiency;
    this.shape = shape;
    this.kvBytesPerToken = kvBytesPerToken(m, shape.kvDtype);
    this.flopsPerToken = 2 * matmulParamsPerToken(m);
    this.flopsPerSample = 2 * m.hidden * m.vocab;
    this.flopsPerAttnPair = 4 * m.layers * m.heads * m.headDim;
    this.weightBytes = m.params * dtypeBytes(shape.weightDtype);
    this.secPerGemmFlop = 1 / (tp * d.peakFlops[shape.weightDtype] * e.gemm[shape.weightDtype]);
    this.secPerAttnFlop = 1 / (tp * d.peakFlops.bf16 * e.prefillAttention);
    this.secPerHbmByte = 1 / (tp * d.hbmBandwidth * e.hbm);
    this.secPerKvReadByte = 1 / (tp * d.hbmBandwidth * e.decodeAttention);
    // Two all-reduces per layer (after attention and after the MLP) of N·H bf16 activations.
    const allReduces = 2 * m.layers;
    const bytesPerToken = m.hidden * ACT_BYTES;
    const ring = ringCoefficients(d.scaleUp, tp);
    const one = oneShotCoefficients(d.scaleUp, tp);
    this.ringFixed = allReduces * ring.fixed;
    this.ringPerToken = allReduces * ring.perByte * bytesPerToken;
    this.oneShotFixed = allReduces * one.fixed;
    this.oneShotPerToken = allReduces * one.perByte * bytesPerToken;
    this.algorithm = d.scaleUp.algorithm;
    this.commVisible = 1 - d.scaleUp.overlap;
    this.overhead = e.stepOverhead;
    this.seqOverhead = e.seqOverhead;
    this.scratchBatch = emptyBatch();
    this.scratchCost = emptyStepCost();
  }

  /** Time of the step's all-reduces for `tokens` new tokens (before overlap), s. */
  allReduceTime(tokens: number): number {
    const ring = this.ringFixed + this.ringPerToken * tokens;
    const one = this.oneShotFixed + this.oneShotPerToken * tokens;
    if (this.algorithm === 'ring') return ring;
    if (this.algorithm === 'one_shot') return one;
    return ring < one ? ring : one;
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
    const kv = this.kvBytesPerToken;
    const gemmFlops = this.flopsPerToken * tokens + this.flopsPerSample * batch.sampledSeqs;
    const gemmBytes = this.weightBytes + kv * tokens;
    const paFlops = this.flopsPerAttnPair * batch.prefillAttention;
    const paBytes = kv * batch.prefillContextTokens;
    const daFlops = this.flopsPerAttnPair * batch.decodeContextTokens;
    const daBytes = kv * batch.decodeContextTokens;
    let compute = 0;
    let memory = 0;
    const gc = gemmFlops * this.secPerGemmFlop;
    const gm = gemmBytes * this.secPerHbmByte;
    if (gc >= gm) compute += gc;
    else memory += gm;
    const pc = paFlops * this.secPerAttnFlop;
    const pm = paBytes * this.secPerHbmByte;
    if (pc >= pm) compute += pc;
    else memory += pm;
    const dc = daFlops * this.secPerAttnFlop;
    const dm = daBytes * this.secPerKvReadByte;
    if (dc >= dm) compute += dc;
    else memory += dm;
    const comm = this.allReduceTime(tokens) * this.commVisible;
    const overhead = this.overhead + this.seqOverhead * batch.sampledSeqs;
    c.flops = gemmFlops + paFlops + daFlops;
    c.bytes = gemmBytes + paBytes + daBytes;
    c.compute = compute;
    c.memory = memory;
    c.comm = comm;
    c.overhead = overhead;
    c.computeBound = compute >= memory;
    c.time = compute + memory + comm + overhead;
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

  /**
   * `step` of a decode-only batch of `batch` sequences as a function of their summed context c, which
   * is linear: the GEMMs, all-reduces and overheads depend on the batch alone, and the decode-attention
   * kernel's FLOPs and bytes are both proportional to c, so it is compute- or memory-bound whatever c
   * is (for c = 0 both are 0). So a run of steps whose context grows by `batch` per step can be summed
   * in closed form (analytic decode) — equal to summing `step` up to rounding. Keep in step with `step`.
   */
  decodeLine(batch: number, out: DecodeLine = emptyDecodeLine()): DecodeLine {
    const kv = this.kvBytesPerToken;
    out.flopsBase = this.flopsPerToken * batch + this.flopsPerSample * batch;
    out.bytesBase = this.weightBytes + kv * batch;
    out.flopsPerToken = this.flopsPerAttnPair;
    out.bytesPerToken = kv;
    const gc = out.flopsBase * this.secPerGemmFlop;
    const gm = out.bytesBase * this.secPerHbmByte;
    out.computeBase = gc >= gm ? gc : 0;
    out.memoryBase = gc >= gm ? 0 : gm;
    const dc = this.flopsPerAttnPair * this.secPerAttnFlop;
    const dm = kv * this.secPerKvReadByte;
    out.computePerToken = dc >= dm ? dc : 0;
    out.memoryPerToken = dc >= dm ? 0 : dm;
    out.comm = batch > 0 ? this.allReduceTime(batch) * this.commVisible : 0;
    out.overhead = batch > 0 ? this.overhead + this.seqOverhead * batch : 0;
    return out;
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
