import { describe, it, expect } from 'vitest';
import { gpuDirectBandwidth, hostDramBandwidth } from '../../src/hardware/host-path.js';

describe('striped NIC bandwidth and the host uplinks', () => {
  const GB = 1e9;
  // 8 × 400 Gb/s = 8 · 50e9 B/s line rate; 0.9 achieved per NIC → 360e9 B/s.
  const eight400 = { nics: 8, lineRate: 50 * GB, efficiency: 0.9 };

  it('GPUDirect: NICs add up at line rate × efficiency', () => {
    expect(gpuDirectBandwidth(eight400)).toBeCloseTo(360 * GB, -3);
  });

  it('host DRAM: capped by ⌈nics / nicsPerUplink⌉ uplinks × the one-way rate of one x16 link', () => {
    // 8 NICs, 2 per uplink → 4 uplinks · 50e9 = 200e9 < 360e9.
    expect(hostDramBandwidth(eight400, { nicsPerUplink: 2, uplinkOneWay: 50 * GB })).toBeCloseTo(200 * GB, -3);
    // 4 × 200 Gb/s (25e9 each, 0.9 → 90e9) over 2 uplinks of 55e9 = 110e9: the NICs bind.
    expect(hostDramBandwidth({ nics: 4, lineRate: 25 * GB, efficiency: 0.9 }, { nicsPerUplink: 2, uplinkOneWay: 55 * GB })).toBeCloseTo(
      90 * GB,
      -3,
    );
    // An odd NIC count still needs its own uplink: 3 NICs, 2 per uplink → 2 uplinks.
    expect(hostDramBandwidth({ nics: 3, lineRate: 50 * GB, efficiency: 1 }, { nicsPerUplink: 2, uplinkOneWay: 40 * GB })).toBeCloseTo(
      80 * GB,
      -3,
    );
  });

  it('never exceeds the GPUDirect bandwidth, and grows with the uplink rate', () => {
    for (const up of [10, 40, 60, 100, 1000]) {
      const h = hostDramBandwidth(eight400, { nicsPerUplink: 2, uplinkOneWay: up * GB });
      expect(h).toBeLessThanOrEqual(gpuDirectBandwidth(eight400));
      expect(h).toBeGreaterThanOrEqual(hostDramBandwidth(eight400, { nicsPerUplink: 2, uplinkOneWay: (up / 2) * GB }));
    }
  });
});
