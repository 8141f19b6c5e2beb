/**
 * The built-in calibration points: published end-to-end measurements that `kvsim validate` runs
 * through the step-time model. Every point names its public source (URL or repository path); setup details the data file does not give (tensor
 * parallelism, batch, dtypes, engine limits) come from the submitters' own stored configuration
 * files where named in `notes`, and are marked ASSUMPTION otherwise.
 *
 * Roles:
 *   calibration — the device's efficiency factors are fitted to it (`kvsim validate --fit`), and
 *                 `kvsim validate` judges it by its cross-validated error (the error when its whole
 *                 group was left out of the fit; validate.ts);
 *   reference   — shown for comparison, never fitted and never judged: MLPerf Server rows (a fair
 *                 prediction needs queueing under the latency SLO, which the steady-state procedure
 *                 does not model).
 * `group` is the unit of cross-validation: one source's measurements of one device (a device × source),
 * which share a software stack and a way of measuring.
 */
import type { Dtype } from '../cluster/catalog/types.js';

export type PointRole = 'calibration' | 'reference';

/**
 * throughput  — tokens/s of the whole system (all engines), steady-state continuous batching;
 * latency     — seconds for one request alone (batch 1): prefill + every decode step;
 * first-token — seconds to the first token of one request alone (batch 1): its prefill.
 */
export type PointMetric = 'throughput' | 'latency' | 'first-token';

/** Which tokens a throughput figure counts. */
export type TokensCounted = 'output' | 'input+output';

export interface CalibrationPoint {
  /** Short unique id, shown in the table. */
  readonly id: string;
  /** Where the published number comes from (URL, repository path or paper). */
  readonly source: string;
  /** Hardware catalog key. */
  readonly device: string;
  /** Accelerators in the measured system. */
  readonly devices: number;
  /** Tensor parallelism of one engine; the system runs devices / tp identical engines. */
  readonly tp: number;
  /** Model catalog key. */
  readonly model: string;
  readonly weightDtype: Dtype;
  readonly kvDtype: Dtype;
  readonly workload: {
    /** Prompt tokens per request. */
    readonly input: number;
    /** Generated tokens per request (the first comes out of prefill). */
    readonly output: number;
    /** Maximum concurrent sequences per engine (max_num_seqs / batch size); 1 for latency points. */
    readonly batch: number;
  };
  /** Engine limits used for the KV capacity and prefill packing (vLLM names). */
  readonly engine: {
    readonly maxNumBatchedTokens: number;
    readonly gpuMemoryUtilization: number;
    /**
     * vLLM V0 multi-step scheduling (`num_scheduler_steps`, default 1): the scheduler runs once per this many
     * decode steps, so the per-sequence host cost is paid once per window (predict.ts).
     */
    readonly numSchedulerSteps?: number;
    /**
     * The harness never waits for the device between decode steps, so the host's per-step work hides behind the
     * device's (predict.ts hostHiddenBehindDevice). Default false: vLLM, TGI and TensorRT-LLM read the sampled
     * tokens back every step.
     */
    readonly hostRunsAhead?: boolean;
    /**
     * The benchmark harness, where it is not a serving engine: 'optimum-habana' (run_generation.py). Its host cost
     * per step is its own fitted factor (harnessStepOverhead), not the serving engine's stepOverhead (predict.ts).
     */
    readonly harness?: 'optimum-habana';
  };
  readonly metric: PointMetric;
  /** For throughput points: which tokens the published figure counts. */
  readonly tokensCounted?: TokensCounted;
  /** Published value: tokens/s (throughput) or s (latency, first-token). */
  readonly published: number;
  /** Cross-validation group: one source's measurements of one device (`<source>` ids, see GROUPS). */
  readonly group: string;
  readonly role: PointRole;
  /** Assumptions and where the setup details come from. */
  readonly notes: string;
}

const MLPERF_41 =
  'MLPerf Inference v4.1, mlcommons/inference_results_v4.1, closed/<vendor>/results/<system>/llama2-70b-*/' +
  '<scenario>/performance/run_1/mlperf_log_summary.txt (https://github.com/mlcommons/inference_results_v4.1)';
const MLPERF_40 =
  'MLPerf Inference v4.0, mlcommons/inference_results_v4.0, closed/Intel-HabanaLabs/results/HLS-Gaudi2-PT/' +
  'llama2-70b-99.9/<scenario>/performance/run_1/mlperf_log_summary.txt (https://github.com/mlcommons/inference_results_v4.0)';
const AMD_ROCM =
  'AMD ROCm performance results page (https://www.amd.com/en/developer/resources/rocm-hub/dev-ai/performance-results.html), ' +
  'rocm/vllm rocm6.4.1_vllm_0.9.1_20250715 (July 2025 snapshot; the June, September, October and November 2025 snapshots ' +
  'differ by −5% to +31% on the same rows), Llama-3.1-70B FP8, TP8, 8×MI300X';
const INTEL_GAUDI =
  'Intel Gaudi model-performance page, SynapseAI 1.18, 8×HL-325L server, FP8 ' +
  '(https://www.intel.com/content/www/us/en/developer/platform/gaudi/model-performance.html)';

const MLPERF_51 =
  'MLPerf Inference v5.1, mlcommons/inference_results_v5.1 summary_results.json ' +
  '(https://github.com/mlcommons/inference_results_v5.1), Llama-2-70B (llama2-70b-99), closed division';
const MLPERF_50 =
  'MLPerf Inference v5.0, mlcommons/inference_results_v5.0 summary_results.json ' +
  '(https://github.com/mlcommons/inference_results_v5.0), Llama-2-70B (llama2-70b-99), closed division';
const INTEL_GAUDI2 =
  'Intel Gaudi 2 model-performance page, SynapseAI 1.18, HLS-Gaudi2 with 8×HL-225H, FP8 ' +
  '(https://www.intel.com/content/www/us/en/developer/platform/gaudi/model-performance-gaudi2-inference.html)';
const AMD_V51_CFG =
  'closed/AMD/code/llama2-70b-99.9/harness_llm/models/llama2-70b/offline_<device>.yaml (inference_results_v5.1): ' +
  'tensor_parallel_size 1 (8 engines), quantization fp8, gpu_memory_utilization 0.98, ' +
  'enforce_eager (num_scheduler_steps 11 for MI300X, 7 for MI325X: vLLM V0 multi-step scheduling, which pays the ' +
  'per-sequence host cost once per window, predict.ts). ASSUMPTION: FP8 KV cache — the file sets no kv_cache_dtype, but its target decode batch of ' +
  '1280–1536 sequences (VLLM_LLAMA2_MLPERF_*_TARGET_DECODE_BATCH) cannot fit in 16-bit KV, and the v4.1 run ' +
  'states --kv-cache-dtype fp8.';

/** MLPerf Llama-2-70B: ~293 output tokens per sample (the v4.1 mlperf_log_summary.txt files give 290–293). */
const MLPERF_OUT = 293;
/**
 * ASSUMPTION: mean prompt length of the MLPerf OpenOrca set. The result logs give only the output
 * mean; the input mean is taken equal to the reference output mean (294 tokens per sample in the
 * mlcommons/inference llama2-70b README). docs/calibration.md shows how much this choice moves the
 * MLPerf predictions.
 */
const MLPERF_IN = 294;

const MLPERF_NOTES =
  `Output: ${MLPERF_OUT} tokens/sample (result logs). ASSUMPTION: mean input ${MLPERF_IN} tokens ` +
  '(not in the result logs). MLPerf counts output tokens.';

const ROCM_NOTES =
  'Setup from ROCm/MAD scripts/vllm/config.csv (the harness behind the page): num_prompts = max_num_seqs, ' +
  'max_num_batched_tokens 131072, gpu_memory_utilization 0.9, FP8 weights and FP8 KV (amd/Llama-3.1-70B-' +
  'Instruct-FP8-KV). Tokens counted: output only — the page does not say, and only this reading lets one ' +
  'set of factors explain the page\'s rows together (its four throughput rows and the latency fitted alone: ' +
  'max error 12.7% read as output, 26.3% read as input+output; docs/calibration.md).';
const ROCM_NOTE_2 =
  'Large batches (1500–3200 sequences per engine): per step the page implies 80–140 µs per sequence, a host ' +
  'cost per sequence (seqOverhead) paid every step. ASSUMPTION: num_scheduler_steps 1 — the page\'s vLLM 0.9.1 ' +
  'runs the V1 engine (the default since vLLM 0.8; AMD blog "vLLM V1 Meets AMD Instinct GPUs", ' +
  'https://rocm.blogs.amd.com/software-tools-optimization/vllmv1-rocm-llm/README.html), which has no multi-step ' +
  'scheduling. Corroboration: the page\'s November 2025 snapshot (rocm/vllm rocm7.0.0_vllm_0.11.1, a vLLM without ' +
  'the V0 engine) gives the same four rows within +4% to +6% (13,280 / 11,450 / 11,347 / 7,652 tokens/s). ' +
  'ROCm/MAD scripts/vllm/config.csv carries a num_scheduler_steps column (10 for these rows) that would force ' +
  'vLLM\'s V0 fallback; docs/calibration.md shows the result under that reading.';

const OPTIMUM_HABANA =
  'The Intel pages are reproduced with Optimum Habana run_generation.py static batches (HabanaAI/Gaudi-tutorials ' +
  'PyTorch/Hugging_Face_pipelines/Benchmarking_on_Optimum-habana_with_fp8, https://github.com/HabanaAI/Gaudi-tutorials): ' +
  'the whole batch is prefilled, then decoded in lock step (the procedure\'s wave); KV is preallocated, so the ' +
  'vLLM-style KV pool and prefill packing below are approximations.';
/**
 * Optimum Habana's decode loop never waits for the device: with --ignore_eos (run_generation.py's default) and static
 * shapes the stopping test compares a host-side token counter with max_length (optimum-habana v1.14
 * generation/stopping_criteria.py gaudi_MaxLengthCriteria_call, called with token_idx = cur_len, a Python int, from
 * generation/utils.py _sample), no sampled token is read back, and lazy-mode graphs are queued asynchronously; the
 * only torch_hpu.synchronize() in the loop follows the first token, to time it. So the host prepares step k+1 while
 * the device runs step k.
 */
const OPTIMUM_HABANA_ENGINE = { maxNumBatchedTokens: 8192, gpuMemoryUtilization: 0.9, hostRunsAhead: true, harness: 'optimum-habana' } as const;
const HOST_AHEAD_NOTE =
  'Host work per step hides behind the device\'s (engine.hostRunsAhead): Optimum Habana\'s decode loop never reads ' +
  'the device back (host-side length test with --ignore_eos, asynchronous lazy-mode graphs; optimum-habana v1.14 ' +
  'generation/utils.py and stopping_criteria.py).';

const INTEL_NOTES =
  OPTIMUM_HABANA + ' Batch size from the page. Tokens counted: output only — the 2048/128 rows rule out input+output ' +
  '(1,600 total tokens/s would mean < 100 output tokens/s on 8 Gaudi3s). ASSUMPTION: FP8 KV cache ' +
  '(INC FP8 quantisation), max_num_batched_tokens 8192, gpu_memory_utilization 0.9.';

/**
 * A throughput point of an FP8 (weights and KV) run, the common case: output tokens counted,
 * 8,192 batched tokens and 0.9 of HBM for the procedure's engine unless the point says otherwise.
 */
function fp8Throughput(
  p: Pick<CalibrationPoint, 'id' | 'source' | 'device' | 'devices' | 'tp' | 'model' | 'workload' | 'published' | 'group' | 'notes'> &
    Partial<Pick<CalibrationPoint, 'engine' | 'kvDtype' | 'role'>>,
): CalibrationPoint {
  return {
    weightDtype: 'fp8',
    kvDtype: 'fp8',
    engine: { maxNumBatchedTokens: 8192, gpuMemoryUtilization: 0.9 },
    metric: 'throughput',
    tokensCounted: 'output',
    role: 'calibration',
    ...p,
  };
}

function mlperf(
  id: string,
  device: string,
  tp: number,
  batch: number,
  published: number,
  role: PointRole,
  source: string,
  notes: string,
  group = 'mlperf-v4.1',
  run: {
    output?: number;
    kvDtype?: 'bf16' | 'fp8';
    maxNumBatchedTokens?: number;
    gpuMemoryUtilization?: number;
    numSchedulerSteps?: number;
  } = {},
): CalibrationPoint {
  return fp8Throughput({
    id,
    source,
    device,
    devices: 8,
    tp,
    model: 'llama-2-70b',
    kvDtype: run.kvDtype ?? 'fp8',
    workload: { input: MLPERF_IN, output: run.output ?? MLPERF_OUT, batch },
    engine: {
      maxNumBatchedTokens: run.maxNumBatchedTokens ?? 8192,
      gpuMemoryUtilization: run.gpuMemoryUtilization ?? 0.9,
      ...(run.numSchedulerSteps === undefined ? {} : { numSchedulerSteps: run.numSchedulerSteps }),
    },
    published,
    group,
    role,
    notes: `${notes} ${MLPERF_NOTES}`,
  });
}

const NV_CFG =
  'closed/NVIDIA/configs/llama2-70b/{Offline,Server}/__init__.py (inference_results_v4.1): use_fp8, ' +
  'kvcache_free_gpu_mem_frac 0.90; ASSUMPTION: FP8 KV cache, max_num_tokens 8192 per step.';
const SERVER_NOTE =
  'REFERENCE ONLY: Server throughput is set by the QPS at which p99 TTFT ≤ 2 s and TPOT ≤ 200 ms still hold, ' +
  'which needs queueing; the steady-state prediction at the Server batch is an upper bound. Not fitted, not judged.';

function rocm(input: number, output: number, batch: number, published: number): CalibrationPoint {
  return fp8Throughput({
    id: `rocm-70b-${input}/${output}`,
    source: `${AMD_ROCM}: ${input}/${output} tokens/s`,
    device: 'mi300x',
    devices: 8,
    tp: 8,
    model: 'llama-3.1-70b',
    workload: { input, output, batch },
    engine: { maxNumBatchedTokens: 131072, gpuMemoryUtilization: 0.9 },
    published,
    group: 'amd-rocm',
    notes: `${ROCM_NOTES} ${ROCM_NOTE_2}`,
  });
}

function gaudi3(
  model: 'llama-3.1-70b' | 'llama-3.1-8b',
  input: number,
  output: number,
  batch: number,
  published: number,
): CalibrationPoint {
  const big = model === 'llama-3.1-70b';
  return fp8Throughput({
    id: `g3-${big ? '70b' : '8b'}-${input}/${output}`,
    source: `${INTEL_GAUDI}: ${big ? 'Llama-3.1-70B on 8 HPU' : 'Llama-3.1-8B on 1 HPU'}, ${input}/${output}`,
    device: 'gaudi3',
    devices: big ? 8 : 1,
    tp: big ? 8 : 1,
    model,
    workload: { input, output, batch },
    published,
    group: 'intel-gaudi',
    engine: OPTIMUM_HABANA_ENGINE,
    notes: `${INTEL_NOTES} ${HOST_AHEAD_NOTE}`,
  });
}

const GAUDI2_NOTES =
  OPTIMUM_HABANA + ' One engine over the row\'s HPUs (TP = # HPU), batch size from the page. Tokens counted: output only, as on the ' +
  'Gaudi 3 page (same harness). ASSUMPTION: FP8 KV cache, max_num_batched_tokens 8192, gpu_memory_utilization 0.9. ' +
  'The page\'s single-HPU rows are deliberately not used (kept out as an independent check).';

function gaudi2(tp: number, input: number, output: number, batch: number, published: number, setupNote = ''): CalibrationPoint {
  return fp8Throughput({
    id: `g2-l2-70b-tp${tp}-${input}/${output}`,
    source: `${INTEL_GAUDI2}: LLaMA 2 70b, ${input}/${output}, batch ${batch}`,
    device: 'gaudi2',
    devices: tp,
    tp,
    model: 'llama-2-70b',
    workload: { input, output, batch },
    published,
    group: 'intel-gaudi2',
    engine: OPTIMUM_HABANA_ENGINE,
    notes: `${GAUDI2_NOTES} ${setupNote === '' ? '' : `${setupNote} `}${HOST_AHEAD_NOTE}`,
  });
}

/**
 * The Gaudi 2 page (SynapseAI 1.18) prints "4" in the # HPU column of its 128/2048 row, but Intel's own harness for
 * reproducing the page runs that row on 2 cards, and only 2 cards explain its batch.
 */
const GAUDI2_TWO_HPU_NOTE =
  'HPU count: the page prints 4 HPU for this row; it is taken as 2 (TP2). (1) Intel\'s harness that reproduces the ' +
  'page\'s published numbers (HabanaAI/Gaudi-tutorials PyTorch/Hugging_Face_pipelines/Benchmarking_on_Optimum-habana_with_fp8/' +
  'Gaudi_1-19.json, https://github.com/HabanaAI/Gaudi-tutorials) runs "Llama2_70b, 128/2048, bs 327" with ' +
  'gaudi_spawn.py --world_size 2 (ref_perf 3312, the SynapseAI 1.19 figure; Gaudi_1-20.json: world_size 2, bs 256, ' +
  '3963), like the page\'s other three Llama-2-70B rows. (2) Optimum Habana preallocates the KV of the whole static ' +
  'batch at full length (--bucket_internal pads the prefill KV to input + max_new_tokens, optimum-habana v1.14 ' +
  'generation/utils.py): 327 × 2176 tokens × 160 KiB (FP8) = 116.6 GB beside ~70 GB of FP8 weights is ~187 GB, ' +
  'just inside two 96 GB cards — 327 is the largest batch two cards hold, while four cards would hold over 700. ' +
  'Read as 4 HPU the row is 47% below the model even in-sample (docs/calibration.md).';

/** Intel's harness that reproduces the Gaudi model-performance pages, with the page figures it checks against. */
const HARNESS_119 =
  'as listed with its run commands in Intel\'s harness that reproduces the page (HabanaAI/Gaudi-tutorials, ' +
  'PyTorch/Hugging_Face_pipelines/Benchmarking_on_Optimum-habana_with_fp8/Gaudi_1-19.json, ' +
  'https://github.com/HabanaAI/Gaudi-tutorials; its README: the script generates "a report with performance comparison ' +
  'against published numbers in Gaudi Model Performance")';
const GAUDI2_HARNESS_119 =
  `Intel Gaudi 2 model-performance page, SynapseAI 1.19 release (https://www.intel.com/content/www/us/en/developer/platform/gaudi/model-performance-gaudi2-inference.html), ${HARNESS_119}`;
const GAUDI3_HARNESS_119 =
  `Intel Gaudi 3 model-performance page, SynapseAI 1.19 release (https://www.intel.com/content/www/us/en/developer/platform/gaudi/model-performance.html), ${HARNESS_119}`;
const GAUDI_HARNESS_NOTES =
  'Setup from the harness\'s run_cmd: Optimum Habana run_generation.py, gaudi_spawn.py --use_deepspeed --world_size = TP ' +
  '(one engine over the cards), --batch_size, --max_input_tokens / --max_new_tokens, QUANT_CONFIG maxabs_quant.json ' +
  '(INC FP8), --use_hpu_graphs --limit_hpu_graphs --bucket_size 128 --bucket_internal (decode attention reads the ' +
  'context rounded up to 128 tokens), --use_flash_attention --flash_attention_recompute, --trim_logits; the published ' +
  'figure is its ref_perf. Throughput = batch · max_new_tokens / the whole generate() call (prefill included; ' +
  'optimum-habana examples/text-generation/run_generation.py), so output tokens are counted. ASSUMPTION: FP8 KV cache ' +
  '(INC quantises the KV cache module), max_num_batched_tokens 8192 and gpu_memory_utilization 0.9 for the procedure\'s ' +
  'prefill packing and KV pool (Optimum Habana preallocates the static batch instead). The harness\'s single-card ' +
  'rows (Llama-3.1-8B), its Gaudi 3 rows on 2 cards and its Llama-3.1-405B rows are not used (kept out as an independent check).';

/** An FP8 throughput run of Optimum Habana's run_generation.py: one engine over `tp` cards, host work hidden behind the device. */
function optimumHabanaFp8(
  p: Pick<CalibrationPoint, 'id' | 'source' | 'device' | 'tp' | 'model' | 'group' | 'notes'>,
  input: number,
  output: number,
  batch: number,
  published: number,
): CalibrationPoint {
  return fp8Throughput({
    ...p,
    devices: p.tp,
    workload: { input, output, batch },
    published,
    engine: OPTIMUM_HABANA_ENGINE,
    notes: `${p.notes} ${HOST_AHEAD_NOTE}`,
  });
}

function gaudi3Harness(input: number, output: number, batch: number, published: number): CalibrationPoint {
  const source = `${GAUDI3_HARNESS_119}: Llama3.1_70b, 8 cards, ${input}/${output}, bs ${batch}`;
  return optimumHabanaFp8({ id: `g3-119-70b-${input}/${output}`, source, device: 'gaudi3', tp: 8, model: 'llama-3.1-70b', group: 'intel-gaudi-1.19', notes: GAUDI_HARNESS_NOTES }, input, output, batch, published);
}

function gaudi2Harness(
  model: 'llama-2-70b' | 'llama-3.1-70b',
  tp: number,
  input: number,
  output: number,
  batch: number,
  published: number,
): CalibrationPoint {
  const name = model === 'llama-2-70b' ? 'l2' : 'l31';
  const source = `${GAUDI2_HARNESS_119}: ${model === 'llama-2-70b' ? 'Llama2_70b' : 'Llama3.1_70b'}, ${tp} cards, ${input}/${output}, bs ${batch}`;
  return optimumHabanaFp8({ id: `g2-119-${name}-tp${tp}-${input}/${output}`, source, device: 'gaudi2', tp, model, group: 'intel-gaudi2-1.19', notes: GAUDI_HARNESS_NOTES }, input, output, batch, published);
}

/** The same harness one release later (Gaudi_1-20.json: SynapseAI 1.20, optimum-habana v1.16.0 per its Dockerfile). */
const GAUDI2_HARNESS_120 =
  'Intel Gaudi 2 model-performance figures for SynapseAI 1.20 as listed with their run commands in Intel\'s harness that ' +
  'reproduces the page (HabanaAI/Gaudi-tutorials, PyTorch/Hugging_Face_pipelines/Benchmarking_on_Optimum-habana_with_fp8/' +
  'Gaudi_1-20.json, https://github.com/HabanaAI/Gaudi-tutorials; Dockerfile: Gaudi software 1.20.0, optimum-habana v1.16.0)';
const GAUDI2_HARNESS_120_NOTES =
  `${GAUDI_HARNESS_NOTES} Only the rows run without --attn_batch_split are used: that flag splits the prompt batch so that ` +
  'one half\'s all-reduces overlap the other half\'s compute (optimum-habana run_generation.py: "enabled only for prompt"), ' +
  'which the procedure does not model; the split rows (Llama-3.1-70B 128/128 and 2048/128 on 2 and 8 cards, every ' +
  'Llama-2-70B row) are therefore not used, whatever their error.';

function gaudi2Harness120(tp: number, input: number, output: number, batch: number, published: number): CalibrationPoint {
  const source = `${GAUDI2_HARNESS_120}: Llama3.1_70b, ${tp} cards, ${input}/${output}, bs ${batch}, ref_perf ${published}`;
  return optimumHabanaFp8({ id: `g2-120-l31-tp${tp}-${input}/${output}`, source, device: 'gaudi2', tp, model: 'llama-3.1-70b', group: 'intel-gaudi2-1.20', notes: GAUDI2_HARNESS_120_NOTES }, input, output, batch, published);
}

/** Optimum Habana's own Gaudi2 CI baselines: the throughput its test suite requires of run_generation.py on Gaudi2. */
const OH_CI =
  'Optimum Habana Gaudi2 CI baselines, optimum-habana v1.14.0 tests/test_text_generation_example.py (GAUDI2_CI): ' +
  'the throughput run_generation.py must reach (the test asserts ≥ (2 − 1.05) × baseline) ' +
  '(https://github.com/huggingface/optimum-habana/blob/v1.14.0/tests/test_text_generation_example.py)';
/** The same CI file at optimum-habana v1.9.0 (30 Nov 2023): its Gaudi2 DeepSpeed baselines, an earlier measurement round. */
const OH_CI_19 =
  'Optimum Habana Gaudi2 CI baselines, optimum-habana v1.9.0 tests/test_text_generation_example.py (GAUDI2_CI, ' +
  'world_size 8, batch 1, --use_hpu_graphs --use_kv_cache --max_new_tokens 100; without v1.14\'s --trim_logits and ' +
  '--attn_softmax_bf16, which touch only the prompt\'s logits and the softmax dtype; generate() defaults ignore_eos to ' +
  'lazy mode, as v1.14 does) (https://github.com/huggingface/optimum-habana/blob/v1.9.0/tests/test_text_generation_example.py)';
const OH_CI_NOTES =
  'Command from the test\'s _test_text_generation: gaudi_spawn.py --use_deepspeed --world_size = TP (one engine over ' +
  'the cards), run_generation.py --use_kv_cache --use_hpu_graphs --trim_logits --attn_softmax_bf16, --batch_size, ' +
  '--max_new_tokens; throughput = batch · max_new_tokens / the whole generate() call, output tokens counted. ' +
  'Used: the Llama-2-70B rows (the catalog\'s model); the Meta-Llama-3-70B row (not a catalog model), the single-card ' +
  'and other-model rows are not. ASSUMPTION: max_num_batched_tokens 8192 and gpu_memory_utilization 0.9 for the ' +
  'procedure\'s prefill packing and KV pool (Optimum Habana preallocates the static batch).';
const OH_CI_FP8_NOTES =
  `${OH_CI_NOTES} FP8 rows add QUANT_CONFIG maxabs_quant.json (INC FP8), --use_flash_attention ` +
  '--flash_attention_recompute --bucket_size 128 --bucket_internal --max_input_tokens --limit_hpu_graphs. ' +
  'ASSUMPTION: FP8 KV cache (INC quantises the KV cache module).';
const OH_CI_BF16_NOTES =
  `${OH_CI_NOTES} The DeepSpeed row runs BF16 (run_generation.py utils.py: model_dtype bfloat16 whenever DeepSpeed is ` +
  'used), batch 1, 100 new tokens after the default prompt "DeepSpeed is a machine learning framework". ' +
  'ASSUMPTION: 9 prompt tokens (BOS + 8 Llama-2 tokens); the prefill is < 1% of the run either way. BF16 KV cache.';

function ohCiFp8(tp: number, input: number, output: number, batch: number, published: number): CalibrationPoint {
  const source = `${OH_CI}: ("meta-llama/Llama-2-70b-hf", ${tp}, ${batch}, False, ${input}, ${output}, ${published}) in "fp8"`;
  return optimumHabanaFp8({ id: `g2-ohci-l2-tp${tp}-${input}/${output}`, source, device: 'gaudi2', tp, model: 'llama-2-70b', group: 'optimum-habana-ci', notes: OH_CI_FP8_NOTES }, input, output, batch, published);
}

/**
 * Optimum Habana CI's DeepSpeed row for Llama-2-70B: BF16, batch 1, 100 new tokens on 8 cards — the only batch-1
 * decode of any Gaudi device. `source` names the release whose baseline it is, `group` keeps each release's
 * measurement round apart for cross-validation.
 */
function ohCiBf16BatchOne(source: string, group: string, id: string, published: number): CalibrationPoint {
  return {
    id,
    source: `${source}: ("meta-llama/Llama-2-70b-hf", ${published}) in "deepspeed"`,
    device: 'gaudi2',
    devices: 8,
    tp: 8,
    model: 'llama-2-70b',
    weightDtype: 'bf16',
    kvDtype: 'bf16',
    workload: { input: 9, output: 100, batch: 1 },
    engine: OPTIMUM_HABANA_ENGINE,
    metric: 'throughput',
    tokensCounted: 'output',
    published,
    group,
    role: 'calibration',
    notes: `${OH_CI_BF16_NOTES} ${HOST_AHEAD_NOTE}`,
  };
}

const GAUDI2_TTFT_NOTES =
  'The page\'s "LLM for Low Latency" table (Llama 2 70B on 8 HPU, batch 1) gives one latency per input length and no ' +
  'output length. ASSUMPTION: it is the first-token latency (the prefill): it grows 4.3× from 128 to 2048 input ' +
  'tokens, which a per-output-token latency would not. TP8 over the 8 HPUs, FP8 weights and KV as the throughput rows. ' +
  'Measured by Optimum Habana run_generation.py (the page\'s harness): its host step is paid in series, since the ' +
  'first-token time ends with a torch_hpu.synchronize().';

function gaudi2FirstToken(input: number, publishedMs: number): CalibrationPoint {
  return {
    id: `g2-l2-70b-tp8-ttft-${input}`,
    source: `${INTEL_GAUDI2}: LLM for Low Latency, LLaMA 2 70b on 8 HPU, input ${input}, batch 1, ${publishedMs} ms`,
    device: 'gaudi2',
    devices: 8,
    tp: 8,
    model: 'llama-2-70b',
    weightDtype: 'fp8',
    kvDtype: 'fp8',
    workload: { input, output: 1, batch: 1 },
    engine: OPTIMUM_HABANA_ENGINE,
    metric: 'first-token',
    published: publishedMs / 1000,
    group: 'intel-gaudi2',
    role: 'calibration',
    notes: GAUDI2_TTFT_NOTES,
  };
}

export const POINTS: readonly CalibrationPoint[] = [
  // MLPerf Inference v4.1 / v4.0, Llama-2-70B, 8 accelerators, output tokens/s.
  mlperf('mlperf-h200-offline', 'h200', 1, 806, 31302.7, 'calibration', `${MLPERF_41}: 8×H200 TensorRT-LLM Offline`,
    `TP1 × 8 engines, gpu_batch_size 806 (config H200_SXM_141GBx8, ${NV_CFG})`),
  mlperf('mlperf-h200-server', 'h200', 1, 896, 29228.2, 'reference', `${MLPERF_41}: 8×H200 TensorRT-LLM Server`,
    `TP1 × 8 engines, gpu_batch_size 896 (${NV_CFG}) ${SERVER_NOTE}`),
  mlperf('mlperf-h100-offline', 'h100', 2, 896, 24524.9, 'calibration', `${MLPERF_41}: 8×H100 TensorRT-LLM Offline`,
    `TP2 × 4 engines, gpu_batch_size 896 (config H100_SXM_80GB_TP2x4, ${NV_CFG})`),
  mlperf('mlperf-h100-server', 'h100', 2, 1024, 21605.8, 'reference', `${MLPERF_41}: 8×H100 TensorRT-LLM Server`,
    `TP2 × 4 engines, gpu_batch_size 1024 (${NV_CFG}) ${SERVER_NOTE}`),
  mlperf('mlperf-mi300x-offline', 'mi300x', 1, 1024, 23514.8, 'calibration',
    `${MLPERF_41}: 8×MI300X vLLM 0.4.3 + ROCm 6.1.2 Offline`,
    'TP1 × 8 engines (closed/AMD/code/llama2-70b-99.9/test_VllmFp8/*.sh: TP=1, DP=8, --quantization fp8, ' +
      '--kv-cache-dtype fp8). num_scheduler_steps 1: vLLM 0.4.3 predates multi-step scheduling (vLLM v0.6.0). ' +
      'ASSUMPTION: max_num_seqs 1024 (not in the stored files; the run is compute-bound ' +
      'above a few hundred sequences, so the choice matters little).'),
  mlperf('mlperf-mi300x-server', 'mi300x', 1, 1024, 21028.2, 'reference',
    `${MLPERF_41}: 8×MI300X vLLM 0.4.3 + ROCm 6.1.2 Server`,
    `TP1 × 8 engines as Offline; ASSUMPTION: max_num_seqs 1024. ${SERVER_NOTE}`),
  mlperf('mlperf-gaudi2-offline', 'gaudi2', 8, 1024, 8034.9, 'calibration', `${MLPERF_40}: 8×Gaudi2 Offline`,
    'TP8 × 1 engine (DeepSpeed over 8 cards, TGI-gaudi), batch 1024, FP8 weights and activations ' +
      '(closed/Intel-HabanaLabs/code/llama2-70b-99.9/scenarios.yaml and README, inference_results_v4.0); ' +
      'ASSUMPTION: FP8 KV cache.', 'mlperf-v4.0'),
  mlperf('mlperf-gaudi2-server', 'gaudi2', 8, 768, 6287.5, 'reference', `${MLPERF_40}: 8×Gaudi2 Server`,
    `TP8 × 1 engine, batch 768 (scenarios.yaml). ${SERVER_NOTE}`, 'mlperf-v4.0'),

  // AMD ROCm vLLM, Llama-3.1-70B FP8 TP8 on 8×MI300X.
  rocm(128, 2048, 3200, 12638.9),
  rocm(128, 4096, 1500, 10756.8),
  rocm(500, 2000, 2000, 10691.7),
  rocm(2048, 2048, 1500, 7354.9),
  {
    id: 'rocm-70b-lat-128/2048',
    source: `${AMD_ROCM}: batch-1 latency at 128/2048`,
    device: 'mi300x',
    devices: 8,
    tp: 8,
    model: 'llama-3.1-70b',
    weightDtype: 'fp8',
    kvDtype: 'fp8',
    workload: { input: 128, output: 2048, batch: 1 },
    engine: { maxNumBatchedTokens: 131072, gpuMemoryUtilization: 0.9 },
    metric: 'latency',
    published: 17.236,
    group: 'amd-rocm',
    role: 'calibration',
    notes: 'End-to-end latency of one request (vllm bench latency, batch 1): prefill + 2047 decode steps.',
  },

  // Intel Gaudi3 (HL-325L), FP8, output tokens/s with the page's batch sizes.
  gaudi3('llama-3.1-70b', 128, 128, 4000, 15008),
  gaudi3('llama-3.1-70b', 128, 2048, 600, 15711),
  gaudi3('llama-3.1-70b', 2048, 128, 400, 1600),
  gaudi3('llama-3.1-70b', 2048, 2048, 600, 8946),
  gaudi3('llama-3.1-8b', 128, 128, 1536, 24310),
  gaudi3('llama-3.1-8b', 128, 2048, 768, 18830),
  gaudi3('llama-3.1-8b', 2048, 128, 256, 2652),
  gaudi3('llama-3.1-8b', 2048, 2048, 364, 7405),

  // MLPerf Inference v5.1 / v5.0 (newer software on the same devices, and MI325X), Llama-2-70B, output tokens/s.
  mlperf('mlperf51-mi300x-offline', 'mi300x', 1, 1792, 27803.9, 'calibration',
    `${MLPERF_51}: AMD 8xMI300X_2xEPYC_9575F Offline (vLLM 0.9.0.2, ROCm 6.4.1)`,
    `TP1 × 8 engines, max_num_seqs 1792, max_num_batched_tokens 40960 (${AMD_V51_CFG.replace('<device>', 'mi300x')}) ` +
      'Output 301.1 tokens/sample (TOKENS_PER_SAMPLE of the accuracy run).',
    'mlperf-v5.1', { output: 301, kvDtype: 'fp8', maxNumBatchedTokens: 40960, gpuMemoryUtilization: 0.98, numSchedulerSteps: 11 }),
  mlperf('mlperf51-mi300x-server', 'mi300x', 1, 1792, 24593.8, 'reference',
    `${MLPERF_51}: AMD 8xMI300X_2xEPYC_9575F Server`,
    `As the Offline run. ${SERVER_NOTE}`,
    'mlperf-v5.1', { output: 301, kvDtype: 'fp8', maxNumBatchedTokens: 40960, gpuMemoryUtilization: 0.98, numSchedulerSteps: 11 }),
  mlperf('mlperf51-mi325x-offline', 'mi325x', 1, 2700, 34520.4, 'calibration',
    `${MLPERF_51}: AMD 8xMI325X_2xEPYC_9575F_1 Offline (vLLM 0.9.0.2, ROCm 6.4.1)`,
    `TP1 × 8 engines, max_num_seqs 2700, max_num_batched_tokens 65536 (${AMD_V51_CFG.replace('<device>', 'mi325x')}) ` +
      'Output 300.5 tokens/sample.',
    'mlperf-v5.1', { output: 300, kvDtype: 'fp8', maxNumBatchedTokens: 65536, gpuMemoryUtilization: 0.98, numSchedulerSteps: 7 }),
  mlperf('mlperf51-mi325x-server', 'mi325x', 1, 2700, 32027.6, 'reference',
    `${MLPERF_51}: AMD 8xMI325X_2xEPYC_9575F_1 Server`,
    `As the Offline run. ${SERVER_NOTE}`,
    'mlperf-v5.1', { output: 300, kvDtype: 'fp8', maxNumBatchedTokens: 65536, gpuMemoryUtilization: 0.98, numSchedulerSteps: 7 }),
  mlperf('mlperf50-mi325x-offline', 'mi325x', 1, 2700, 33928.1, 'calibration',
    `${MLPERF_50}: AMD QuantaGrid D74A-7U 8xMI325X_2xEPYC_9575F Offline (vLLM 0.6.5, ROCm 6.3.1)`,
    'ASSUMPTION: the v5.1 AMD configuration (TP1 × 8 engines, max_num_seqs 2700, max_num_batched_tokens 65536, ' +
      'gpu_memory_utilization 0.98, FP8 KV, num_scheduler_steps 7; vLLM 0.6.5 has multi-step scheduling); the v5.0 ' +
      'configuration files were not read. Output 297.4 tokens/sample.',
    'mlperf-v5.0', { output: 297, kvDtype: 'fp8', maxNumBatchedTokens: 65536, gpuMemoryUtilization: 0.98, numSchedulerSteps: 7 }),
  mlperf('mlperf51-h200-offline', 'h200', 1, 806, 35316.7, 'calibration',
    `${MLPERF_51}: Dell XE9680_H200_SXM_141GBx8_TRT Offline (TensorRT 10.11)`,
    'ASSUMPTION: the NVIDIA v4.1 H200 configuration (TP1 × 8 engines, gpu_batch_size 806, FP8 KV, 8192 tokens per ' +
      'step; the v5.1 configuration files were not read). The v5.1 H200 SXM Offline results range 34,302–35,317 ' +
      'tokens/s across submitters. Output 292.2 tokens/sample.',
    'mlperf-v5.1', { output: 292 }),

  // Intel Gaudi 2 page, Llama-2-70B on 2 HPU (tensor parallel), FP8, output tokens/s.
  gaudi2(2, 128, 128, 1750, 2844),
  gaudi2(2, 128, 2048, 327, 3211, GAUDI2_TWO_HPU_NOTE),
  gaudi2(2, 2048, 128, 95, 310),
  gaudi2(2, 2048, 2048, 78, 1438),
  gaudi2FirstToken(128, 26.93),
  gaudi2FirstToken(2048, 116),

  // The Gaudi 2 and Gaudi 3 pages' SynapseAI 1.19 figures with the setups of Intel's reproduction harness (Gaudi_1-19.json).
  gaudi2Harness('llama-2-70b', 2, 128, 128, 1750, 2943),
  gaudi2Harness('llama-2-70b', 2, 128, 2048, 327, 3312),
  gaudi2Harness('llama-2-70b', 2, 2048, 128, 95, 316),
  gaudi2Harness('llama-2-70b', 2, 2048, 2048, 159, 1755),
  gaudi2Harness('llama-3.1-70b', 2, 128, 128, 1792, 2895),
  gaudi2Harness('llama-3.1-70b', 2, 128, 2048, 256, 3816),
  gaudi2Harness('llama-3.1-70b', 2, 2048, 128, 142, 316),
  gaudi2Harness('llama-3.1-70b', 2, 2048, 2048, 139, 1648),
  gaudi2Harness('llama-3.1-70b', 8, 128, 128, 4000, 10012),
  gaudi2Harness('llama-3.1-70b', 8, 128, 2048, 600, 12538),
  gaudi2Harness('llama-3.1-70b', 8, 2048, 128, 383, 1083),
  gaudi2Harness('llama-3.1-70b', 8, 2048, 2048, 476, 6623),
  // The same harness at SynapseAI 1.20 (Gaudi_1-20.json), the rows without --attn_batch_split.
  gaudi2Harness120(2, 128, 2048, 256, 3827),
  gaudi2Harness120(2, 2048, 2048, 139, 1665),
  gaudi2Harness120(8, 128, 2048, 768, 13639),
  gaudi2Harness120(8, 2048, 2048, 476, 6715),
  // Optimum Habana's Gaudi2 CI baselines (v1.14.0): Llama-2-70B FP8 on 4 and 8 cards, BF16 batch 1 on 8 cards.
  ohCiFp8(4, 128, 128, 3042, 5374.6),
  ohCiFp8(4, 128, 2048, 750, 7422.4),
  ohCiFp8(4, 2048, 128, 207, 568.5),
  ohCiFp8(8, 2048, 2048, 172, 4656.2),
  ohCiBf16BatchOne(OH_CI, 'optimum-habana-ci', 'g2-ohci-l2-tp8-bf16-b1', 64.10514998902435),
  // The same CI baseline two releases earlier (optimum-habana v1.9.0: an older SynapseAI, measured anew).
  ohCiBf16BatchOne(OH_CI_19, 'optimum-habana-ci-v1.9', 'g2-ohci19-l2-tp8-bf16-b1', 58.2750262232098),
  gaudi3Harness(128, 128, 4000, 15377),
  gaudi3Harness(128, 2048, 768, 16891),
  gaudi3Harness(2048, 128, 512, 1594),
  gaudi3Harness(2048, 2048, 600, 9467),
];
