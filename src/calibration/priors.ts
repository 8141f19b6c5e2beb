/**
 * Prior knowledge of every device's efficiency factors, independent of what the catalog currently says:
 * the centre of each factor before any end-to-end point is seen, how far it may plausibly move (a log-normal
 * width), and the public figure it comes from. The fit (fit.ts) is a maximum-a-posteriori estimate: points
 * pull the factors, priors hold whatever the points do not constrain — a device or dtype without points keeps
 * its prior, and says so.
 *
 * GEMM: the best measured matmul throughput as a share of dense peak (stas00/ml-engineering
 * compute/accelerator/README.md, https://github.com/stas00/ml-engineering/blob/master/compute/accelerator/README.md:
 * Gaudi2 97%, A100 87%, H100/H200 80% BF16 and 71–73% FP8, B200 78%, Gaudi3 68%, MI325X 60%, MI300X 51% on
 * ROCm 6.3 and 35% on ROCm 6.1) is the ceiling; an inference engine's GEMMs (many shapes, small M in decode)
 * reach less, so the prior centre is 75% of that ceiling. Where only a BF16 figure is published the FP8
 * ceiling is taken equal (⚠ an assumption).
 * All-reduce bus efficiency: nccl-tests busbw / link rate. 8×H100: 460–480 GB/s busbw at large sizes on a
 * 450 GB/s NVLink4 (NVLS in-switch reduction; alayanew NCCL-tests guide, 2026), so ~1.0 for a full node and
 * less for small groups: prior 0.85. MI300X: xGMI carries 48 of its 64 GB/s after CRC and protocol overhead
 * (ROCm blog "Understanding RCCL Bandwidth and xGMI Performance on AMD Instinct MI300X", 2025; ROCm/rccl#1210),
 * prior 0.7. Gaudi: HCCL demo all_reduce over 8 cards, 256 MB: 513 GB/s "NW bandwidth" (= busbw), i.e. ~0.98
 * of Gaudi3's 7·75 GB/s (docs.habana.ai Collectives Performance; ⚠ the page does not name the device, but
 * 513 GB/s exceeds Gaudi2's 262 GB/s budget); prior 0.85 for both (Gaudi2 an assumption).
 * Hop latency: a small all-reduce takes ~10–20 µs on 8 GPUs (e.g. 15 µs at 1 KB in microsoft/mscclpp#646's
 * table), i.e. a few µs per hop: priors 2 µs NVLink, 5 µs xGMI, 8 µs RoCE (assumptions within that range).
 * Attention: FlashAttention-2 reaches 35–50% of the H100 BF16 peak, FlashAttention-3 up to 75% (Shah et al.,
 * "FlashAttention-3", 2024): prior 0.4 everywhere. Paged decode attention reads the KV cache at well under
 * the streaming rate (scattered blocks; vLLM PagedAttention, Kwon et al., SOSP 2023): prior 0.6 of HBM peak.
 * Weight streaming: 0.75 of HBM peak (STREAM-like reads reach 80–90%). Step overhead: 4 ms (vLLM per-step
 * scheduling + launches without full CUDA graphs) (one prior for every device). Per-sequence host cost: 20 µs
 * (scheduling, sampling, detokenising one sequence in Python; assumption, wide prior).
 */
import type { Dtype } from '../cluster/catalog/types.js';

export interface DevicePrior {
  /** Best measured matmul share of the dense peak per dtype (the GEMM ceiling), with its source. */
  readonly gemmCeiling: Readonly<Record<Dtype, number>>;
  readonly busEfficiency: number;
  readonly hopLatency: number;
  readonly note: string;
}

/** Prior centres shared by every device (see the file comment). */
export const COMMON_PRIOR = {
  /** Prior gemm efficiency = this share of the ceiling. */
  gemmShareOfCeiling: 0.75,
  hbm: 0.75,
  prefillAttention: 0.4,
  decodeAttention: 0.6,
  stepOverhead: 4e-3,
  seqOverhead: 20e-6,
} as const;

/** Log-normal widths (σ of ln x): how far a factor may move from its prior before it costs as much as a 1σ miss. */
export const PRIOR_WIDTH = {
  gemm: 0.3,
  /** BF16 and FP8 GEMM efficiencies move together: σ of ln(bf16 share / fp8 share of their ceilings). */
  gemmDtypeRatio: 0.1,
  hbm: 0.2,
  prefillAttention: 0.4,
  decodeAttention: 0.3,
  stepOverhead: 0.7,
  seqOverhead: 1.0,
  busEfficiency: 0.2,
  hopLatency: 0.7,
} as const;

/** Physical bounds the fit never leaves. */
export const BOUNDS = {
  hbm: [0.3, 0.95],
  prefillAttention: [0.05, 0.8],
  decodeAttention: [0.1, 0.95],
  stepOverhead: [0.2e-3, 30e-3],
  seqOverhead: [0.5e-6, 300e-6],
  busEfficiency: [0.2, 1.1],
  hopLatency: [0.5e-6, 50e-6],
} as const;

export const DEVICE_PRIORS: Readonly<Record<string, DevicePrior>> = {
  mi300x: { gemmCeiling: { bf16: 0.51, fp8: 0.51 }, busEfficiency: 0.7, hopLatency: 5e-6, note: 'MI300X: 51% (ROCm 6.3)' },
  mi325x: { gemmCeiling: { bf16: 0.6, fp8: 0.6 }, busEfficiency: 0.7, hopLatency: 5e-6, note: 'MI325X: 60%' },
  gaudi3: { gemmCeiling: { bf16: 0.68, fp8: 0.68 }, busEfficiency: 0.85, hopLatency: 8e-6, note: 'Gaudi3: 68% of 1835 TFLOPS' },
  gaudi2: { gemmCeiling: { bf16: 0.97, fp8: 0.97 }, busEfficiency: 0.85, hopLatency: 8e-6, note: 'Gaudi2: 97%' },
  h100: { gemmCeiling: { bf16: 0.8, fp8: 0.72 }, busEfficiency: 0.85, hopLatency: 2e-6, note: 'H100: 80% BF16, 71–73% FP8' },
  h200: { gemmCeiling: { bf16: 0.8, fp8: 0.72 }, busEfficiency: 0.85, hopLatency: 2e-6, note: 'H200: 80% BF16, 71–73% FP8' },
  a100: { gemmCeiling: { bf16: 0.87, fp8: 0.87 }, busEfficiency: 0.85, hopLatency: 2e-6, note: 'A100: 87% (FP8 runs at the BF16 rate)' },
  b200: { gemmCeiling: { bf16: 0.78, fp8: 0.78 }, busEfficiency: 0.85, hopLatency: 2e-6, note: 'B200: 78%' },
};
