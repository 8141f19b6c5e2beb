/**
 * Prediction procedure of `kvsim validate`: turns one calibration point into a predicted number
 * using only kvsim's step-time model (StepTimeModel.step and kvCapacity) — the same per-iteration
 * cost the simulator charges — and the device's efficiency factors. Nothing here is tuned per point.
 *
 * Throughput (steady-state continuous batching, one engine of `tp` devices; the system runs
 * devices / tp identical engines):
 *   1. Batch. B = min(batch, ⌊kvTokens / (I + O)⌋): the engine's KV pool (kvCapacity with the point's
 *      gpu_memory_utilization, max_num_batched_tokens M and max_num_seqs = batch) must hold every running
 *      sequence at its full length I + O (kvsim reserves the whole answer at admission, so nothing is
 *      ever preempted).
 *   2. One generation = the time in which B requests enter and B leave. In steady state every one of
 *      the B slots turns over once, so the engine runs
 *        - the B prefills: whole prompts packed ⌊M / I⌋ per step (a prompt longer than M is split
 *          into chunks of M over its growing context), each step costed by step() with causal
 *          attention n·I/2 per prompt and one sampled token per prompt (the first output token);
 *        - O − 1 decode steps at batch B (the first token came out of prefill). Decode step k
 *          (k = 1 … O − 1) reads contexts that sum to B·(I + k), the same bookkeeping as the
 *          simulator's decode instances (context = prompt + tokens emitted so far).
 *      Prefill steps are not mixed into decode steps (vLLM V0 / TGI scheduling); for the compute-
 *      bound batches of these points mixing would save only the per-step weight read and overhead.
 *      Summing the decode steps with the contexts of one lock-step wave equals the steady state of
 *      staggered sequences (mean context I + O/2 every step) wherever the step time is linear in
 *      context, i.e. everywhere except at the compute/memory crossover.
 *   3. Throughput = engines · tokens / T_generation, tokens = B·O (output counted) or B·(I + O).
 *
 * Latency (batch 1): prefill of the I prompt tokens + Σ_{k=1}^{O−1} decode step at context I + k.
 * First-token latency (batch 1): the prefill of the I prompt tokens alone.
 *
 * Host and device. step() charges the host's work (stepOverhead + seqOverhead per sampled sequence) on top of
 * the device's, which is right for an engine that reads the sampled tokens back every step (vLLM, TGI: the
 * scheduler needs them before it can build the next batch). A throughput point whose harness never waits for
 * the device between steps (`engine.hostRunsAhead`) queues step k+1 while step k runs, so its step lasts
 * max(device, host) instead (hostHiddenBehindDevice). A first-token point always pays both in series: the
 * measurement ends with a synchronisation.
 *
 * Whose host. A point measured by a benchmark harness that is not a serving engine (`engine.harness`: Optimum
 * Habana's run_generation.py, a Python generate() loop over DeepSpeed and HPU graphs) pays that harness's own host
 * cost per step, the device's harnessStepOverhead, in place of the serving engine's stepOverhead (withHarnessHost).
 * At large batches it hides behind the device; it shows at batch 1, where the device step is short.
 */
import { DEVICES } from '../cluster/catalog/hardware.js';
import { MODELS } from '../cluster/catalog/models.js';
import type { DeviceSpec } from '../cluster/catalog/types.js';
import { StepTimeModel, emptyStepCost, kvCapacity, type BatchShape, type InstanceShape, type StepCost } from '../cluster/step-time.js';
import type { CalibrationPoint } from './points.js';

export type { Efficiency } from '../cluster/catalog/types.js';

export interface Prediction {
  /** Predicted value in the point's unit: tokens/s of the whole system, or s. */
  readonly value: number;
  /** Sequences per engine actually run. */
  readonly batch: number;
  /** True when the KV pool, not the requested batch, set `batch`. */
  readonly kvLimited: boolean;
  /** KV pool of one engine, tokens. */
  readonly kvTokens: number;
  /** Prefill and decode time of one generation (B requests) on one engine, s. */
  readonly prefillSeconds: number;
  readonly decodeSeconds: number;
  /** Whether the decode step at the mean context is compute-bound. */
  readonly decodeComputeBound: boolean;
}

/** The instance shape of a point on its catalog device, or on `device` (the same device with other factors). */
export function pointShape(p: CalibrationPoint, device?: DeviceSpec): InstanceShape {
  const base = device ?? DEVICES[p.device];
  if (base === undefined) throw new Error(`calibration point ${p.id}: unknown device "${p.device}"`);
  const model = MODELS[p.model];
  if (model === undefined) throw new Error(`calibration point ${p.id}: unknown model "${p.model}"`);
  return { model, device: base, tp: p.tp, weightDtype: p.weightDtype, kvDtype: p.kvDtype };
}

/**
 * Σ f(k) for integers k in [lo, hi] of a convex piecewise-linear f, exactly (to rounding) with few calls:
 * a convex function that meets its chord at an interior point is linear on the whole interval, so an
 * interval whose midpoint lies on the chord is summed as an arithmetic series, others are split.
 */
export function sumConvex(f: (k: number) => number, lo: number, hi: number): number {
  if (hi < lo) return 0;
  const rec = (a: number, b: number, fa: number, fb: number): number => {
    if (b - a <= 1) return b > a ? fa + fb : fa;
    const m = (a + b) >> 1;
    const fm = f(m);
    const chord = fa + ((fb - fa) * (m - a)) / (b - a);
    if (Math.abs(fm - chord) <= 1e-12 * Math.max(Math.abs(fm), Math.abs(chord))) return ((b - a + 1) * (fa + fb)) / 2;
    return rec(a, m, fa, fm) + rec(m, b, fm, fb) - fm;
  };
  return rec(lo, hi, f(lo), f(hi));
}

/** What the procedure needs of a step-time model: the cost of one iteration (StepTimeModel.step). */
export interface StepCoster {
  step(batch: BatchShape, out?: StepCost): StepCost;
}

/**
 * Steps of an engine whose host runs ahead of the device: the host prepares and queues step k+1 while the
 * device executes step k, so a step lasts max(device time, host time) rather than their sum. The device time
 * is StepTimeModel.step without the host terms; the host time is stepOverhead + seqOverhead · sampledSeqs.
 * max of a convex piecewise-linear and a linear function stays convex, so sumConvex still sums it exactly.
 */
export function hostHiddenBehindDevice(shape: InstanceShape): StepCoster {
  const e = shape.device.efficiency;
  const deviceOnly = new StepTimeModel({ ...shape, device: { ...shape.device, efficiency: { ...e, stepOverhead: 0, seqOverhead: 0 } } });
  return {
    step(batch: BatchShape, out?: StepCost): StepCost {
      const c = deviceOnly.step(batch, out);
      if (c.time === 0) return c; // no new tokens: no step
      const host = e.stepOverhead + e.seqOverhead * batch.sampledSeqs;
      c.overhead = host;
      if (host > c.time) c.time = host;
      return c;
    },
  };
}

function batchShape(): BatchShape {
  return { prefillTokens: 0, prefillAttention: 0, prefillContextTokens: 0, sampledSeqs: 0, decodeSeqs: 0, decodeContextTokens: 0 };
}

/** Time to prefill `prompts` prompts of `input` tokens, packed at most `maxTokens` tokens per step. */
export function prefillSeconds(model: StepCoster, prompts: number, input: number, maxTokens: number): number {
  const b = batchShape();
  const cost = emptyStepCost();
  let total = 0;
  if (input <= maxTokens) {
    const perStep = Math.floor(maxTokens / input);
    for (let left = prompts; left > 0; left -= perStep) {
      const q = Math.min(perStep, left);
      b.prefillTokens = q * input;
      b.prefillAttention = q * input * (input / 2);
      b.prefillContextTokens = 0;
      b.sampledSeqs = q;
      total += model.step(b, cost).time;
    }
    return total;
  }
  // A prompt longer than a step: chunks of maxTokens over the context already computed.
  let one = 0;
  for (let done = 0; done < input; done += maxTokens) {
    const n = Math.min(maxTokens, input - done);
    b.prefillTokens = n;
    b.prefillAttention = n * (done + n / 2);
    b.prefillContextTokens = done;
    b.sampledSeqs = done + n >= input ? 1 : 0;
    one += model.step(b, cost).time;
  }
  return one * prompts;
}

/**
 * Σ over decode steps k = 1 … output − 1 of a batch of `batch` sequences at context input + k. The step
 * time is convex piecewise-linear in k (a sum of per-kernel maxima of linear terms plus constants), so the
 * sum is taken exactly with sumConvex.
 */
export function decodeSeconds(
  model: StepCoster,
  batch: number,
  input: number,
  output: number,
): { seconds: number; steps: number; computeBoundAtMean: boolean } {
  const b = batchShape();
  const cost = emptyStepCost();
  b.decodeSeqs = batch;
  b.sampledSeqs = batch;
  const at = (k: number): number => {
    b.decodeContextTokens = batch * (input + k);
    return model.step(b, cost).time;
  };
  const seconds = sumConvex(at, 1, output - 1);
  at(Math.max(1, Math.floor(output / 2)));
  return { seconds, steps: Math.max(0, output - 1), computeBoundAtMean: cost.computeBound };
}

/**
 * vLLM V0 multi-step scheduling runs the scheduler and input preparation once per `steps` decode steps
 * (vLLM v0.6.0 blog, https://blog.vllm.ai/2024/09/05/perf-update.html, "multi-step scheduling"), so the
 * per-sequence host cost is paid once per window: seqOverhead / steps per step. The fixed per-step cost
 * (launching the forward pass) stays per step.
 */
export function amortizedHostCost(shape: InstanceShape, steps: number): InstanceShape {
  if (steps === 1) return shape;
  const e = shape.device.efficiency;
  return { ...shape, device: { ...shape.device, efficiency: { ...e, seqOverhead: e.seqOverhead / steps } } };
}

/** The shape with the benchmark harness's host cost per step in place of the serving engine's, if the device has one. */
export function withHarnessHost(shape: InstanceShape): InstanceShape {
  const e = shape.device.efficiency;
  if (e.harnessStepOverhead === undefined) return shape;
  return { ...shape, device: { ...shape.device, efficiency: { ...e, stepOverhead: e.harnessStepOverhead } } };
}

/** Predicts one point on its catalog device, or on `device` if given (the fit's candidate factors). */
export function predictPoint(p: CalibrationPoint, device?: DeviceSpec): Prediction {
  const engineShape = amortizedHostCost(pointShape(p, device), p.engine.numSchedulerSteps ?? 1);
  const shape = p.engine.harness === undefined ? engineShape : withHarnessHost(engineShape);
  const model = p.engine.hostRunsAhead === true && p.metric === 'throughput' ? hostHiddenBehindDevice(shape) : new StepTimeModel(shape);
  const { input: I, output: O } = p.workload;
  const M = p.engine.maxNumBatchedTokens;
  const kv = kvCapacity(shape, {
    gpuMemoryUtilization: p.engine.gpuMemoryUtilization,
    maxNumBatchedTokens: M,
    maxNumSeqs: p.workload.batch,
  });
  const kvFit = Math.floor(kv.kvTokens / (I + O));
  const B = Math.min(p.workload.batch, kvFit);
  if (B < 1) {
    throw new Error(`calibration point ${p.id}: one ${I}+${O}-token sequence does not fit the KV pool (${kv.kvTokens} tokens)`);
  }
  const prefill = prefillSeconds(model, B, I, M);
  const decode = decodeSeconds(model, B, I, O);
  const common = {
    batch: B,
    kvLimited: B < p.workload.batch,
    kvTokens: kv.kvTokens,
    prefillSeconds: prefill,
    decodeSeconds: decode.seconds,
    decodeComputeBound: decode.computeBoundAtMean,
  };
  if (p.metric === 'latency') return { value: prefill + decode.seconds, ...common };
  if (p.metric === 'first-token') return { value: prefill, ...common };
  const engines = p.devices / p.tp;
  const tokens = p.tokensCounted === 'input+output' ? B * (I + O) : B * O;
  return { value: (engines * tokens) / (prefill + decode.seconds), ...common };
}

/** Signed relative error (predicted − published) / published. */
export function relativeError(p: CalibrationPoint, predicted: number): number {
  return (predicted - p.published) / p.published;
}
