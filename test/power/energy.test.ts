import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emptyStepCost } from '../../src/cluster/step-time.js';
import { PoolStats } from '../../src/metrics/collector.js';
import { poolEnergy, type PoolPowerShape } from '../../src/power/energy.js';
import { scenarioSchema } from '../../src/scenario/schema.js';

const power = (over: Record<string, number> = {}) => ({ ...scenarioSchema.shape.power.parse({}), ...over });

const medium: PoolPowerShape = { devices: 8, tp: 2, idleWatts: 90, tdpWatts: 750, nodes: 4, nicsPerNode: 2, activeTime: 100 };

describe('pool energy', () => {
  it('adds idle, activity, hosts, NICs and the PUE share (hand-computed)', () => {
    const e = poolEnergy(medium, 600, power({ host_watts: 1000, nic_watts: 25, pue: 1.3 }), { outputTokens: 1e6, totalTokens: 4e6 });
    // idle 8·90·600 = 432,000 J; active (750−90)·2 devices per instance·100 s = 132,000 J
    expect(e.devices_idle_j).toBeCloseTo(432_000, 6);
    expect(e.devices_j).toBeCloseTo(564_000, 6);
    expect(e.hosts_j).toBeCloseTo(2_400_000, 6); // 4 nodes · 1000 W · 600 s
    expect(e.nics_j).toBeCloseTo(120_000, 6); // 4 · 2 · 25 W · 600 s
    expect(e.facility_j).toBeCloseTo(0.3 * 3_084_000, 6);
    expect(e.joules).toBeCloseTo(4_009_200, 6);
    expect(e.per_output_token_j).toBeCloseTo(4.0092, 9);
    expect(e.per_token_j).toBeCloseTo(1.0023, 9);
    expect(e.mean_device_watts).toBeCloseTo(564_000 / (8 * 600), 9); // 117.5 W
  });

  it('a device that never works draws its idle power', () => {
    const e = poolEnergy({ ...medium, activeTime: 0 }, 3600, power(), { outputTokens: 0, totalTokens: 0 });
    expect(e.mean_device_watts).toBe(90);
    expect(e.devices_j).toBe(e.devices_idle_j);
    const none = new PoolStats();
    expect(none.activeTime).toBe(0);
  });

  it('a device busy at the calibrated compute rate all the time draws its TDP', () => {
    // 4 instances × 2 devices, each instance computing 600 s of a 600 s run.
    const e = poolEnergy({ ...medium, activeTime: 4 * 600 }, 600, power(), { outputTokens: 1, totalTokens: 1 });
    expect(e.mean_device_watts).toBeCloseTo(750, 9);
  });

  it('step activity: compute-bound kernels at full dynamic power, memory-bound ones at memory_activity, never above the step time', () => {
    const s = new PoolStats();
    s.memoryActivity = 0.35;
    const step = (compute: number, memory: number, time: number) => {
      const c = emptyStepCost();
      Object.assign(c, { compute, memory, time, computeBound: compute >= memory });
      s.addStep(c, 1);
    };
    step(0.01, 0.03, 0.045); // decode-like: 0.01 + 0.35·0.03 = 0.0205 (the rest is overhead)
    step(0.55, 0.3, 0.6); // inconsistent on purpose: 0.55 + 0.105 = 0.655 > 0.6, capped at the step time
    expect(s.activeTime).toBeCloseTo(0.6205, 12);
  });

  it('property: parts sum to the total and mean device power stays within [idle, TDP]', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 64 }),
        fc.constantFrom(1, 2, 4, 8),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 1, max: 1e5, noNaN: true }),
        fc.double({ min: 1, max: 2, noNaN: true }),
        (nodes, tp, busy, makespan, pue) => {
          const devices = nodes * 8;
          const shape = { devices, tp, idleWatts: 100, tdpWatts: 900, nodes, nicsPerNode: 4, activeTime: (busy * makespan * devices) / tp };
          const e = poolEnergy(shape, makespan, power({ pue }), { outputTokens: 1000, totalTokens: 5000 });
          expect(e.devices_j + e.hosts_j + e.nics_j + e.facility_j).toBeCloseTo(e.joules, 3);
          expect(e.mean_device_watts).toBeGreaterThanOrEqual(100 - 1e-9);
          expect(e.mean_device_watts).toBeLessThanOrEqual(900 + 1e-9);
        },
      ),
    );
  });
});
