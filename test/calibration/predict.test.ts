import { describe, it, expect } from 'vitest';
import { DEVICES } from '../../src/cluster/catalog/hardware.js';
import { MODELS, kvBytesPerToken } from '../../src/cluster/catalog/models.js';
import { StepTimeModel, kvCapacity } from '../../src/cluster/step-time.js';
import type { CalibrationPoint } from '../../src/calibration/points.js';
import type { DeviceSpec } from '../../src/cluster/catalog/types.js';
import {
  amortizedHostCost,
  decodeSeconds,
  hostHiddenBehindDevice,
  pointShape,
  predictPoint,
  prefillSeconds,
  relativeError,
  sumConvex,
} from '../../src/calibration/predict.js';

/** A tiny point on one H100 running Llama-3.1-8B in BF16: 2 requests of 100 prompt + 3 output tokens. */
function tiny(over: Partial<CalibrationPoint> = {}): CalibrationPoint {
  return {
    id: 'tiny',
    source: 'hand-made test case',
    device: 'h100',
    devices: 1,
    tp: 1,
    model: 'llama-3.1-8b',
    weightDtype: 'bf16',
    kvDtype: 'bf16',
    workload: { input: 100, output: 3, batch: 2 },
    engine: { maxNumBatchedTokens: 8192, gpuMemoryUtilization: 0.9 },
    metric: 'throughput',
    tokensCounted: 'output',
    published: 100,
    group: 'test',
    role: 'calibration',
    notes: '',
    ...over,
  };
}

/** The H100 with round factors, so the hand computation below is easy to follow. */
const EFF: DeviceSpec = {
  ...DEVICES.h100,
  efficiency: { gemm: { bf16: 0.5, fp8: 0.5 }, hbm: 0.8, prefillAttention: 0.4, decodeAttention: 0.6, stepOverhead: 1e-3, seqOverhead: 10e-6 },
};

// Llama-3.1-8B by hand: per layer Q 4096·4096 = 16,777,216; K+V 2·4096·1024 = 8,388,608; O 16,777,216;
// MLP 3·4096·14336 = 176,160,768 → 218,103,808; ×32 layers = 6,979,321,856 matmul params per token.
const P_MATMUL = 6_979_321_856;
const LM_HEAD = 2 * 4096 * 128_256; // FLOPs per sampled token
const ATTN = 4 * 32 * 32 * 128; // FLOPs per (query, key) pair over all layers
const WEIGHTS = 8.03e9 * 2; // bf16 bytes
const KV = 131_072; // bytes per token (bf16)
const GEMM_RATE = 989e12 * 0.5;
const ATTN_RATE = 989e12 * 0.4;
const BW = 3.35e12 * 0.8;
const KV_BW = 3.35e12 * 0.6;

/** One step on TP1 (no comm): GEMMs + prefill attention + decode attention, each at its roofline, + overheads. */
function stepTime(s: { tokens: number; sampled: number; pairs: number; prefillCtx: number; decodeCtx: number }): number {
  const gemm = Math.max((2 * s.tokens * P_MATMUL + s.sampled * LM_HEAD) / GEMM_RATE, (WEIGHTS + s.tokens * KV) / BW);
  const prefillAttn = Math.max((ATTN * s.pairs) / ATTN_RATE, (s.prefillCtx * KV) / BW);
  const decodeAttn = Math.max((ATTN * s.decodeCtx) / ATTN_RATE, (s.decodeCtx * KV) / KV_BW);
  return gemm + prefillAttn + decodeAttn + 1e-3 + 10e-6 * s.sampled;
}

describe('prediction procedure on a hand-computed tiny case', () => {
  // Prefill: both 100-token prompts in one step (8192 ≥ 200): 200 new tokens, causal pairs 2·100·50,
  // two sampled tokens; bytes = weights + 200 KV writes.
  const prefill = stepTime({ tokens: 200, sampled: 2, pairs: 2 * 100 * 50, prefillCtx: 0, decodeCtx: 0 });
  // Decode steps k = 1, 2 (the first of the 3 output tokens came out of prefill): batch 2, contexts 2·(100 + k).
  const decode = [1, 2].map((k) => {
    const ctx = 2 * (100 + k);
    return stepTime({ tokens: 2, sampled: 2, pairs: 0, prefillCtx: 0, decodeCtx: ctx });
  });

  it('the hand numbers are what they claim (prefill compute-bound, decode memory-bound)', () => {
    expect(prefill).toBeGreaterThan(5e-3);
    expect(prefill).toBeLessThan(10e-3);
    for (const d of decode) expect(d).toBeCloseTo(WEIGHTS / BW + 1e-3, 3); // weights dominate
  });

  it('prefillSeconds and decodeSeconds match the hand computation', () => {
    const model = new StepTimeModel(pointShape(tiny(), EFF));
    expect(prefillSeconds(model, 2, 100, 8192)).toBeCloseTo(prefill, 12);
    const d = decodeSeconds(model, 2, 100, 3);
    expect(d.steps).toBe(2);
    expect(d.computeBoundAtMean).toBe(false);
    expect(d.seconds).toBeCloseTo(decode[0] + decode[1], 12);
  });

  it('throughput = tokens of one generation / (prefill + decode), times engines', () => {
    const T = prefill + decode[0] + decode[1];
    const r = predictPoint(tiny(), EFF);
    expect(r.batch).toBe(2);
    expect(r.kvLimited).toBe(false);
    expect(r.value).toBeCloseTo((2 * 3) / T, 6);
    // input+output counts B·(I + O) tokens in the same time.
    expect(predictPoint(tiny({ tokensCounted: 'input+output' }), EFF).value).toBeCloseTo((2 * 103) / T, 6);
    // Two devices at TP1 are two identical engines.
    expect(predictPoint(tiny({ devices: 2 }), EFF).value).toBeCloseTo((2 * 2 * 3) / T, 6);
    expect(relativeError(tiny(), r.value)).toBeCloseTo(r.value / 100 - 1, 12);
  });

  it('multi-step scheduling (num_scheduler_steps n) pays the per-sequence host cost once per n steps', () => {
    // Same hand computation with seqOverhead 10 µs / 4 = 2.5 µs per sampled sequence per step: each of the
    // 3 steps (prefill + 2 decode) samples 2 sequences, so the generation is 3·2·(10 − 2.5) µs = 45 µs shorter.
    const T = prefill + decode[0] + decode[1];
    const four = predictPoint(tiny({ engine: { maxNumBatchedTokens: 8192, gpuMemoryUtilization: 0.9, numSchedulerSteps: 4 } }), EFF);
    expect(four.value).toBeCloseTo((2 * 3) / (T - 45e-6), 6);
    // The fixed per-step cost stays: amortizedHostCost touches seqOverhead only, and n = 1 is the identity.
    const shape = pointShape(tiny(), EFF);
    expect(amortizedHostCost(shape, 1)).toBe(shape);
    const e = amortizedHostCost(shape, 4).device.efficiency;
    expect([e.seqOverhead, e.stepOverhead]).toEqual([2.5e-6, 1e-3]);
    expect(EFF.efficiency.seqOverhead).toBe(10e-6);
  });

  it('a harness whose host runs ahead (engine.hostRunsAhead) pays max(device, host) per step, not their sum', () => {
    // Same hand computation without the host terms (1 ms + 10 µs per sampled sequence): each of the 3 steps
    // samples 2 sequences, so host = 1.02 ms per step, far below every device time (≥ WEIGHTS / BW ≈ 6 ms):
    // the generation is 3 · 1.02 ms shorter and the host cost disappears from the throughput.
    const ahead = (p: Partial<CalibrationPoint> = {}) =>
      tiny({ engine: { maxNumBatchedTokens: 8192, gpuMemoryUtilization: 0.9, hostRunsAhead: true }, ...p });
    const T = prefill + decode[0] + decode[1];
    expect(predictPoint(ahead(), EFF).value).toBeCloseTo((2 * 3) / (T - 3 * 1.02e-3), 6);
    // A host slower than the device sets the step: 50 ms per step ≫ device → 3 steps of 50.02 ms.
    const slowHost: DeviceSpec = { ...EFF, efficiency: { ...EFF.efficiency, stepOverhead: 50e-3 } };
    expect(predictPoint(ahead(), slowHost).value).toBeCloseTo((2 * 3) / (3 * 50.02e-3), 6);
    // A first-token measurement ends with a synchronisation: host and device stay in series.
    const ttft = { metric: 'first-token' as const, workload: { input: 100, output: 1, batch: 1 } };
    expect(predictPoint(ahead(ttft), EFF).value).toBe(predictPoint(tiny(ttft), EFF).value);
    // An empty step costs nothing either way.
    const empty = { prefillTokens: 0, prefillAttention: 0, prefillContextTokens: 0, sampledSeqs: 0, decodeSeqs: 0, decodeContextTokens: 0 };
    expect(hostHiddenBehindDevice(pointShape(tiny(), EFF)).step(empty).time).toBe(0);
  });

  it('a point measured by a benchmark harness (engine.harness) pays the harness\'s host cost per step, not the serving engine\'s', () => {
    // EFF's serving stepOverhead is 1 ms; the harness's own host cost per step is 50 ms (≫ every device step).
    const harnessDevice: DeviceSpec = { ...EFF, efficiency: { ...EFF.efficiency, harnessStepOverhead: 50e-3 } };
    const engine = { maxNumBatchedTokens: 8192, gpuMemoryUtilization: 0.9, hostRunsAhead: true, harness: 'optimum-habana' as const };
    // Host ahead: 3 steps (prefill + 2 decode) of max(device, 50 ms + 2 · 10 µs) = 50.02 ms each.
    expect(predictPoint(tiny({ engine }), harnessDevice).value).toBeCloseTo((2 * 3) / (3 * 50.02e-3), 6);
    // First token: the harness's host step in series with the device prefill: the same step as the serving
    // engine's plus 49 ms (50 ms instead of 1 ms).
    const ttft = { metric: 'first-token' as const, workload: { input: 100, output: 1, batch: 1 } };
    expect(predictPoint(tiny({ engine, ...ttft }), harnessDevice).value).toBeCloseTo(predictPoint(tiny(ttft), EFF).value + 49e-3, 12);
    // Without a harness the serving engine's 1 ms applies; a device without a harness factor keeps stepOverhead.
    expect(predictPoint(tiny(ttft), harnessDevice).value).toBe(predictPoint(tiny(ttft), EFF).value);
    expect(predictPoint(tiny({ engine, ...ttft }), EFF).value).toBe(predictPoint(tiny(ttft), EFF).value);
  });

  it('latency (batch 1) = prefill alone + every decode step alone', () => {
    const p = tiny({ metric: 'latency', workload: { input: 100, output: 3, batch: 1 } });
    const one = stepTime({ tokens: 100, sampled: 1, pairs: 100 * 50, prefillCtx: 0, decodeCtx: 0 });
    const dec = [101, 102].map((ctx) => stepTime({ tokens: 1, sampled: 1, pairs: 0, prefillCtx: 0, decodeCtx: ctx }));
    expect(predictPoint(p, EFF).value).toBeCloseTo(one + dec[0] + dec[1], 12);
    const model = new StepTimeModel(pointShape(p, EFF));
    expect(predictPoint(p, EFF).value).toBeCloseTo(model.prefillTime(100, 0) + model.decodeTime(1, 101) + model.decodeTime(1, 102), 12);
  });

  it('packs whole prompts per step up to max_num_batched_tokens and chunks longer prompts', () => {
    const model = new StepTimeModel(pointShape(tiny(), EFF));
    // 5 prompts of 3000 tokens, 8192 per step: 2 + 2 + 1 prompts.
    const two = model.step({ prefillTokens: 6000, prefillAttention: 2 * 3000 * 1500, prefillContextTokens: 0, sampledSeqs: 2, decodeSeqs: 0, decodeContextTokens: 0 }).time;
    const oneP = model.prefillTime(3000, 0);
    expect(prefillSeconds(model, 5, 3000, 8192)).toBeCloseTo(2 * two + oneP, 12);
    // A 10,000-token prompt with 4096 per step: chunks 4096, 4096, 1808 over the growing context.
    const chunks =
      model.step({ prefillTokens: 4096, prefillAttention: 4096 * 2048, prefillContextTokens: 0, sampledSeqs: 0, decodeSeqs: 0, decodeContextTokens: 0 }).time +
      model.step({ prefillTokens: 4096, prefillAttention: 4096 * (4096 + 2048), prefillContextTokens: 4096, sampledSeqs: 0, decodeSeqs: 0, decodeContextTokens: 0 }).time +
      model.prefillTime(1808, 8192);
    expect(prefillSeconds(model, 3, 10_000, 4096)).toBeCloseTo(3 * chunks, 12);
  });

  it('caps the batch by the KV pool at full sequence length', () => {
    const p = tiny({ workload: { input: 2000, output: 2000, batch: 100_000 } });
    const shape = pointShape(p, EFF);
    const kv = kvCapacity(shape, { gpuMemoryUtilization: 0.9, maxNumBatchedTokens: 8192, maxNumSeqs: 100_000 });
    const r = predictPoint(p, EFF);
    expect(r.kvLimited).toBe(true);
    expect(r.kvTokens).toBe(kv.kvTokens);
    expect(r.batch).toBe(Math.floor(kv.kvTokens / 4000));
    expect(r.batch * 4000).toBeLessThanOrEqual(kv.kvTokens);
    expect(kvBytesPerToken(MODELS['llama-3.1-8b'], 'bf16')).toBe(KV);
  });

  it('uses the catalog factors unless told otherwise, and never mutates the catalog', () => {
    const before = structuredClone(DEVICES.h100.efficiency);
    expect(pointShape(tiny()).device).toBe(DEVICES.h100);
    expect(pointShape(tiny(), EFF).device).toBe(EFF);
    expect(DEVICES.h100.efficiency).toEqual(before);
  });

  it('refuses a point whose sequence does not fit and unknown catalog keys', () => {
    expect(() => predictPoint(tiny({ workload: { input: 10_000_000, output: 10, batch: 1 } }), EFF)).toThrow(/does not fit/);
    expect(() => predictPoint(tiny({ device: 'tpu' }))).toThrow(/unknown device/);
    expect(() => predictPoint(tiny({ model: 'gpt-5' }))).toThrow(/unknown model/);
  });
});

describe('sumConvex', () => {
  it('sums convex piecewise-linear functions exactly, with few calls', () => {
    // f(k) = 3 + max(2k, 50 − 3k) + max(0, k − 700): kinks at k = 10 and 700. Σ_{k=1}^{1000} by brute force.
    let calls = 0;
    const f = (k: number): number => {
      calls++;
      return 3 + Math.max(2 * k, 50 - 3 * k) + Math.max(0, k - 700);
    };
    let brute = 0;
    for (let k = 1; k <= 1000; k++) brute += 3 + Math.max(2 * k, 50 - 3 * k) + Math.max(0, k - 700);
    expect(sumConvex(f, 1, 1000)).toBeCloseTo(brute, 6);
    expect(calls).toBeLessThan(120);
    expect(sumConvex((k) => k, 5, 5)).toBe(5);
    expect(sumConvex((k) => k, 6, 5)).toBe(0);
  });

  it('decodeSeconds equals the step-by-step sum', () => {
    const model = new StepTimeModel(pointShape(tiny({ model: 'llama-3.1-70b', device: 'mi300x', tp: 8, devices: 8 })));
    let brute = 0;
    for (let k = 1; k < 2048; k++) brute += model.decodeTime(300, 300 * (128 + k));
    expect(decodeSeconds(model, 300, 128, 2048).seconds).toBeCloseTo(brute, 9);
  });
});
