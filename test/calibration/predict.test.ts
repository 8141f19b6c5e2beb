import { describe, it, expect } from 'vitest';
import { DEVICES } from '../../src/cluster/catalog/hardware.js';
import { MODELS, kvBytesPerToken } from '../../src/cluster/catalog/models.js';
import { StepTimeModel, kvCapacity } from '../../src/cluster/step-time.js';
import type { CalibrationPoint } from '../../src/calibration/points.js';
import {
  decodeSeconds,
  pointShape,
  predictPoint,
  prefillSeconds,
  relativeError,
  type Efficiency,
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
    tolerance: 0.15,
    role: 'calibration',
    notes: '',
    ...over,
  };
}

const EFF: Efficiency = { mfu: 0.5, mbu: 0.8, stepOverhead: 1e-3 };

// Llama-3.1-8B by hand: per layer Q 4096·4096 = 16,777,216; K+V 2·4096·1024 = 8,388,608; O 16,777,216;
// MLP 3·4096·14336 = 176,160,768 → 218,103,808; ×32 layers = 6,979,321,856 matmul params per token.
const P_MATMUL = 6_979_321_856;
const LM_HEAD = 2 * 4096 * 128_256; // FLOPs per sampled token
const ATTN = 4 * 32 * 32 * 128; // FLOPs per (query, key) pair over all layers
const WEIGHTS = 8.03e9 * 2; // bf16 bytes
const KV = 131_072; // bytes per token (bf16)
const PEAK = 989e12 * 0.5;
const BW = 3.35e12 * 0.8;

function stepTime(flops: number, bytes: number): number {
  return Math.max(flops / PEAK, bytes / BW) + 1e-3; // TP1: no comm
}

describe('prediction procedure on a hand-computed tiny case', () => {
  // Prefill: both 100-token prompts in one step (8192 ≥ 200): 200 new tokens, causal pairs 2·100·50,
  // two sampled tokens; bytes = weights + 200 KV writes.
  const prefill = stepTime(2 * 200 * P_MATMUL + 2 * LM_HEAD + ATTN * 2 * 100 * 50, WEIGHTS + 200 * KV);
  // Decode steps k = 1, 2 (the first of the 3 output tokens came out of prefill): batch 2, contexts 2·(100 + k).
  const decode = [1, 2].map((k) => {
    const ctx = 2 * (100 + k);
    return stepTime(2 * 2 * P_MATMUL + 2 * LM_HEAD + ATTN * ctx, WEIGHTS + (ctx + 2) * KV);
  });

  it('the hand numbers are what they claim (prefill compute-bound, decode memory-bound)', () => {
    expect(prefill).toBeGreaterThan(5e-3);
    expect(prefill).toBeLessThan(10e-3);
    for (const d of decode) expect(d).toBeCloseTo(WEIGHTS / BW + 1e-3, 4); // weights dominate
  });

  it('prefillSeconds and decodeSeconds match the hand computation', () => {
    const model = new StepTimeModel(pointShape(tiny(), EFF));
    expect(prefillSeconds(model, 2, 100, 8192)).toBeCloseTo(prefill, 12);
    const d = decodeSeconds(model, 2, 100, 3);
    expect(d.steps).toBe(2);
    expect(d.computeBoundSteps).toBe(0);
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

  it('latency (batch 1) = prefill alone + every decode step alone', () => {
    const p = tiny({ metric: 'latency', workload: { input: 100, output: 3, batch: 1 } });
    const one = stepTime(100 * 2 * P_MATMUL + LM_HEAD + ATTN * 100 * 50, WEIGHTS + 100 * KV);
    const dec = [101, 102].map((ctx) => stepTime(2 * P_MATMUL + LM_HEAD + ATTN * ctx, WEIGHTS + (ctx + 1) * KV));
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
    const before = { ...DEVICES.h100.efficiency };
    expect(pointShape(tiny()).device).toBe(DEVICES.h100);
    expect(pointShape(tiny(), EFF).device.efficiency).toEqual(EFF);
    expect(DEVICES.h100.efficiency).toEqual(before);
  });

  it('refuses a point whose sequence does not fit and unknown catalog keys', () => {
    expect(() => predictPoint(tiny({ workload: { input: 10_000_000, output: 10, batch: 1 } }), EFF)).toThrow(/does not fit/);
    expect(() => predictPoint(tiny({ device: 'tpu' }))).toThrow(/unknown device/);
    expect(() => predictPoint(tiny({ model: 'gpt-5' }))).toThrow(/unknown model/);
  });
});
