import { describe, it, expect } from 'vitest';
import { DEVICES } from '../../src/cluster/catalog/hardware.js';
import { MODELS } from '../../src/cluster/catalog/models.js';
import {
  StepTimeModel,
  kvCapacity,
  matmulParamsPerToken,
  emptyStepCost,
  type BatchShape,
  type InstanceShape,
} from '../../src/cluster/step-time.js';

const L70 = MODELS['llama-3.1-70b'];
const L8 = MODELS['llama-3.1-8b'];

function shape(model: string, device: string, tp: number, w: 'bf16' | 'fp8' = 'bf16', kv: 'bf16' | 'fp8' = 'bf16'): InstanceShape {
  return { model: MODELS[model], device: DEVICES[device], tp, weightDtype: w, kvDtype: kv };
}

function batch(p: Partial<BatchShape>): BatchShape {
  return {
    prefillTokens: 0,
    prefillAttention: 0,
    prefillContextTokens: 0,
    sampledSeqs: 0,
    decodeSeqs: 0,
    decodeContextTokens: 0,
    ...p,
  };
}

describe('P_matmul', () => {
  it('70B by hand', () => {
    // per layer: Q 8192·8192 = 67,108,864; K+V 2·8192·1024 = 16,777,216; O 67,108,864;
    // MLP 3·8192·28672 = 704,643,072; sum 855,638,016; ×80 layers = 68,451,041,280.
    expect(matmulParamsPerToken(L70)).toBe(68_451_041_280);
    // + embedding and LM head 2·8192·128256 = 2,101,346,304 → 70.55e9 ≈ the published 70.6e9.
    expect(matmulParamsPerToken(L70) + 2 * 8192 * 128256).toBeCloseTo(70.6e9, -9);
  });
  it('8B by hand', () => {
    // per layer: 16,777,216 + 8,388,608 + 16,777,216 + 3·4096·14336 = 176,160,768 → 218,103,808; ×32 = 6,979,321,856
    expect(matmulParamsPerToken(L8)).toBe(6_979_321_856);
  });
});

describe('StepTimeModel', () => {
  it('exposes kvBytesPerToken for the whole model', () => {
    expect(new StepTimeModel(shape('llama-3.1-70b', 'h100', 4)).kvBytesPerToken).toBe(327_680);
    expect(new StepTimeModel(shape('llama-3.1-70b', 'h100', 4, 'bf16', 'fp8')).kvBytesPerToken).toBe(163_840);
  });

  it('rejects a bad tp', () => {
    expect(() => new StepTimeModel(shape('llama-3.1-8b', 'h100', 0))).toThrow(RangeError);
    expect(() => new StepTimeModel(shape('llama-3.1-8b', 'h100', 1.5))).toThrow(RangeError);
  });

  it('an empty batch costs 0', () => {
    const m = new StepTimeModel(shape('llama-3.1-70b', 'mi300x', 2));
    const c = m.step(batch({}));
    expect(c.time).toBe(0);
    expect(c.flops).toBe(0);
    expect(c.bytes).toBe(0);
    expect(m.decodeTime(0, 0)).toBe(0);
    expect(m.prefillTime(0, 0)).toBe(0);
  });

  it('decode of 70B TP4 on gaudi3 at B=1 is weights/4/(3.7e12·mbu) + KV + comm + overhead', () => {
    const d = DEVICES.gaudi3;
    const m = new StepTimeModel(shape('llama-3.1-70b', 'gaudi3', 4));
    const ctx = 1000;
    // Memory: 70.6e9 params · 2 B = 141.2e9 B of weights, + (1000 read + 1 written) · 327,680 B of KV, over 4 devices.
    const memory = (141.2e9 + 1001 * 327_680) / 4 / (3.7e12 * d.efficiency.mbu);
    // Compute (tiny): 2·68,451,041,280 + LM head 2·8192·128256 + attention 4·80·64·128·1000.
    const flops = 2 * 68_451_041_280 + 2 * 8192 * 128_256 + 4 * 80 * 64 * 128 * 1000;
    const compute = flops / 4 / (1835e12 * d.efficiency.mfu);
    // Comm: 160 all-reduces of 1·8192·2 B; mesh bw with 3 peers = 3·75e9; ring factor 2·3/4.
    const comm = 160 * ((2 * 3) / 4 * (8192 * 2) / (3 * 75e9) + d.scaleUp.latency);
    const expected = Math.max(memory, compute) + comm + d.efficiency.stepOverhead;
    const c = m.step(batch({ decodeSeqs: 1, sampledSeqs: 1, decodeContextTokens: ctx }));
    expect(c.computeBound).toBe(false);
    expect(c.memory).toBeCloseTo(memory, 12);
    expect(c.compute).toBeCloseTo(compute, 12);
    expect(c.comm).toBeCloseTo(comm, 12);
    expect(c.flops).toBeCloseTo(flops, -3);
    expect(c.time).toBeCloseTo(expected, 12);
    expect(m.decodeTime(1, ctx)).toBeCloseTo(expected, 12);
    // Rule of thumb (weights / bandwidth + overhead): ~15–30 ms TBT; Gaudi3's fitted step overhead (~15 ms, from Intel's
    // large-batch throughput points) puts batch-1 at the top of that range.
    expect(c.time).toBeGreaterThan(0.015);
    expect(c.time).toBeLessThan(0.035);
  });

  it('prefill of 8k tokens is compute-bound; small-batch decode is memory-bound', () => {
    for (const dev of Object.keys(DEVICES)) {
      const m = new StepTimeModel(shape('llama-3.1-70b', dev, 4));
      const p = m.step(batch({ prefillTokens: 8192, prefillAttention: (8192 * 8192) / 2, sampledSeqs: 1 }));
      expect(p.computeBound, dev).toBe(true);
      expect(p.compute / p.memory, dev).toBeGreaterThan(5);
      for (const B of [1, 8, 32]) {
        const d = m.step(batch({ decodeSeqs: B, sampledSeqs: B, decodeContextTokens: B * 2000 }));
        expect(d.computeBound, `${dev} B=${B}`).toBe(false);
      }
    }
  });

  it('prefill of 8k tokens of 70B matches the rule of thumb (~2.2 s on one H100, ~0.6 s at TP4)', () => {
    // FLOPs: 2·68,451,041,280·8192 + 2·8192·128256 + 4·80·64·128·8192²/2 ≈ 1.2095e15
    const flops = 2 * 68_451_041_280 * 8192 + 2 * 8192 * 128_256 + 4 * 80 * 64 * 128 * (8192 * 8192) / 2;
    const h = DEVICES.h100;
    const one = new StepTimeModel(shape('llama-3.1-70b', 'h100', 1));
    expect(one.step(batch({ prefillTokens: 8192, prefillAttention: (8192 * 8192) / 2, sampledSeqs: 1 })).flops).toBeCloseTo(flops, -6);
    expect(one.prefillTime(8192, 0)).toBeCloseTo(flops / (989e12 * h.efficiency.mfu) + h.efficiency.stepOverhead, 9);
    const tp4 = new StepTimeModel(shape('llama-3.1-70b', 'h100', 4)).prefillTime(8192, 0);
    expect(tp4).toBeGreaterThan(0.3);
    expect(tp4).toBeLessThan(0.8);
  });

  it('attention grows with context', () => {
    const m = new StepTimeModel(shape('llama-3.1-8b', 'h100', 1));
    const a = m.step(batch({ prefillTokens: 2048, prefillAttention: 2048 * (0 + 1024), sampledSeqs: 1 }));
    const b = m.step(batch({ prefillTokens: 2048, prefillAttention: 2048 * (30000 + 1024), prefillContextTokens: 30000, sampledSeqs: 1 }));
    // Extra FLOPs = 4·32·32·128·2048·30000 (attention over the cached 30k tokens).
    expect(b.flops - a.flops).toBeCloseTo(4 * 32 * 32 * 128 * 2048 * 30000, -6);
    expect(b.time).toBeGreaterThan(a.time);
    expect(m.prefillTime(2048, 30000)).toBeGreaterThan(m.prefillTime(2048, 0));
    expect(m.decodeTime(16, 16 * 32000)).toBeGreaterThan(m.decodeTime(16, 16 * 1000));
  });

  it('TP halves compute and memory but adds comm', () => {
    for (const dev of ['h100', 'mi300x', 'gaudi3']) {
      const b = batch({ prefillTokens: 4096, prefillAttention: 4096 * 2048, sampledSeqs: 1 });
      const t1 = new StepTimeModel(shape('llama-3.1-70b', dev, 1)).step(b);
      const t2 = new StepTimeModel(shape('llama-3.1-70b', dev, 2)).step(b);
      expect(t2.compute).toBeCloseTo(t1.compute / 2, 12);
      expect(t2.memory).toBeCloseTo(t1.memory / 2, 12);
      expect(t1.comm).toBe(0);
      expect(t2.comm).toBeGreaterThan(0);
      expect(t2.flops).toBe(t1.flops); // totals are per TP group
    }
  });

  it('mesh bandwidth grows with peers; a switch gives the aggregate at any tp', () => {
    const d = DEVICES.mi300x;
    const tokens = 4096;
    const b = batch({ prefillTokens: tokens, prefillAttention: tokens * tokens / 2, sampledSeqs: 1 });
    for (const tp of [2, 4, 8]) {
      const bw = Math.min(64e9 * (tp - 1), 448e9);
      const expected = 2 * 80 * ((2 * (tp - 1)) / tp * (tokens * 8192 * 2) / bw + d.scaleUp.latency);
      expect(new StepTimeModel(shape('llama-3.1-70b', 'mi300x', tp)).step(b).comm).toBeCloseTo(expected, 12);
      const h = DEVICES.h100;
      const eh = 2 * 80 * ((2 * (tp - 1)) / tp * (tokens * 8192 * 2) / 450e9 + h.scaleUp.latency);
      expect(new StepTimeModel(shape('llama-3.1-70b', 'h100', tp)).step(b).comm).toBeCloseTo(eh, 12);
    }
  });

  it('fp8 weights use the fp8 peak and half the weight bytes', () => {
    const d = DEVICES.mi300x;
    const b = batch({ prefillTokens: 8192, prefillAttention: (8192 * 8192) / 2, sampledSeqs: 1 });
    const bf = new StepTimeModel(shape('llama-3.1-70b', 'mi300x', 8, 'bf16')).step(b);
    const f8 = new StepTimeModel(shape('llama-3.1-70b', 'mi300x', 8, 'fp8')).step(b);
    expect(f8.flops).toBe(bf.flops);
    expect(f8.compute).toBeCloseTo((bf.compute * d.peakFlops.bf16) / d.peakFlops.fp8, 12);
    expect(bf.bytes - f8.bytes).toBeCloseTo(70.6e9, -3);
    // A100 has no FP8 tensor cores: fp8 weights halve bytes but compute stays at the BF16 rate.
    const a = new StepTimeModel(shape('llama-3.1-8b', 'a100', 1, 'fp8')).step(b);
    const abf = new StepTimeModel(shape('llama-3.1-8b', 'a100', 1, 'bf16')).step(b);
    expect(a.compute).toBeCloseTo(abf.compute, 12);
  });

  it('LM head is charged per sampled sequence only', () => {
    const m = new StepTimeModel(shape('llama-3.1-8b', 'h100', 1));
    const a = m.step(batch({ prefillTokens: 1000, prefillAttention: 500_000, sampledSeqs: 0 }));
    const b = m.step(batch({ prefillTokens: 1000, prefillAttention: 500_000, sampledSeqs: 1 }));
    expect(b.flops - a.flops).toBe(2 * 4096 * 128_256);
  });

  it('fills `out` without allocating', () => {
    const m = new StepTimeModel(shape('llama-3.1-8b', 'h100', 1));
    const out = emptyStepCost();
    const r = m.step(batch({ decodeSeqs: 4, sampledSeqs: 4, decodeContextTokens: 4000 }), out);
    expect(r).toBe(out);
    expect(out.time).toBeGreaterThan(0);
    m.step(batch({}), out);
    expect(out.time).toBe(0);
    expect(out.computeBound).toBe(false);
  });
});

describe('kvCapacity', () => {
  it('70B BF16 on 2×MI300X at 0.9', () => {
    // usable: 2·192e9·0.9 = 345.6e9; weights 70.6e9·2 = 141.2e9
    // activation reserve: 2·[8192·(4·8192 + 2·28672/2)·2 + 256·128256·4]
    //   = 2·[8192·61440·2 + 131,334,144] = 2·[1,006,632,960 + 131,334,144] = 2,275,934,208
    // kv = 345.6e9 − 141.2e9 − 2,275,934,208 = 202,124,065,792 B; / 327,680 = 616,833.7 → 616,833 tokens
    const r = kvCapacity(shape('llama-3.1-70b', 'mi300x', 2), {
      gpuMemoryUtilization: 0.9,
      maxNumBatchedTokens: 8192,
      maxNumSeqs: 256,
    });
    expect(r.weightBytes).toBe(141.2e9);
    expect(r.activationReserveBytes).toBe(2_275_934_208);
    expect(r.kvBytes).toBeCloseTo(202_124_065_792, -2);
    expect(r.kvTokens).toBe(616_833);
  });

  it('fp8 KV doubles the token count', () => {
    const cfg = { gpuMemoryUtilization: 0.9, maxNumBatchedTokens: 8192, maxNumSeqs: 256 };
    const bf = kvCapacity(shape('llama-3.1-70b', 'mi300x', 2), cfg);
    const f8 = kvCapacity(shape('llama-3.1-70b', 'mi300x', 2, 'bf16', 'fp8'), cfg);
    expect(f8.kvTokens).toBe(Math.floor(bf.kvBytes / 163_840));
  });

  it('a model that does not fit gives kvBytes ≤ 0 and 0 tokens', () => {
    // 405B BF16 = 811.6e9 B of weights > 80e9 on one H100.
    const r = kvCapacity(shape('llama-3.1-405b', 'h100', 1), {
      gpuMemoryUtilization: 0.9,
      maxNumBatchedTokens: 8192,
      maxNumSeqs: 256,
    });
    expect(r.kvBytes).toBeLessThan(0);
    expect(r.kvTokens).toBe(0);
  });
});
