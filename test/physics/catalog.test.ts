import { describe, it, expect } from 'vitest';
import { DEVICES, deviceIds } from '../../src/cluster/catalog/hardware.js';
import { MODELS, modelIds, kvBytesPerToken, dtypeBytes } from '../../src/cluster/catalog/models.js';

describe('model catalog', () => {
  it('has the dense models', () => {
    expect(modelIds()).toEqual(['llama-3.1-8b', 'llama-3.1-70b', 'llama-3.1-405b', 'qwen2.5-72b', 'llama-2-70b']);
    for (const id of modelIds()) expect(MODELS[id].id).toBe(id);
  });

  it('dtype bytes', () => {
    expect(dtypeBytes('bf16')).toBe(2);
    expect(dtypeBytes('fp8')).toBe(1);
  });

  it('KV bytes per token match hand computation and the published KiB figures', () => {
    // 70B: 2·80 layers·8 kv heads·128·2 B = 327,680 B = 320 KiB (Mooncake: "320 KB")
    expect(kvBytesPerToken(MODELS['llama-3.1-70b'], 'bf16')).toBe(327_680);
    // 8B: 2·32·8·128·2 = 131,072 = 128 KiB
    expect(kvBytesPerToken(MODELS['llama-3.1-8b'], 'bf16')).toBe(131_072);
    // 405B: 2·126·8·128·2 = 516,096 = 504 KiB
    expect(kvBytesPerToken(MODELS['llama-3.1-405b'], 'bf16')).toBe(516_096);
    // Qwen2.5-72B: 2·80·8·128·2 = 327,680
    expect(kvBytesPerToken(MODELS['qwen2.5-72b'], 'bf16')).toBe(327_680);
    // FP8 halves it.
    expect(kvBytesPerToken(MODELS['llama-3.1-70b'], 'fp8')).toBe(163_840);
  });

  it('every model has a source for every number', () => {
    for (const m of Object.values(MODELS)) {
      for (const f of ['layers', 'hidden', 'heads', 'kvHeads', 'headDim', 'ffn', 'vocab', 'params']) {
        expect(m.sources[f], `${m.id}.${f}`).toMatch(/\S{10}/);
      }
    }
  });

  it('heads·headDim equals hidden (Llama/Qwen attention shape)', () => {
    for (const m of Object.values(MODELS)) expect(m.heads * m.headDim).toBe(m.hidden);
  });
});

describe('hardware catalog', () => {
  it('has the required devices', () => {
    for (const id of ['mi300x', 'mi325x', 'gaudi3', 'gaudi2', 'h100', 'h200', 'a100', 'b200']) {
      expect(deviceIds()).toContain(id);
      expect(DEVICES[id].id).toBe(id);
    }
  });

  it('spot-checks numbers against the public spec sheets', () => {
    const mi = DEVICES.mi300x;
    expect(mi.hbmBytes).toBe(206_141_652_992); // rocm-smi VRAM Total = 192 GiB − 16 MiB
    expect(mi.hbmBytes).toBe(192 * 2 ** 30 - 16 * 2 ** 20);
    expect(DEVICES.h100.hbmBytes).toBe(81_559 * 2 ** 20); // nvidia-smi
    expect(DEVICES.a100.hbmBytes).toBe(81_920 * 2 ** 20);
    expect(DEVICES.gaudi3.hbmBytes).toBe(128e9); // no driver total found: vendor decimal GB
    expect(mi.hbmBandwidth).toBeCloseTo(5.3e12, -6);
    expect(mi.peakFlops.bf16).toBeCloseTo(1300e12, -6);
    expect(mi.scaleUp.topology).toBe('mesh');
    expect(mi.scaleUp.perPeerBandwidth).toBe(64e9);
    expect(mi.scaleUp.aggregateBandwidth).toBe(448e9);
    expect(mi.pricePerHour).toBe(1.99);
    const g3 = DEVICES.gaudi3;
    expect(g3.scaleUp.perPeerBandwidth).toBe(75e9); // 600 Gb/s
    expect(g3.peakFlops.fp8).toBeCloseTo(1835e12, -6);
    expect(DEVICES.h100.scaleUp.aggregateBandwidth).toBe(450e9);
    expect(DEVICES.a100.scaleUp.aggregateBandwidth).toBe(300e9);
    expect(DEVICES.b200.scaleUp.aggregateBandwidth).toBe(900e9);
    expect(DEVICES.h100.pricePerHour).toBe(2.99);
    expect(DEVICES.h200.pricePerHour).toBe(3.5);
  });

  it('every device has a source for every number, and sane ranges', () => {
    for (const d of Object.values(DEVICES)) {
      for (const f of ['hbmBytes', 'hbmBandwidth', 'peakFlops', 'scaleUp', 'tdpWatts', 'pricePerHour', 'efficiency']) {
        expect(d.sources[f], `${d.id}.${f}`).toMatch(/\S{10}/);
      }
      // Either fitted by the calibration suite, or plainly marked as a guess.
      expect(d.sources.efficiency).toMatch(/uncalibrated|kvsim validate --fit/);
      const e = d.efficiency;
      for (const x of [e.gemm.bf16, e.gemm.fp8, e.hbm, e.prefillAttention, e.decodeAttention]) {
        expect(x, d.id).toBeGreaterThan(0.1);
        expect(x, d.id).toBeLessThanOrEqual(1);
      }
      // Within the fit's physical bounds (src/calibration/priors.ts).
      expect(e.stepOverhead).toBeGreaterThan(0);
      expect(e.stepOverhead).toBeLessThanOrEqual(0.03);
      expect(e.seqOverhead).toBeGreaterThan(0);
      expect(e.seqOverhead).toBeLessThanOrEqual(300e-6);
      expect(d.scaleUp.latency).toBeGreaterThan(0);
      expect(d.scaleUp.latency).toBeLessThanOrEqual(50e-6);
      expect(d.scaleUp.busEfficiency).toBeGreaterThan(0.2);
      expect(d.scaleUp.overlap).toBe(0); // vLLM runs the all-reduces on the critical path
      expect(d.scaleUp.aggregateBandwidth).toBeGreaterThanOrEqual(d.scaleUp.perPeerBandwidth);
      expect(d.peakFlops.fp8).toBeGreaterThanOrEqual(d.peakFlops.bf16);
      expect(d.pricePerHour).toBeGreaterThan(0);
    }
  });

  it('prices without a published figure say they are assumptions', () => {
    for (const id of ['a100', 'gaudi2', 'gaudi3', 'b200', 'mi325x']) {
      expect(DEVICES[id].sources.pricePerHour).toMatch(/ASSUMPTION/);
    }
  });

  it('catalogs are frozen', () => {
    expect(Object.isFrozen(DEVICES)).toBe(true);
    expect(Object.isFrozen(DEVICES.h100.efficiency)).toBe(true);
    expect(Object.isFrozen(MODELS['llama-3.1-70b'])).toBe(true);
  });
});
