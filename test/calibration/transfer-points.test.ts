import { describe, it, expect } from 'vitest';
import { CATALOG_TRANSFER_PARAMS, TRANSFER_POINTS, fitShared, solveFor, validateTransfers } from '../../src/calibration/transfer-points.js';
import { CV_POINT_TARGET } from '../../src/calibration/validate.js';

describe('transfer and cache-tier points', () => {
  const rs = validateTransfers();

  it('every point names its source and the kvsim path it checks', () => {
    const ids = new Set(TRANSFER_POINTS.map((p) => p.id));
    expect(ids.size).toBe(TRANSFER_POINTS.length);
    for (const p of TRANSFER_POINTS) {
      expect(p.source, p.id).toMatch(/https:\/\/|gds-bench|news\.samsung\.com/);
      expect(p.path, p.id).toMatch(/\S{10}/);
      expect(p.measured, p.id).toBeGreaterThan(0);
    }
  });

  it('Mooncake 4×200 Gb/s: 4 · 25e9 B/s · rdma efficiency 0.9 = 90e9 B/s vs 87e9 published (+3.4%)', () => {
    const r = rs.find((x) => x.point.id === 'mooncake-te-4x200');
    expect(r?.predicted).toBeCloseTo(90e9, -3);
    expect(r?.error).toBeCloseTo(90 / 87 - 1, 9);
  });

  it('vLLM CPU offload one way: PCIe 55e9 B/s vs ~50e9 published (+10%)', () => {
    expect(rs.find((x) => x.point.id === 'vllm-offload-h2d')?.error).toBeCloseTo(0.1, 9);
  });

  it('Mooncake 8×400 Gb/s DRAM↔DRAM: min(8 · 50e9 · 0.9 = 360e9, 4 uplinks · 55e9 = 220e9) = 220e9 (+15.8%)', () => {
    const r = rs.find((x) => x.point.id === 'mooncake-te-8x400');
    expect(r?.predicted).toBeCloseTo(220e9, -3);
    expect(r?.error).toBeCloseTo(220 / 190 - 1, 9);
  });

  it('cross-validation of the PCIe one-way rate: each row predicted from the other', () => {
    const h2d = rs.find((x) => x.point.id === 'vllm-offload-h2d');
    const m8 = rs.find((x) => x.point.id === 'mooncake-te-8x400');
    // From vLLM's one-way copy, 50e9: 4 uplinks · 50e9 = 200e9 vs 190e9 → +5.3%.
    expect(m8?.cvPredicted).toBeCloseTo(200e9, -3);
    expect(m8?.cvError).toBeCloseTo(200 / 190 - 1, 6);
    // From Mooncake's 190e9 over 4 uplinks: 47.5e9 vs 50e9 → −5%.
    expect(h2d?.cvPredicted).toBeCloseTo(47.5e9, -3);
    expect(h2d?.cvError).toBeCloseTo(47.5 / 50 - 1, 6);
    // Judged by the per-point target, not by a number read off these errors.
    for (const r of [h2d, m8]) expect(Math.abs(r?.cvError ?? Infinity)).toBeLessThanOrEqual(CV_POINT_TARGET);
    // Rows that measure no shared parameter have no cross-validated value.
    expect(rs.find((x) => x.point.id === 'vllm-offload-both')?.cvError).toBeUndefined();
  });

  it('solveFor inverts a row; the joint fit is the geometric mean of the rows\' solutions (√(50 · 47.5) GB/s)', () => {
    const h2d = TRANSFER_POINTS.find((p) => p.id === 'vllm-offload-h2d');
    expect(h2d && solveFor(h2d, 'pcieOneWay')).toBeCloseTo(50e9, -3);
    // Only rows that declare what they measure enter the fit (4×200 is NIC-bound in the catalog and does not).
    expect(fitShared(TRANSFER_POINTS, 'pcieOneWay')).toBeCloseTo(Math.sqrt(50e9 * 47.5e9), -3);
    expect(CATALOG_TRANSFER_PARAMS.pcieOneWay).toBe(55e9);
  });

  it('rows whose catalog value is the measurement itself are flagged, and are exact', () => {
    for (const r of rs.filter((x) => x.point.byConstruction)) expect(r.error, r.point.id).toBeCloseTo(0, 12);
  });
});
