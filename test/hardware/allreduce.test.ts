import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import type { ScaleUpFabric } from '../../src/cluster/catalog/types.js';
import { allReduceTime, busBandwidth } from '../../src/hardware/allreduce.js';
import { resolveDevice } from '../../src/cluster/plan.js';
import { DEVICES } from '../../src/cluster/catalog/hardware.js';

const mesh: ScaleUpFabric = {
  topology: 'mesh',
  perPeerBandwidth: 64e9,
  aggregateBandwidth: 448e9,
  latency: 5e-6,
  busEfficiency: 0.75,
  algorithm: 'auto',
  overlap: 0,
};
const nvswitch: ScaleUpFabric = { ...mesh, topology: 'switch', perPeerBandwidth: 450e9, aggregateBandwidth: 450e9, latency: 2e-6 };

describe('all-reduce time (α–β model)', () => {
  it('bus bandwidth: mesh = per-peer links × (n − 1) × efficiency; switch = aggregate × efficiency', () => {
    expect(busBandwidth(mesh, 2)).toBeCloseTo(64e9 * 0.75, 0); // 48e9
    expect(busBandwidth(mesh, 8)).toBeCloseTo(448e9 * 0.75, 0); // 7 links = 448e9 → 336e9
    expect(busBandwidth(nvswitch, 2)).toBeCloseTo(450e9 * 0.75, 0);
  });

  it('ring on 8 ranks, 64 MiB: 14 hops · 5 µs + 14/8 · 64 MiB / 336e9 B/s', () => {
    const S = 64 * 2 ** 20;
    // 70 µs + 1.75 · 67,108,864 / 336e9 = 70e-6 + 349.5e-6 = 419.5 µs
    const ring = { ...mesh, algorithm: 'ring' as const };
    expect(allReduceTime(ring, 8, S)).toBeCloseTo(14 * 5e-6 + (1.75 * S) / 336e9, 12);
    // auto picks ring here: one-shot would be 10 µs + 7 · S / 336e9 ≈ 1.41 ms.
    expect(allReduceTime(mesh, 8, S)).toBeCloseTo(allReduceTime(ring, 8, S), 15);
  });

  it('one-shot on 8 ranks, one decode token (16 KiB): 2 hops · 5 µs + 7 · 16 KiB / 336e9 B/s; auto picks it', () => {
    const S = 8192 * 2;
    const one = { ...mesh, algorithm: 'one_shot' as const };
    expect(allReduceTime(one, 8, S)).toBeCloseTo(2 * 5e-6 + (7 * S) / 336e9, 12); // ≈ 10.34 µs
    expect(allReduceTime(mesh, 8, S)).toBeCloseTo(allReduceTime(one, 8, S), 15); // ring: 70 µs + …
  });

  it('no communication with one rank or no bytes', () => {
    expect(allReduceTime(mesh, 1, 1e6)).toBe(0);
    expect(allReduceTime(mesh, 8, 0)).toBe(0);
  });

  it('auto is the minimum of both, and time never decreases with bytes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 8 }), fc.double({ min: 1, max: 1e9, noNaN: true }), (n, bytes) => {
        const r = allReduceTime({ ...mesh, algorithm: 'ring' }, n, bytes);
        const o = allReduceTime({ ...mesh, algorithm: 'one_shot' }, n, bytes);
        expect(allReduceTime(mesh, n, bytes)).toBe(Math.min(r, o));
        expect(allReduceTime(mesh, n, bytes * 2)).toBeGreaterThanOrEqual(allReduceTime(mesh, n, bytes));
      }),
      { numRuns: 200 },
    );
  });
});

describe('scenario hardware overrides of the new factors', () => {
  it('apply per dtype, per kernel class and to the scale-up fabric; the rest stays the catalog\'s', () => {
    const d = resolveDevice(
      'mi300x',
      {
        mi300x: {
          mfu: 0.3,
          gemm_efficiency: { fp8: 0.35 },
          decode_attention_efficiency: 0.5,
          seq_overhead: 10e-6,
          scale_up: { bus_efficiency: 0.6, algorithm: 'ring', overlap: 0.5 },
        },
      },
      's.yaml',
      'prefill.device',
    );
    expect(d.efficiency.gemm).toEqual({ bf16: 0.3, fp8: 0.35 }); // gemm_efficiency wins over mfu for fp8
    expect(d.efficiency.decodeAttention).toBe(0.5);
    expect(d.efficiency.seqOverhead).toBe(10e-6);
    expect(d.efficiency.hbm).toBe(DEVICES.mi300x.efficiency.hbm);
    expect(d.scaleUp).toEqual({ ...DEVICES.mi300x.scaleUp, busEfficiency: 0.6, algorithm: 'ring', overlap: 0.5 });
  });
});
