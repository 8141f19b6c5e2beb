/**
 * Accelerator catalog. Spec numbers are the dense (no sparsity) vendor figures as tabulated by
 * stas00/ml-engineering (vendor spec sheets); every entry says where each number comes from in `sources`.
 * Efficiency factors (GEMM per dtype, HBM, prefill/decode attention, step and per-sequence overheads) and the
 * all-reduce factors (scaleUp.busEfficiency, scaleUp.latency) of h100, h200, mi300x, mi325x, gaudi2 and gaudi3
 * are fitted by `kvsim validate --fit` to the published points in src/calibration/points.ts, with the priors of
 * src/calibration/priors.ts (docs/calibration.md); a100 and b200 have no point and keep their priors.
 * seqOverhead is the host cost per sequence of one scheduler invocation: the simulator schedules every step;
 * points run with vLLM multi-step scheduling pay it once per num_scheduler_steps (src/calibration/predict.ts).
 */
import type { DeviceSpec } from './types.js';

const SPEC = 'stas00/ml-engineering compute/accelerator/README.md (https://github.com/stas00/ml-engineering/blob/master/compute/accelerator/README.md), citing vendor spec sheets';
const EFF_NOTE =
  'uncalibrated: no published end-to-end point of this device is in the calibration set, so every factor is its ' +
  'prior (src/calibration/priors.ts: GEMM 0.75 of the best measured matmul share, hbm 0.75, attention 0.4 / 0.6, ' +
  'overheads 4 ms per step and 20 µs per sequence; docs/calibration.md).';
const FIT_NOTE =
  'Fitted by `kvsim validate --fit` (src/calibration/fit.ts: maximum a posteriori over the device\'s calibration ' +
  'points and the priors of src/calibration/priors.ts; a factor no point constrains stays near its prior). ' +
  'In-sample and cross-validated errors: docs/calibration.md.';
const FABRIC_NOTE =
  'All-reduce model src/hardware/allreduce.ts (ring or one-shot, whichever is faster; not overlapped with compute, as ' +
  'vLLM runs them on the critical path). busEfficiency and latency (per hop) are fitted with the TP>1 points from the ' +
  'priors in src/calibration/priors.ts (public nccl-tests / rccl-tests / HCCL demo bus bandwidths).';
const IDLE_NOTE =
  'ASSUMPTION: ~12% of TDP with weights loaded and no work (one public anchor: an H200 measured at ~80 W idle ' +
  'vs ~590 W under load, http://api.serialalice.pt/alice-benchmark; vendors publish no idle figure). src/power/ ' +
  'adds dynamic power with activity on top.';
const SWITCH_LATENCY = 2e-6;
const SWITCH_NOTE =
  'NVSwitch: any pair of GPUs gets the full per-device NVLink bandwidth, so perPeer = aggregate. ' + FABRIC_NOTE;

const D = 1e9; // decimal GB
const MiB = 2 ** 20;
/**
 * HBM capacity is what vLLM sizes its KV pool from: the worker takes a MemorySnapshot, whose total is
 * the runtime's device total (torch.cuda.mem_get_info, i.e. cudaMemGetInfo / hipMemGetInfo), and
 * requests total × gpu_memory_utilization (vllm/v1/worker/gpu_worker.py `requested_memory`;
 * vllm/utils/mem_utils.py `MemorySnapshot.measure`, https://github.com/vllm-project/vllm). So a
 * device with a public driver-reported total uses it, in exact bytes; the others keep the vendor's
 * figure read as decimal GB (10^9 B, as vendors quote it: NVIDIA quotes GB, not GiB,
 * https://github.com/modal-labs/modal-client/pull/2797), which is lower than the driver total
 * wherever both are known (by 6.9–7.4%), so their KV capacity is conservative.
 */
const DECIMAL_NOTE = 'no public driver-reported total found: vendor GB read as 10^9 B, likely ~7% below what vLLM sees';
/** vLLM's default KV block_size on CUDA and ROCm (vllm/config CacheConfig; --block-size default). */
const VLLM_PAGE = 16;
const VLLM_PAGE_SOURCE = 'vLLM CacheConfig block_size default 16 (https://docs.vllm.ai/en/latest/api/vllm/config/cache.html).';
/** vLLM on Gaudi (HPU) pages KV in 128-token blocks. */
const HPU_PAGE = 128;
const HPU_PAGE_SOURCE =
  'vLLM --block-size help: "On HPU devices, block size defaults to 128" (https://github.com/vllm-project/vllm/pull/11259); ' +
  'Intel Gaudi vLLM guide runs --block-size=128 (https://docs.habana.ai/en/latest/PyTorch/vLLM_Inference/vLLM_Inference.html).';
const T = 1e12;

const devices: Record<string, DeviceSpec> = {
  mi300x: {
    id: 'mi300x',
    name: 'AMD Instinct MI300X',
    hbmBytes: 206_141_652_992, // rocm-smi VRAM Total (192 GiB − 16 MiB)
    hbmBandwidth: 5.3 * T,
    kvPageSize: VLLM_PAGE,
    peakFlops: { bf16: 1300 * T, fp8: 2610 * T },
    scaleUp: {
      topology: 'mesh', perPeerBandwidth: 64 * D, aggregateBandwidth: 7 * 64 * D,
      latency: 5.61e-06, busEfficiency: 0.683, algorithm: 'auto', overlap: 0,
    },
    tdpWatts: 750,
    idleWatts: 90,
    purchasePrice: 15000,
    pricePerHour: 1.99,
    efficiency: {
      gemm: { bf16: 0.389, fp8: 0.39 }, hbm: 0.749,
      prefillAttention: 0.399, decodeAttention: 0.579, stepOverhead: 0.00428, seqOverhead: 3.41e-05,
    },
    sources: {
      kvPageSize: VLLM_PAGE_SOURCE,
      hbmBytes:
        `${SPEC}: 192 GB HBM3. Used: the driver's total, rocm-smi "VRAM Total Memory (B): 206141652992" ` +
        '(192 GiB less 16 MiB; 7.4% above 192·10^9 B), https://github.com/ROCm/legacy-rocm-build/issues/4750.',
      hbmBandwidth: `${SPEC}: 5.3 TB/s.`,
      peakFlops: `${SPEC}: 1300 BF16 / 2610 FP8 TFLOPS dense.`,
      scaleUp:
        `${SPEC}: Infinity Fabric mesh, 7 peers × 64 GB/s one way (64 GB/s between any two GPUs), so a TP group of n ` +
          `gets 64·(n−1) GB/s of links; RCCL counts 48 of the 64 GB/s after CRC and protocol overhead. ${FABRIC_NOTE}`,
      tdpWatts: `${SPEC}: 750 W.`,
      idleWatts: IDLE_NOTE,
      purchasePrice:
        'ASSUMPTION: ~$15k per MI300X to large buyers (press estimates $10k–$20k); no list price published.',
      pricePerHour: 'Public on-demand GPU cloud price listings (aggregator pages, 2026): median ~$1.99/GPU-h (range $1.50–$6).',
      efficiency:
        `${FIT_NOTE} Groups: MLPerf v4.1 Offline (vLLM 0.4.3, TP1 × 8), MLPerf v5.1 Offline (vLLM 0.9, TP1 × 8) ` +
          'and the AMD ROCm performance page (TP8: four large-batch throughput rows and the batch-1 latency).',
    },
  },
  mi325x: {
    id: 'mi325x',
    name: 'AMD Instinct MI325X',
    hbmBytes: 256 * D,
    hbmBandwidth: 6.0 * T,
    kvPageSize: VLLM_PAGE,
    peakFlops: { bf16: 1300 * T, fp8: 2610 * T },
    scaleUp: {
      topology: 'mesh', perPeerBandwidth: 64 * D, aggregateBandwidth: 7 * 64 * D,
      latency: 5e-06, busEfficiency: 0.7, algorithm: 'auto', overlap: 0,
    },
    tdpWatts: 1000,
    idleWatts: 120,
    purchasePrice: 20000,
    pricePerHour: 2.5,
    efficiency: {
      gemm: { bf16: 0.49, fp8: 0.494 }, hbm: 0.75,
      prefillAttention: 0.4, decodeAttention: 0.61, stepOverhead: 0.00396, seqOverhead: 1.95e-05,
    },
    sources: {
      kvPageSize: VLLM_PAGE_SOURCE,
      hbmBytes: `${SPEC}: 256 GB HBM3e (${DECIMAL_NOTE}).`,
      hbmBandwidth: `${SPEC}: 6.0 TB/s.`,
      peakFlops: `${SPEC}: 1300 BF16 / 2610 FP8 TFLOPS dense.`,
      scaleUp:
        `${SPEC}: scale-up as MI300X (7 × 64 GB/s Infinity Fabric mesh). ${FABRIC_NOTE}`,
      tdpWatts: `${SPEC}: 1000 W.`,
      idleWatts: IDLE_NOTE,
      purchasePrice:
        'ASSUMPTION: ~$20k (MI300X estimate × ~1.33 for +33% HBM); no list price published.',
      pricePerHour:
        'ASSUMPTION (no public hourly price found): $2.50 ≈ 1.25× the MI300X median $1.99 for +33% HBM, ' +
        'still below H200 (~$3.50).',
      efficiency:
        `${FIT_NOTE} Groups: MLPerf v5.0 and v5.1 Offline (TP1 × 8, compute-bound): they pin the GEMM ` +
          'efficiency; the other factors are priors.',
    },
  },
  gaudi3: {
    id: 'gaudi3',
    name: 'Intel Gaudi 3 HL-325L',
    hbmBytes: 128 * D,
    hbmBandwidth: 3.7 * T,
    kvPageSize: HPU_PAGE,
    peakFlops: { bf16: 1835 * T, fp8: 1835 * T },
    scaleUp: {
      topology: 'mesh', perPeerBandwidth: 75 * D, aggregateBandwidth: 7 * 75 * D,
      latency: 5.2e-06, busEfficiency: 0.865, algorithm: 'auto', overlap: 0,
    },
    tdpWatts: 900,
    idleWatts: 110,
    purchasePrice: 15625,
    pricePerHour: 1.6,
    efficiency: {
      gemm: { bf16: 0.457, fp8: 0.451 }, hbm: 0.75,
      prefillAttention: 0.386, decodeAttention: 0.579, stepOverhead: 0.004, seqOverhead: 2.06e-05, harnessStepOverhead: 0.00399,
    },
    sources: {
      kvPageSize: HPU_PAGE_SOURCE,
      hbmBytes: `${SPEC}; Intel HL-325L product brief: 128 GB HBM2e (${DECIMAL_NOTE}).`,
      hbmBandwidth: `${SPEC}: 3.7 TB/s.`,
      peakFlops:
        `${SPEC}; Intel Hot Chips 2024: 1835 TFLOPS BF16 and FP8 (⚠ one source gives 1677 BF16 at the ` +
        'shipped 1.6 GHz MME clock; the fitted GEMM efficiency absorbs the difference).',
      scaleUp:
        `${SPEC}: 24×200 GbE RoCE on chip, 21 inside the node = 3 per peer = 600 Gb/s = 75e9 B/s one way to each ` +
          `of 7 peers. ${FABRIC_NOTE}`,
      tdpWatts: `${SPEC}: 900 W (air-cooled HL-325L).`,
      idleWatts: IDLE_NOTE,
      purchasePrice:
        'Intel Computex 2024 list prices (https://www.nextplatform.com/2024/06/13/stacking-up-intel-gaudi-against-nvidia-gpus-for-ai/): $125k per 8-card Gaudi 3 kit = $15,625 per card.',
      pricePerHour:
        'ASSUMPTION (no hourly price published): 2024 list ≈ $125k per 8-card kit = $15.6k/card; ×1.5 for host ' +
        'server and network ≈ $23.4k, amortised over 3 years (26,280 h) ≈ $0.89/h; + power/hosting/ops ≈ $0.35/h; ' +
        '× ~1.3 provider margin ≈ $1.60/device-hour.',
      efficiency:
        `${FIT_NOTE} Groups: the Intel Gaudi page at SynapseAI 1.18 (Llama-3.1-70B TP8 and Llama-3.1-8B TP1, four ` +
          'in/out shapes each) and at 1.19 (Llama-3.1-70B TP8, four shapes, from Intel\'s reproduction harness). ' +
          'Host costs (stepOverhead, seqOverhead) are NOT calibrated: every Gaudi 3 point is an Optimum Habana ' +
          'throughput run, which pays the harness\'s own host step (harnessStepOverhead, calibration only) hidden ' +
          'behind the device (src/calibration/predict.ts), so all three stay near their priors (4 ms, 20 µs).',
    },
  },
  gaudi2: {
    id: 'gaudi2',
    name: 'Intel Gaudi 2',
    hbmBytes: 96 * D,
    hbmBandwidth: 2.46 * T,
    kvPageSize: HPU_PAGE,
    peakFlops: { bf16: 432 * T, fp8: 865 * T },
    scaleUp: {
      topology: 'mesh', perPeerBandwidth: 37.5 * D, aggregateBandwidth: 7 * 37.5 * D,
      latency: 4.4e-06, busEfficiency: 0.997, algorithm: 'auto', overlap: 0,
    },
    tdpWatts: 600,
    idleWatts: 70,
    purchasePrice: 8125,
    pricePerHour: 1.3,
    efficiency: {
      gemm: { bf16: 0.752, fp8: 0.755 }, hbm: 0.804,
      prefillAttention: 0.404, decodeAttention: 0.509, stepOverhead: 0.0039, seqOverhead: 1.63e-05, harnessStepOverhead: 0.0156,
    },
    sources: {
      kvPageSize: HPU_PAGE_SOURCE,
      hbmBytes: `${SPEC}: 96 GB HBM2e (${DECIMAL_NOTE}).`,
      hbmBandwidth: `${SPEC}: 2.46 TB/s.`,
      peakFlops: `${SPEC}: 432 BF16 / 865 FP8 TFLOPS dense.`,
      scaleUp:
        `${SPEC}: 24×100 GbE on chip. ASSUMPTION: same 21-in-node / 3-out split as Gaudi3, so 3×100 Gb/s = ` +
          `37.5e9 B/s one way to each of 7 peers. ${FABRIC_NOTE}`,
      tdpWatts: `${SPEC}: 600 W.`,
      idleWatts: IDLE_NOTE,
      purchasePrice:
        'Intel Computex 2024 list prices (https://www.nextplatform.com/2024/06/13/stacking-up-intel-gaudi-against-nvidia-gpus-for-ai/): $65k per 8-card Gaudi 2 kit = $8,125 per card.',
      pricePerHour:
        'ASSUMPTION (no public hourly price found): $1.30 ≈ 0.43× H100 ($2.99), i.e. A100-class pricing for a ' +
        'previous-generation part with ~1.4× A100 BF16 peak but little cloud availability.',
      efficiency:
        `${FIT_NOTE} Groups: MLPerf v4.0 Offline (TP8); the Intel Gaudi 2 page at SynapseAI 1.18 (Llama-2-70B on 2 HPU, ` +
          'and its batch-1 first-token latencies on 8 HPU) and at 1.19 (Llama-2-70B and Llama-3.1-70B on 2 HPU, ' +
          'Llama-3.1-70B on 8 HPU, from Intel\'s reproduction harness) and at 1.20 (Llama-3.1-70B on 2 and 8 HPU, the ' +
          'harness rows run without --attn_batch_split); Optimum Habana\'s own Gaudi2 CI baselines (v1.14.0: Llama-2-70B ' +
          'FP8 on 4 and 8 HPU, BF16 batch 1 on 8 HPU) and at v1.9.0 (the BF16 batch-1 row of an earlier round). ' +
          'stepOverhead (the serving engine\'s) comes from the MLPerf v4.0 run (TGI-gaudi); the Optimum Habana ' +
          'points pay the harness\'s own host step instead, harnessStepOverhead 15.6 ms (calibration only), which ' +
          'the batch-1 rows expose (docs/calibration.md).',
    },
  },
  h100: {
    id: 'h100',
    name: 'NVIDIA H100 SXM',
    hbmBytes: 81_559 * MiB, // nvidia-smi total: 85,520,809,984 B
    hbmBandwidth: 3.35 * T,
    kvPageSize: VLLM_PAGE,
    peakFlops: { bf16: 989 * T, fp8: 1979 * T },
    scaleUp: {
      topology: 'switch', perPeerBandwidth: 450 * D, aggregateBandwidth: 450 * D,
      latency: 1.99e-06, busEfficiency: 0.859, algorithm: 'auto', overlap: 0,
    },
    tdpWatts: 700,
    idleWatts: 80,
    purchasePrice: 25000,
    pricePerHour: 2.99,
    efficiency: {
      gemm: { bf16: 0.657, fp8: 0.598 }, hbm: 0.75,
      prefillAttention: 0.401, decodeAttention: 0.618, stepOverhead: 0.00383, seqOverhead: 1.51e-05,
    },
    sources: {
      kvPageSize: VLLM_PAGE_SOURCE,
      hbmBytes:
        `${SPEC}: 80 GB HBM3. Used: the driver's total, nvidia-smi 81559MiB (85,520,809,984 B; 6.9% above 80·10^9 B): ` +
        'https://github.com/NVIDIA/nccl/issues/1264, https://github.com/modal-labs/modal-client/pull/2797. (Not ' +
        'verified that cudaMemGetInfo, which vLLM reads, returns exactly the nvidia-smi total.)',
      hbmBandwidth: `${SPEC}: 3.35 TB/s.`,
      peakFlops: `${SPEC}: 989 BF16 / 1979 FP8 TFLOPS dense.`,
      scaleUp: `${SPEC}: NVLink4 450 GB/s one way. ${SWITCH_NOTE}`,
      tdpWatts: `${SPEC}: 700 W.`,
      idleWatts: IDLE_NOTE,
      purchasePrice:
        'ASSUMPTION: ~$25k per H100 SXM (widely reported $25k–$30k street price); no list price published.',
      pricePerHour: 'Public on-demand GPU cloud price listings (aggregator pages, 2026): H100 SXM $2.99–$5.00/GPU-h; low end taken.',
      efficiency:
        `${FIT_NOTE} Group: MLPerf v4.1 TensorRT-LLM Offline (TP2 × 4): one compute-bound point; the other factors are priors.`,
    },
  },
  h200: {
    id: 'h200',
    name: 'NVIDIA H200 SXM',
    hbmBytes: 141 * D,
    hbmBandwidth: 4.8 * T,
    kvPageSize: VLLM_PAGE,
    peakFlops: { bf16: 989 * T, fp8: 1979 * T },
    scaleUp: {
      topology: 'switch', perPeerBandwidth: 450 * D, aggregateBandwidth: 450 * D,
      latency: 2e-06, busEfficiency: 0.85, algorithm: 'auto', overlap: 0,
    },
    tdpWatts: 700,
    idleWatts: 80,
    purchasePrice: 31000,
    pricePerHour: 3.5,
    efficiency: {
      gemm: { bf16: 0.743, fp8: 0.685 }, hbm: 0.75,
      prefillAttention: 0.402, decodeAttention: 0.632, stepOverhead: 0.00369, seqOverhead: 1.41e-05,
    },
    sources: {
      kvPageSize: VLLM_PAGE_SOURCE,
      hbmBytes: `${SPEC}: 141 GB HBM3e (${DECIMAL_NOTE}).`,
      hbmBandwidth: `${SPEC}: 4.8 TB/s.`,
      peakFlops: `${SPEC}: 989 BF16 / 1979 FP8 TFLOPS dense.`,
      scaleUp: `${SPEC}: NVLink4 450 GB/s one way. ${SWITCH_NOTE}`,
      tdpWatts: `${SPEC}: 700 W (⚠ flagged in the table; some SKUs are configurable up to 1000 W).`,
      idleWatts: IDLE_NOTE,
      purchasePrice:
        'ASSUMPTION: ~$31k per H200 SXM (reported $30k–$35k); no list price published.',
      pricePerHour: 'Public on-demand GPU cloud price listings (aggregator pages, 2026): H200 $2.50–$7.00/GPU-h; ~$3.50 taken as a typical value.',
      efficiency:
        `${FIT_NOTE} Groups: MLPerf v4.1 and v5.1 TensorRT-LLM Offline (TP1 × 8, compute-bound): they pin the GEMM ` +
          'efficiency; the other factors are priors.',
    },
  },
  a100: {
    id: 'a100',
    name: 'NVIDIA A100 80GB SXM',
    hbmBytes: 81_920 * MiB, // nvidia-smi total: 85,899,345,920 B
    hbmBandwidth: 2.0 * T,
    kvPageSize: VLLM_PAGE,
    // No FP8 tensor cores: FP8 weights run weight-only (dequantised to BF16), i.e. at the BF16 rate.
    peakFlops: { bf16: 312 * T, fp8: 312 * T },
    scaleUp: {
      topology: 'switch', perPeerBandwidth: 300 * D, aggregateBandwidth: 300 * D,
      latency: SWITCH_LATENCY, busEfficiency: 0.85, algorithm: 'auto', overlap: 0,
    },
    tdpWatts: 400,
    idleWatts: 50,
    purchasePrice: 10000,
    pricePerHour: 1.79,
    efficiency: {
      gemm: { bf16: 0.6525, fp8: 0.6525 }, hbm: 0.75,
      prefillAttention: 0.4, decodeAttention: 0.6, stepOverhead: 4e-3, seqOverhead: 20e-6,
    },
    sources: {
      kvPageSize: VLLM_PAGE_SOURCE,
      hbmBytes:
        `${SPEC}: 80 GB HBM2e. Used: the driver's total, nvidia-smi 81920MiB (85,899,345,920 B; 7.4% above 80·10^9 B): ` +
        'https://github.com/modal-labs/modal-client/pull/2797. (Not verified that cudaMemGetInfo, which vLLM reads, ' +
        'returns exactly the nvidia-smi total.)',
      hbmBandwidth: `${SPEC}: 2.0 TB/s.`,
      peakFlops:
        `${SPEC}: 312 BF16 TFLOPS dense; no FP8. ASSUMPTION: fp8 = BF16 rate (weight-only FP8 kernels ` +
        'dequantise to BF16; only the bytes halve).',
      scaleUp: `${SPEC}: NVLink3 300 GB/s one way. ${SWITCH_NOTE}`,
      tdpWatts: `${SPEC}: 400 W (⚠ flagged in the table).`,
      idleWatts: IDLE_NOTE,
      purchasePrice:
        'ASSUMPTION: ~$10k per A100 80GB SXM (previous generation street price).',
      pricePerHour:
        'ASSUMPTION (no public hourly price found): $1.79 ≈ 0.6× the H100 $2.99, the usual A100/H100 ratio ' +
        'on on-demand price lists.',
      efficiency:
        EFF_NOTE,
    },
  },
  b200: {
    id: 'b200',
    name: 'NVIDIA B200',
    hbmBytes: 180 * D,
    hbmBandwidth: 8.0 * T,
    kvPageSize: VLLM_PAGE,
    peakFlops: { bf16: 2250 * T, fp8: 4500 * T },
    scaleUp: {
      topology: 'switch', perPeerBandwidth: 900 * D, aggregateBandwidth: 900 * D,
      latency: SWITCH_LATENCY, busEfficiency: 0.85, algorithm: 'auto', overlap: 0,
    },
    tdpWatts: 1000,
    idleWatts: 120,
    purchasePrice: 40000,
    pricePerHour: 5.5,
    efficiency: {
      gemm: { bf16: 0.585, fp8: 0.585 }, hbm: 0.75,
      prefillAttention: 0.4, decodeAttention: 0.6, stepOverhead: 4e-3, seqOverhead: 20e-6,
    },
    sources: {
      kvPageSize: VLLM_PAGE_SOURCE,
      hbmBytes: `${SPEC}: 180 GB HBM3e (${DECIMAL_NOTE}).`,
      hbmBandwidth: `${SPEC}: 8.0 TB/s.`,
      peakFlops: `${SPEC}: 2250 BF16 / 4500 FP8 TFLOPS dense.`,
      scaleUp: `${SPEC}: NVLink5 900 GB/s one way. ${SWITCH_NOTE}`,
      tdpWatts: `${SPEC}: 1000 W.`,
      idleWatts: IDLE_NOTE,
      purchasePrice:
        "ASSUMPTION: ~$40k per B200 (NVIDIA's CEO was reported in 2024 to quote $30k–$40k).",
      pricePerHour:
        'ASSUMPTION (no public hourly price found): $5.50 ≈ 1.8× the H100 $2.99 — less than its ~2.3× BF16 ' +
        'peak and ~2.4× HBM bandwidth ratio, as new parts are priced per unit of work below the old.',
      efficiency:
        EFF_NOTE,
    },
  },
};

for (const d of Object.values(devices)) {
  Object.freeze(d.peakFlops);
  Object.freeze(d.scaleUp);
  Object.freeze(d.efficiency.gemm);
  Object.freeze(d.efficiency);
  Object.freeze(d.sources);
  Object.freeze(d);
}

export const DEVICES: Readonly<Record<string, DeviceSpec>> = Object.freeze(devices);

/** Catalog keys, in catalog order. */
export function deviceIds(): string[] {
  return Object.keys(DEVICES);
}
