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

  it('decode of 70B TP4 on gaudi3 at B=1: weights + KV read + one-shot all-reduces + overheads, by hand', () => {
    const d = DEVICES.gaudi3;
    const e = d.efficiency;
    const m = new StepTimeModel(shape('llama-3.1-70b', 'gaudi3', 4));
    const ctx = 1000;
    // GEMMs: 2·68,451,041,280 + LM head 2·8192·128256 FLOPs at 1835e12·gemm.bf16 per device; bytes: 141.2e9 of
    // weights + 1 KV write of 327,680 B at 3.7e12·hbm. Memory wins by far.
    const gemmFlops = 2 * 68_451_041_280 + 2 * 8192 * 128_256;
    const gemmMem = (141.2e9 + 327_680) / 4 / (3.7e12 * e.hbm);
    expect(gemmFlops / 4 / (1835e12 * e.gemm.bf16)).toBeLessThan(gemmMem);
    // Decode attention: 1000 context tokens · 327,680 B at 3.7e12·decodeAttention (compute 4·80·64·128·1000 is tiny).
    const attnMem = (1000 * 327_680) / 4 / (3.7e12 * e.decodeAttention);
    // Comm: 160 all-reduces of 1·8192·2 B over 4 ranks; mesh bus bw 3·75e9·busEfficiency. One-shot
    // 2α + 3·S/B beats ring 6α + (6/4)·S/B at this size.
    const B = 3 * 75e9 * d.scaleUp.busEfficiency;
    const S = 8192 * 2;
    const oneShot = 2 * d.scaleUp.latency + (3 * S) / B;
    const ring = 6 * d.scaleUp.latency + (1.5 * S) / B;
    expect(oneShot).toBeLessThan(ring);
    const comm = 160 * oneShot;
    const expected = gemmMem + attnMem + comm + e.stepOverhead + e.seqOverhead;
    const c = m.step(batch({ decodeSeqs: 1, sampledSeqs: 1, decodeContextTokens: ctx }));
    expect(c.computeBound).toBe(false);
    expect(c.memory).toBeCloseTo(gemmMem + attnMem, 12);
    expect(c.compute).toBe(0);
    expect(c.comm).toBeCloseTo(comm, 12);
    expect(c.overhead).toBeCloseTo(e.stepOverhead + e.seqOverhead, 12);
    expect(c.flops).toBeCloseTo(gemmFlops + 4 * 80 * 64 * 128 * 1000, -3);
    expect(c.time).toBeCloseTo(expected, 12);
    expect(m.decodeTime(1, ctx)).toBeCloseTo(expected, 12);
    // Rule of thumb (weights / bandwidth + overhead): ~15–30 ms TBT at batch 1.
    expect(c.time).toBeGreaterThan(0.012);
    expect(c.time).toBeLessThan(0.035);
  });

  it('overlap hides that share of the all-reduce time', () => {
    const base = DEVICES.mi300x;
    const hidden = { ...base, scaleUp: { ...base.scaleUp, overlap: 0.75 } };
    const b = batch({ prefillTokens: 4096, prefillAttention: 4096 * 2048, sampledSeqs: 1 });
    const full = new StepTimeModel(shape('llama-3.1-70b', 'mi300x', 8)).step(b);
    const part = new StepTimeModel({ ...shape('llama-3.1-70b', 'mi300x', 8), device: hidden }).step(b);
    expect(part.comm).toBeCloseTo(full.comm / 4, 12);
    expect(full.time - part.time).toBeCloseTo((3 * full.comm) / 4, 12);
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

  it('prefill of 8k tokens of 70B matches the rule of thumb (~2–3 s on one H100, ~0.6 s at TP4)', () => {
    // GEMM FLOPs 2·68,451,041,280·8192 + 2·8192·128256; attention 4·80·64·128·8192²/2 at the attention rate.
    const gemm = 2 * 68_451_041_280 * 8192 + 2 * 8192 * 128_256;
    const attn = (4 * 80 * 64 * 128 * (8192 * 8192)) / 2;
    const h = DEVICES.h100;
    const e = h.efficiency;
    const one = new StepTimeModel(shape('llama-3.1-70b', 'h100', 1));
    expect(one.step(batch({ prefillTokens: 8192, prefillAttention: (8192 * 8192) / 2, sampledSeqs: 1 })).flops).toBeCloseTo(gemm + attn, -6);
    const expected = gemm / (989e12 * e.gemm.bf16) + attn / (989e12 * e.prefillAttention) + e.stepOverhead + e.seqOverhead;
    expect(one.prefillTime(8192, 0)).toBeCloseTo(expected, 9);
    expect(one.prefillTime(8192, 0)).toBeGreaterThan(1.5);
    expect(one.prefillTime(8192, 0)).toBeLessThan(3.5);
    const tp4 = new StepTimeModel(shape('llama-3.1-70b', 'h100', 4)).prefillTime(8192, 0);
    expect(tp4).toBeGreaterThan(0.3);
    expect(tp4).toBeLessThan(0.9);
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

  it('all-reduces at prefill size run as rings over the fabric (mesh: one link per peer; switch: aggregate)', () => {
    const tokens = 4096;
    const b = batch({ prefillTokens: tokens, prefillAttention: (tokens * tokens) / 2, sampledSeqs: 1 });
    const S = tokens * 8192 * 2; // 64 MiB of bf16 activations: ring (2(n−1)/n·S/B) beats one-shot ((n−1)·S/B)
    for (const tp of [2, 4, 8]) {
      const d = DEVICES.mi300x;
      const bw = Math.min(64e9 * (tp - 1), 448e9) * d.scaleUp.busEfficiency;
      const expected = 2 * 80 * (2 * (tp - 1) * d.scaleUp.latency + ((2 * (tp - 1)) / tp) * (S / bw));
      expect(new StepTimeModel(shape('llama-3.1-70b', 'mi300x', tp)).step(b).comm).toBeCloseTo(expected, 12);
      const h = DEVICES.h100;
      const bh = 450e9 * h.scaleUp.busEfficiency;
      const eh = 2 * 80 * (2 * (tp - 1) * h.scaleUp.latency + ((2 * (tp - 1)) / tp) * (S / bh));
      expect(new StepTimeModel(shape('llama-3.1-70b', 'h100', tp)).step(b).comm).toBeCloseTo(eh, 12);
    }
  });

  it('fp8 weights use the fp8 peak and half the weight bytes', () => {
    const d = DEVICES.mi300x;
    const b = batch({ prefillTokens: 8192, prefillAttention: (8192 * 8192) / 2, sampledSeqs: 1 });
    const bf = new StepTimeModel(shape('llama-3.1-70b', 'mi300x', 8, 'bf16')).step(b);
    const f8 = new StepTimeModel(shape('llama-3.1-70b', 'mi300x', 8, 'fp8')).step(b);
    expect(f8.flops).toBe(bf.flops);
    // Only the GEMMs change rate: their compute time scales by (peak·gemm)_bf16 / (peak·gemm)_fp8; attention stays BF16.
    const attn = ((4 * 80 * 64 * 128 * (8192 * 8192)) / 2) / 8 / (d.peakFlops.bf16 * d.efficiency.prefillAttention);
    const ratio = (d.peakFlops.bf16 * d.efficiency.gemm.bf16) / (d.peakFlops.fp8 * d.efficiency.gemm.fp8);
    expect(f8.compute - attn).toBeCloseTo((bf.compute - attn) * ratio, 12);
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
    // usable: 2·206,141,652,992 (driver total)·0.9 = 371,054,975,385.6; weights 70.6e9·2 = 141.2e9
    // activation reserve: 2·[8192·(4·8192 + 2·28672/2)·2 + 256·128256·4]
    //   = 2·[8192·61440·2 + 131,334,144] = 2·[1,006,632,960 + 131,334,144] = 2,275,934,208
    // kv = 371,054,975,385.6 − 141.2e9 − 2,275,934,208 = 227,579,041,177.6 B; / 327,680 = 694,516.1 → 694,516 tokens
    const r = kvCapacity(shape('llama-3.1-70b', 'mi300x', 2), {
      gpuMemoryUtilization: 0.9,
      maxNumBatchedTokens: 8192,
      maxNumSeqs: 256,
    });
    expect(r.weightBytes).toBe(141.2e9);
    expect(r.activationReserveBytes).toBe(2_275_934_208);
    expect(r.kvBytes).toBeCloseTo(227_579_041_177.6, -2);
    expect(r.kvTokens).toBe(694_516);
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
