import { describe, it, expect } from 'vitest';
import { DEVICES } from '../../src/cluster/catalog/hardware.js';
import { POINTS, type CalibrationPoint } from '../../src/calibration/points.js';
import {
  FIT_FLOOR,
  MBU_BOUNDS,
  MFU_CEILING,
  OVERHEAD_BOUNDS,
  calibrationDevices,
  fitAll,
  fitDevice,
  median,
} from '../../src/calibration/fit.js';
import { predictPoint } from '../../src/calibration/predict.js';
import { validateCommand } from '../../src/cli/validate-command.js';

const first = fitAll();

describe('efficiency fit', () => {
  it('is deterministic', () => {
    expect(fitAll()).toEqual(first);
  });

  it('fits every device with calibration points, within the physical bounds', () => {
    expect(first.map((f) => f.device)).toEqual([...calibrationDevices().keys()]);
    for (const f of first) {
      const e = f.efficiency;
      expect(e.mfu, f.device).toBeLessThanOrEqual(MFU_CEILING[f.device].value);
      expect(e.mfu, f.device).toBeGreaterThan(0);
      expect(e.mbu, f.device).toBeGreaterThanOrEqual(MBU_BOUNDS[0]);
      expect(e.mbu, f.device).toBeLessThanOrEqual(MBU_BOUNDS[1]);
      expect(e.stepOverhead, f.device).toBeGreaterThanOrEqual(OVERHEAD_BOUNDS[0]);
      expect(e.stepOverhead, f.device).toBeLessThanOrEqual(OVERHEAD_BOUNDS[1]);
      expect(f.maxError, f.device).toBe(Math.max(...f.errors));
    }
  });

  it('the catalog holds the fitted values (hardware.ts was pasted from `kvsim validate --fit`)', () => {
    for (const f of first) {
      const cat = DEVICES[f.device].efficiency;
      expect(cat.mfu, f.device).toBeCloseTo(f.efficiency.mfu, 9);
      expect(cat.mbu, f.device).toBeCloseTo(f.efficiency.mbu, 9);
      expect(cat.stepOverhead, f.device).toBeCloseTo(f.efficiency.stepOverhead, 9);
      expect(DEVICES[f.device].sources.efficiency, f.device).toMatch(/kvsim validate --fit/);
      expect(DEVICES[f.device].sources.efficiency, f.device).toContain(`${(f.maxError * 100).toFixed(1)}%`);
    }
    const fitted = new Set(first.map((f) => f.device));
    for (const d of Object.values(DEVICES)) {
      if (!fitted.has(d.id)) expect(d.sources.efficiency, d.id).toMatch(/uncalibrated/);
    }
  });

  it('recovers known factors from synthetic measurements', () => {
    const truth = { mfu: 0.42, mbu: 0.66, stepOverhead: 7e-3 };
    const synthetic: CalibrationPoint[] = POINTS.filter((p) => p.device === 'gaudi3').map((p) => ({
      ...p,
      published: predictPoint(p, truth).value,
    }));
    const f = fitDevice('gaudi3', synthetic);
    expect(f.maxError).toBeLessThanOrEqual(FIT_FLOOR);
    expect(f.efficiency.mfu).toBeCloseTo(truth.mfu, 1);
    expect(f.efficiency.mbu).toBeCloseTo(truth.mbu, 1);
    expect(Math.abs(f.efficiency.stepOverhead - truth.stepOverhead)).toBeLessThan(2e-3);
  });

  it('median', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('kvsim validate --fit prints the fitted factors within 100 columns and changes nothing', () => {
    const before = JSON.stringify(Object.values(DEVICES).map((d) => d.efficiency));
    let out = '';
    const code = validateCommand({ fit: true }, (s) => void (out += s));
    expect(code).toBe(0);
    for (const f of first) expect(out).toContain(`${f.device.padEnd(6)} ${String(f.points.length).padStart(3)}`);
    for (const line of out.split('\n')) expect(line.length, line).toBeLessThanOrEqual(100);
    expect(JSON.stringify(Object.values(DEVICES).map((d) => d.efficiency))).toBe(before);
  });
});
