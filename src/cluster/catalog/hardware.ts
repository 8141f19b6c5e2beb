/**
 * Accelerator catalog. Spec numbers are the dense (no sparsity) vendor figures collected in
 * /work/shared/CALIBRATION-DATA.md; every entry says where each number comes from in `sources`.
 * Efficiency values (mfu, mbu, stepOverhead) of h100, h200, mi300x, gaudi2 and gaudi3 are fitted by
 * `kvsim validate --fit` to the published points in src/calibration/points.ts (docs/calibration.md);
 * the other devices have no published point and keep uncalibrated first guesses.
 */
import type { DeviceSpec } from './types.js';

const SPEC = 'CALIBRATION-DATA.md accelerator table (stas00/ml-engineering compute/accelerator README, vendor spec sheets)';
const EFF_NOTE =
  'uncalibrated first guesses: CALIBRATION-DATA.md has no end-to-end measurement on this device (docs/calibration.md).';
const FIT_NOTE =
  'Fitted by `kvsim validate --fit` (src/calibration/fit.ts: smallest max |error|, errors under 2% tie-broken ' +
  'toward the prior guess; mfu ≤ best measured matmul share, mbu ≤ 0.9, overhead 0–15 ms). All points run FP8, so ' +
  'mfu is a share of the FP8 peak; applied to BF16 runs (BF16 peak) it is likely pessimistic.';
const OVERHEAD_NOTE = 'stepOverhead: assumed vLLM per-step CPU/launch overhead (scheduling, sampling, kernel launches)';
const SWITCH_LATENCY = 5e-6;
const SWITCH_NOTE =
  'NVSwitch: any pair of GPUs gets the full per-device NVLink bandwidth, so perPeer = aggregate. ' +
  `Latency ${SWITCH_LATENCY * 1e6} µs per all-reduce: assumption (a few µs for small NCCL all-reduces).`;

const D = 1e9; // decimal GB
/**
 * HBM capacity: the vendor's figure read as decimal GB (10^9 B), as vendors quote it (NVIDIA quotes
 * GB, not GiB: https://github.com/modal-labs/modal-client/pull/2797). vLLM multiplies
 * gpu_memory_utilization by the total the driver reports, which can differ; where a
 * driver-reported total was found it is recorded in the source text. NOT yet switched to it:
 * doing so moves the fitted efficiency factors (kvsim validate --fit) and needs a re-fit.
 */
const DECIMAL_NOTE = 'driver-reported total not verified: vendor GB read as 10^9 B';
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
    hbmBytes: 192 * D,
    hbmBandwidth: 5.3 * T,
    kvPageSize: VLLM_PAGE,
    peakFlops: { bf16: 1300 * T, fp8: 2610 * T },
    scaleUp: { topology: 'mesh', perPeerBandwidth: 64 * D, aggregateBandwidth: 7 * 64 * D, latency: 5e-6 },
    tdpWatts: 750,
    pricePerHour: 1.99,
    efficiency: { mfu: 0.32, mbu: 0.61, stepOverhead: 4.7e-3 },
    sources: {
      kvPageSize: VLLM_PAGE_SOURCE,
      hbmBytes:
        `${SPEC}: 192 GB HBM3, read as 10^9 B. The driver reports more: rocm-smi "VRAM Total Memory (B): ` +
        '206141652992" (192 GiB less 16 MiB, +7.4%), https://github.com/ROCm/legacy-rocm-build/issues/4750.',
      hbmBandwidth: `${SPEC}: 5.3 TB/s.`,
      peakFlops: `${SPEC}: 1300 BF16 / 2610 FP8 TFLOPS dense.`,
      scaleUp:
        `${SPEC}: Infinity Fabric mesh, 7 peers × 64 GB/s one way (64 GB/s between any two GPUs), so a TP group ` +
        'of n gets 64·(n−1) GB/s. Latency 5 µs per all-reduce: assumption.',
      tdpWatts: `${SPEC}: 750 W.`,
      pricePerHour: 'CALIBRATION-DATA.md prices: aggregator median ~$1.99/GPU-h on demand (range $1.50–$6).',
      efficiency:
        `${FIT_NOTE} Points mlperf-mi300x-offline (MLPerf v4.1 8×MI300X Offline, TP1, compute-bound: sets mfu, ` +
        'below the 35% ROCm 6.1 matmul ceiling of that run) and rocm-70b-lat-128/2048 (AMD ROCm page batch-1 ' +
        'latency, TP8: sets weights/(bw·mbu) + overhead; the mbu/overhead split is the tie-break toward the prior ' +
        '0.70 / 4 ms), max error 2.0%. The same page\'s large-batch TP8 throughput rows are not met (+99% to +149%, ' +
        `reference only, docs/calibration.md). ${OVERHEAD_NOTE}.`,
    },
  },
  mi325x: {
    id: 'mi325x',
    name: 'AMD Instinct MI325X',
    hbmBytes: 256 * D,
    hbmBandwidth: 6.0 * T,
    kvPageSize: VLLM_PAGE,
    peakFlops: { bf16: 1300 * T, fp8: 2610 * T },
    scaleUp: { topology: 'mesh', perPeerBandwidth: 64 * D, aggregateBandwidth: 7 * 64 * D, latency: 5e-6 },
    tdpWatts: 1000,
    pricePerHour: 2.5,
    efficiency: { mfu: 0.45, mbu: 0.7, stepOverhead: 4e-3 },
    sources: {
      kvPageSize: VLLM_PAGE_SOURCE,
      hbmBytes: `${SPEC}: 256 GB HBM3e (${DECIMAL_NOTE}).`,
      hbmBandwidth: `${SPEC}: 6.0 TB/s.`,
      peakFlops: `${SPEC}: 1300 BF16 / 2610 FP8 TFLOPS dense.`,
      scaleUp: `${SPEC}: scale-up as MI300X (7 × 64 GB/s Infinity Fabric mesh). Latency 5 µs: assumption.`,
      tdpWatts: `${SPEC}: 1000 W.`,
      pricePerHour:
        'ASSUMPTION (no price in CALIBRATION-DATA.md): $2.50 ≈ 1.25× the MI300X median $1.99 for +33% HBM, ' +
        'still below H200 (~$3.50).',
      efficiency:
        'mfu 0.45: below the 60% best-measured matmul ceiling. mbu 0.70. stepOverhead 4 ms (the MI300X prior guess). ' +
        `${OVERHEAD_NOTE}; ${EFF_NOTE}`,
    },
  },
  gaudi3: {
    id: 'gaudi3',
    name: 'Intel Gaudi 3 HL-325L',
    hbmBytes: 128 * D,
    hbmBandwidth: 3.7 * T,
    kvPageSize: HPU_PAGE,
    peakFlops: { bf16: 1835 * T, fp8: 1835 * T },
    scaleUp: { topology: 'mesh', perPeerBandwidth: 75 * D, aggregateBandwidth: 7 * 75 * D, latency: 8e-6 },
    tdpWatts: 900,
    pricePerHour: 1.6,
    efficiency: { mfu: 0.465, mbu: 0.64, stepOverhead: 14.9e-3 },
    sources: {
      kvPageSize: HPU_PAGE_SOURCE,
      hbmBytes: `${SPEC}; Intel HL-325L product brief: 128 GB HBM2e (${DECIMAL_NOTE}).`,
      hbmBandwidth: `${SPEC}: 3.7 TB/s.`,
      peakFlops:
        `${SPEC}; Intel Hot Chips 2024: 1835 TFLOPS BF16 and FP8 (⚠ one source gives 1677 BF16 at the ` +
        'shipped 1.6 GHz MME clock; mfu absorbs the difference for now).',
      scaleUp:
        `${SPEC}: 24×200 GbE RoCE on chip, 21 inside the node = 3 per peer = 600 Gb/s = 75e9 B/s one way to each ` +
        'of 7 peers. Latency 8 µs per all-reduce: assumption (RoCE path, a bit above NVLink).',
      tdpWatts: `${SPEC}: 900 W (air-cooled HL-325L).`,
      pricePerHour:
        'ASSUMPTION (no hourly price published): 2024 list ≈ $125k per 8-card kit = $15.6k/card; ×1.5 for host ' +
        'server and network ≈ $23.4k, amortised over 3 years (26,280 h) ≈ $0.89/h; + power/hosting/ops ≈ $0.35/h; ' +
        '× ~1.3 provider margin ≈ $1.60/device-hour.',
      efficiency:
        `${FIT_NOTE} Points g3-70b-{128/128,128/2048,2048/128,2048/2048} (Llama-3.1-70B, 8 HPU) and ` +
        'g3-8b-{same} (Llama-3.1-8B, 1 HPU) from the Intel Gaudi model-performance page (SynapseAI 1.18, FP8), ' +
        'max error 12.3%, median 9.3%. stepOverhead lands near the 15 ms bound: it also absorbs what the model ' +
        'lacks on this stack (bucket padding, host overhead per step); residuals are +4…+12% on the TP8 rows and ' +
        `−9…−12% on the TP1 rows. ${OVERHEAD_NOTE}.`,
    },
  },
  gaudi2: {
    id: 'gaudi2',
    name: 'Intel Gaudi 2',
    hbmBytes: 96 * D,
    hbmBandwidth: 2.46 * T,
    kvPageSize: HPU_PAGE,
    peakFlops: { bf16: 432 * T, fp8: 865 * T },
    scaleUp: { topology: 'mesh', perPeerBandwidth: 37.5 * D, aggregateBandwidth: 7 * 37.5 * D, latency: 8e-6 },
    tdpWatts: 600,
    pricePerHour: 1.3,
    efficiency: { mfu: 0.49, mbu: 0.75, stepOverhead: 4e-3 },
    sources: {
      kvPageSize: HPU_PAGE_SOURCE,
      hbmBytes: `${SPEC}: 96 GB HBM2e (${DECIMAL_NOTE}).`,
      hbmBandwidth: `${SPEC}: 2.46 TB/s.`,
      peakFlops: `${SPEC}: 432 BF16 / 865 FP8 TFLOPS dense.`,
      scaleUp:
        `${SPEC}: 24×100 GbE on chip. ASSUMPTION: same 21-in-node / 3-out split as Gaudi3, so 3×100 Gb/s = ` +
        '37.5e9 B/s one way to each of 7 peers. Latency 8 µs per all-reduce: assumption.',
      tdpWatts: `${SPEC}: 600 W.`,
      pricePerHour:
        'ASSUMPTION (no price in CALIBRATION-DATA.md): $1.30 ≈ 0.43× H100 ($2.99), i.e. A100-class pricing for a ' +
        'previous-generation part with ~1.4× A100 BF16 peak but little cloud availability.',
      efficiency:
        `${FIT_NOTE} Point mlperf-gaudi2-offline (MLPerf v4.0 8×Gaudi2 Offline, TP8, FP8), max error 1.9%. One ` +
        'compute-bound point sets mfu only; mbu 0.75 and stepOverhead 4 ms stay the uncalibrated prior guesses. ' +
        `${OVERHEAD_NOTE}.`,
    },
  },
  h100: {
    id: 'h100',
    name: 'NVIDIA H100 SXM',
    hbmBytes: 80 * D,
    hbmBandwidth: 3.35 * T,
    kvPageSize: VLLM_PAGE,
    peakFlops: { bf16: 989 * T, fp8: 1979 * T },
    scaleUp: { topology: 'switch', perPeerBandwidth: 450 * D, aggregateBandwidth: 450 * D, latency: SWITCH_LATENCY },
    tdpWatts: 700,
    pricePerHour: 2.99,
    efficiency: { mfu: 0.485, mbu: 0.8, stepOverhead: 3e-3 },
    sources: {
      kvPageSize: VLLM_PAGE_SOURCE,
      hbmBytes:
        `${SPEC}: 80 GB HBM3, read as 10^9 B. nvidia-smi reports 81559MiB (85,520,809,984 B, +6.9%): ` +
        'https://github.com/NVIDIA/nccl/issues/1264, https://github.com/modal-labs/modal-client/pull/2797.',
      hbmBandwidth: `${SPEC}: 3.35 TB/s.`,
      peakFlops: `${SPEC}: 989 BF16 / 1979 FP8 TFLOPS dense.`,
      scaleUp: `${SPEC}: NVLink4 450 GB/s one way. ${SWITCH_NOTE}`,
      tdpWatts: `${SPEC}: 700 W.`,
      pricePerHour: 'CALIBRATION-DATA.md prices: H100 SXM $2.99–$5.00/GPU-h on demand; low end taken.',
      efficiency:
        `${FIT_NOTE} Point mlperf-h100-offline (MLPerf v4.1 8×H100 TensorRT-LLM Offline, TP2 × 4, FP8), max error ` +
        '1.4%. One compute-bound point sets mfu only; mbu 0.80 and stepOverhead 3 ms (CUDA graphs) stay the ' +
        `uncalibrated prior guesses. ${OVERHEAD_NOTE}.`,
    },
  },
  h200: {
    id: 'h200',
    name: 'NVIDIA H200 SXM',
    hbmBytes: 141 * D,
    hbmBandwidth: 4.8 * T,
    kvPageSize: VLLM_PAGE,
    peakFlops: { bf16: 989 * T, fp8: 1979 * T },
    scaleUp: { topology: 'switch', perPeerBandwidth: 450 * D, aggregateBandwidth: 450 * D, latency: SWITCH_LATENCY },
    tdpWatts: 700,
    pricePerHour: 3.5,
    efficiency: { mfu: 0.55, mbu: 0.8, stepOverhead: 3e-3 },
    sources: {
      kvPageSize: VLLM_PAGE_SOURCE,
      hbmBytes: `${SPEC}: 141 GB HBM3e (${DECIMAL_NOTE}).`,
      hbmBandwidth: `${SPEC}: 4.8 TB/s.`,
      peakFlops: `${SPEC}: 989 BF16 / 1979 FP8 TFLOPS dense.`,
      scaleUp: `${SPEC}: NVLink4 450 GB/s one way. ${SWITCH_NOTE}`,
      tdpWatts: `${SPEC}: 700 W (⚠ flagged in the table; some SKUs are configurable up to 1000 W).`,
      pricePerHour: 'CALIBRATION-DATA.md prices: H200 $2.50–$7.00/GPU-h on demand; ~$3.50 taken as a typical value.',
      efficiency:
        `${FIT_NOTE} Point mlperf-h200-offline (MLPerf v4.1 8×H200 TensorRT-LLM Offline, TP1 × 8, FP8): the prior ` +
        'guess 0.55 / 0.80 / 3 ms already predicts it within 1.3% (under the 2% floor), so the fit keeps it. One ' +
        'compute-bound point sets mfu only; mbu and stepOverhead stay uncalibrated guesses. ' +
        `${OVERHEAD_NOTE}.`,
    },
  },
  a100: {
    id: 'a100',
    name: 'NVIDIA A100 80GB SXM',
    hbmBytes: 80 * D,
    hbmBandwidth: 2.0 * T,
    kvPageSize: VLLM_PAGE,
    // No FP8 tensor cores: FP8 weights run weight-only (dequantised to BF16), i.e. at the BF16 rate.
    peakFlops: { bf16: 312 * T, fp8: 312 * T },
    scaleUp: { topology: 'switch', perPeerBandwidth: 300 * D, aggregateBandwidth: 300 * D, latency: SWITCH_LATENCY },
    tdpWatts: 400,
    pricePerHour: 1.79,
    efficiency: { mfu: 0.6, mbu: 0.8, stepOverhead: 3e-3 },
    sources: {
      kvPageSize: VLLM_PAGE_SOURCE,
      hbmBytes:
        `${SPEC}: 80 GB HBM2e, read as 10^9 B. nvidia-smi reports 81920MiB (85,899,345,920 B, +7.4%): ` +
        'https://github.com/modal-labs/modal-client/pull/2797.',
      hbmBandwidth: `${SPEC}: 2.0 TB/s.`,
      peakFlops:
        `${SPEC}: 312 BF16 TFLOPS dense; no FP8. ASSUMPTION: fp8 = BF16 rate (weight-only FP8 kernels ` +
        'dequantise to BF16; only the bytes halve).',
      scaleUp: `${SPEC}: NVLink3 300 GB/s one way. ${SWITCH_NOTE}`,
      tdpWatts: `${SPEC}: 400 W (⚠ flagged in the table).`,
      pricePerHour:
        'ASSUMPTION (no price in CALIBRATION-DATA.md): $1.79 ≈ 0.6× the H100 $2.99, the usual A100/H100 ratio ' +
        'on on-demand price lists.',
      efficiency:
        'mfu 0.60: below the 87% best-measured matmul ceiling (mature part). mbu 0.80. stepOverhead 3 ms. ' +
        `${OVERHEAD_NOTE}; ${EFF_NOTE}`,
    },
  },
  b200: {
    id: 'b200',
    name: 'NVIDIA B200',
    hbmBytes: 180 * D,
    hbmBandwidth: 8.0 * T,
    kvPageSize: VLLM_PAGE,
    peakFlops: { bf16: 2250 * T, fp8: 4500 * T },
    scaleUp: { topology: 'switch', perPeerBandwidth: 900 * D, aggregateBandwidth: 900 * D, latency: SWITCH_LATENCY },
    tdpWatts: 1000,
    pricePerHour: 5.5,
    efficiency: { mfu: 0.5, mbu: 0.75, stepOverhead: 3e-3 },
    sources: {
      kvPageSize: VLLM_PAGE_SOURCE,
      hbmBytes: `${SPEC}: 180 GB HBM3e (${DECIMAL_NOTE}).`,
      hbmBandwidth: `${SPEC}: 8.0 TB/s.`,
      peakFlops: `${SPEC}: 2250 BF16 / 4500 FP8 TFLOPS dense.`,
      scaleUp: `${SPEC}: NVLink5 900 GB/s one way. ${SWITCH_NOTE}`,
      tdpWatts: `${SPEC}: 1000 W.`,
      pricePerHour:
        'ASSUMPTION (no price in CALIBRATION-DATA.md): $5.50 ≈ 1.8× the H100 $2.99 — less than its ~2.3× BF16 ' +
        'peak and ~2.4× HBM bandwidth ratio, as new parts are priced per unit of work below the old.',
      efficiency:
        'mfu 0.50: below the 78% best-measured matmul ceiling (young software stack). mbu 0.75. stepOverhead 3 ms. ' +
        `${OVERHEAD_NOTE}; ${EFF_NOTE}`,
    },
  },
};

for (const d of Object.values(devices)) {
  Object.freeze(d.peakFlops);
  Object.freeze(d.scaleUp);
  Object.freeze(d.efficiency);
  Object.freeze(d.sources);
  Object.freeze(d);
}

export const DEVICES: Readonly<Record<string, DeviceSpec>> = Object.freeze(devices);

/** Catalog keys, in catalog order. */
export function deviceIds(): string[] {
  return Object.keys(DEVICES);
}
