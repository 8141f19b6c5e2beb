/**
 * Fit of a device's efficiency factors (mfu, mbu, stepOverhead) to its calibration points
 * (`kvsim validate --fit`). Deterministic: a fixed grid, fixed priors, no randomness.
 *
 * Objective: the largest relative error over the device's calibration points (the same predictions
 * `kvsim validate` prints, see predict.ts). Errors below FIT_FLOOR count as equal — the published
 * numbers are not more precise than that (MLPerf runs repeat to a few %, vendor pages vary ±25%) —
 * and ties go to the candidate closest to the prior guess (the uncalibrated catalog values, kept
 * here so that the fit does not depend on what the catalog currently says). A device with one
 * point therefore moves only as far from its prior as that point requires.
 *
 * Search: a coarse grid over the physical bounds (mfu step 0.02, mbu step 0.05, overhead step
 * 1 ms), then a fine grid (0.005, 0.01, 0.1 ms) of ±1 coarse step around the coarse optimum.
 * Bounds: mfu ≤ the best measured matmul throughput (stas00/ml-engineering accelerator table) for the dtype the
 * points run (a ceiling for any end-to-end MFU), mbu ≤ 0.9, stepOverhead 0–15 ms.
 */
import type { CalibrationPoint } from './points.js';
import { POINTS } from './points.js';
import { predictPoint, relativeError, type Efficiency } from './predict.js';

/** Errors below this count as a perfect fit (ties broken by closeness to the prior). */
export const FIT_FLOOR = 0.02;

export const MBU_BOUNDS: readonly [number, number] = [0.3, 0.9];
export const OVERHEAD_BOUNDS: readonly [number, number] = [0, 15e-3];
export const MFU_MIN = 0.05;

/**
 * Upper bound on mfu per device: best measured matmul throughput as a share of the peak of the dtype
 * the calibration points run (FP8 everywhere), stas00/ml-engineering compute/accelerator README "TFLOPS comparison".
 */
export const MFU_CEILING: Readonly<Record<string, { value: number; note: string }>> = {
  h100: { value: 0.73, note: 'H100/H200: 71–73% of FP8 peak' },
  h200: { value: 0.73, note: 'H100/H200: 71–73% of FP8 peak' },
  mi300x: { value: 0.51, note: 'MI300X: 51% (ROCm 6.3; 35% on ROCm 6.1)' },
  mi325x: { value: 0.6, note: 'MI325X: 60%' },
  gaudi3: { value: 0.68, note: 'Gaudi3: 68% of 1835 TFLOPS' },
  gaudi2: { value: 0.97, note: 'Gaudi2: 97%' },
  a100: { value: 0.87, note: 'A100: 87%' },
  b200: { value: 0.78, note: 'B200: 78%' },
};

/** The uncalibrated first guesses of the catalog (tie-break target; see the file comment). */
export const PRIORS: Readonly<Record<string, Efficiency>> = {
  mi300x: { mfu: 0.4, mbu: 0.7, stepOverhead: 4e-3 },
  mi325x: { mfu: 0.45, mbu: 0.7, stepOverhead: 4e-3 },
  gaudi3: { mfu: 0.5, mbu: 0.7, stepOverhead: 4e-3 },
  gaudi2: { mfu: 0.6, mbu: 0.75, stepOverhead: 4e-3 },
  h100: { mfu: 0.55, mbu: 0.8, stepOverhead: 3e-3 },
  h200: { mfu: 0.55, mbu: 0.8, stepOverhead: 3e-3 },
  a100: { mfu: 0.6, mbu: 0.8, stepOverhead: 3e-3 },
  b200: { mfu: 0.5, mbu: 0.75, stepOverhead: 3e-3 },
};

export interface FitResult {
  readonly device: string;
  readonly efficiency: Efficiency;
  /** Ids of the points fitted. */
  readonly points: readonly string[];
  /** |relative error| per fitted point, same order as `points`. */
  readonly errors: readonly number[];
  readonly maxError: number;
  readonly medianError: number;
  /** Parameter sets evaluated. */
  readonly evaluated: number;
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Calibration points grouped by device, devices in first-appearance order. */
export function calibrationDevices(points: readonly CalibrationPoint[] = POINTS): Map<string, CalibrationPoint[]> {
  const by = new Map<string, CalibrationPoint[]>();
  for (const p of points) {
    if (p.role !== 'calibration') continue;
    const list = by.get(p.device) ?? [];
    list.push(p);
    by.set(p.device, list);
  }
  return by;
}

/** Grid values lo, lo + step, … ≤ hi, rounded to kill float drift. */
function grid(lo: number, hi: number, step: number): number[] {
  const out: number[] = [];
  const n = Math.floor((hi - lo) / step + 1e-9);
  for (let i = 0; i <= n; i++) out.push(Math.round((lo + i * step) * 1e9) / 1e9);
  return out;
}

function distanceToPrior(e: Efficiency, prior: Efficiency): number {
  const d1 = (e.mfu - prior.mfu) / prior.mfu;
  const d2 = (e.mbu - prior.mbu) / prior.mbu;
  const d3 = (e.stepOverhead - prior.stepOverhead) / prior.stepOverhead;
  return d1 * d1 + d2 * d2 + d3 * d3;
}

interface Candidate {
  e: Efficiency;
  errors: number[];
  score: number; // max(maxError, FIT_FLOOR)
  dist: number;
}

function better(a: Candidate, b: Candidate | undefined): boolean {
  if (b === undefined) return true;
  if (a.score !== b.score) return a.score < b.score;
  return a.dist < b.dist;
}

/** Fits one device's factors to `points` (all must be on that device). */
export function fitDevice(device: string, points: readonly CalibrationPoint[]): FitResult {
  const prior = PRIORS[device];
  const ceiling = MFU_CEILING[device];
  if (prior === undefined || ceiling === undefined) throw new Error(`no fit bounds for device "${device}"`);
  if (points.length === 0) throw new Error(`no calibration points for device "${device}"`);
  let evaluated = 0;
  const evaluate = (e: Efficiency): Candidate => {
    evaluated++;
    const errors = points.map((p) => Math.abs(relativeError(p, predictPoint(p, e).value)));
    const maxError = Math.max(...errors);
    return { e, errors, score: Math.max(maxError, FIT_FLOOR), dist: distanceToPrior(e, prior) };
  };
  const search = (mfus: number[], mbus: number[], overheads: number[], best?: Candidate): Candidate => {
    for (const mfu of mfus) {
      for (const mbu of mbus) {
        for (const stepOverhead of overheads) {
          const c = evaluate({ mfu, mbu, stepOverhead });
          if (better(c, best)) best = c;
        }
      }
    }
    if (best === undefined) throw new Error('empty fit grid');
    return best;
  };
  const clip = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));
  const coarse = search(
    grid(MFU_MIN, ceiling.value, 0.02),
    grid(MBU_BOUNDS[0], MBU_BOUNDS[1], 0.05),
    grid(OVERHEAD_BOUNDS[0], OVERHEAD_BOUNDS[1], 1e-3),
  );
  const c = coarse.e;
  const fine = search(
    grid(clip(c.mfu - 0.02, MFU_MIN, ceiling.value), clip(c.mfu + 0.02, MFU_MIN, ceiling.value), 0.005),
    grid(clip(c.mbu - 0.05, MBU_BOUNDS[0], MBU_BOUNDS[1]), clip(c.mbu + 0.05, MBU_BOUNDS[0], MBU_BOUNDS[1]), 0.01),
    grid(
      clip(c.stepOverhead - 1e-3, OVERHEAD_BOUNDS[0], OVERHEAD_BOUNDS[1]),
      clip(c.stepOverhead + 1e-3, OVERHEAD_BOUNDS[0], OVERHEAD_BOUNDS[1]),
      1e-4,
    ),
    coarse,
  );
  return {
    device,
    efficiency: fine.e,
    points: points.map((p) => p.id),
    errors: fine.errors,
    maxError: Math.max(...fine.errors),
    medianError: median(fine.errors),
    evaluated,
  };
}

/** Fits every device that has calibration points. */
export function fitAll(points: readonly CalibrationPoint[] = POINTS): FitResult[] {
  return [...calibrationDevices(points)].map(([device, list]) => fitDevice(device, list));
}
