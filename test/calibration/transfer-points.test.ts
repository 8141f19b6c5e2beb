import { describe, it, expect } from 'vitest';
import { TRANSFER_POINTS, validateTransfers } from '../../src/calibration/transfer-points.js';

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

  it('rows whose catalog value is the measurement itself are flagged, and are exact', () => {
    for (const r of rs.filter((x) => x.point.byConstruction)) expect(r.error, r.point.id).toBeCloseTo(0, 12);
  });
});
