/**
 * `kvsim validate`: every point predicted twice (pure; no I/O).
 *   in-sample        — with the catalog factors, which are the fit to all calibration points (fit.test.ts);
 *   cross-validated  — leave one group out: for each group (one source's points of one device), the device's
 *                      factors are refitted on the device's other groups plus the priors, and the held-out
 *                      group is predicted with them. A device with one group is predicted from its priors
 *                      alone (nothing else to learn from).
 * The verdict is on the cross-validated errors, per device with at least two groups (one group has nothing
 * to be checked against): median |error| ≤ CV_MEDIAN_TARGET and every point ≤ CV_POINT_TARGET. These
 * targets are fixed numbers from the issue, never derived from an observed error.
 */
import type { CalibrationPoint } from './points.js';
import { POINTS } from './points.js';
import { DEVICES } from '../cluster/catalog/hardware.js';
import { calibrationDevices, fitDevice, median, withFactors } from './fit.js';
import { predictPoint, relativeError, type Prediction } from './predict.js';

export const CV_MEDIAN_TARGET = 0.12;
export const CV_POINT_TARGET = 0.25;

export interface PointResult {
  readonly point: CalibrationPoint;
  /** With the catalog factors. */
  readonly prediction: Prediction;
  /** Signed (predicted − published) / published, catalog factors. */
  readonly error: number;
  /** Leave-one-group-out prediction and error (calibration points only). */
  readonly cvPrediction?: Prediction;
  readonly cvError?: number;
  /** True when the held-out prediction used priors only (the device's only group). */
  readonly cvPriorOnly?: boolean;
}

export interface DeviceVerdict {
  readonly device: string;
  readonly groups: number;
  readonly points: number;
  readonly inSampleMedian: number;
  readonly inSampleMax: number;
  readonly cvMedian: number;
  readonly cvMax: number;
  /** Judged only with ≥ 2 groups. */
  readonly judged: boolean;
  readonly pass: boolean;
}

export interface ValidationReport {
  readonly results: readonly PointResult[];
  readonly devices: readonly DeviceVerdict[];
  readonly pass: boolean;
}

/** Leave-one-group-out predictions of every calibration point, keyed by point id. */
export function crossValidate(points: readonly CalibrationPoint[] = POINTS): Map<string, { prediction: Prediction; priorOnly: boolean }> {
  const out = new Map<string, { prediction: Prediction; priorOnly: boolean }>();
  for (const [device, list] of calibrationDevices(points)) {
    const groups = [...new Set(list.map((p) => p.group))];
    for (const g of groups) {
      const train = list.filter((p) => p.group !== g);
      const fit = fitDevice(device, train);
      const dev = withFactors(DEVICES[device], fit.factors);
      for (const p of list.filter((q) => q.group === g)) {
        out.set(p.id, { prediction: predictPoint(p, dev), priorOnly: train.length === 0 });
      }
    }
  }
  return out;
}

/** Runs the points (default: the built-in ones); `crossValidated` false skips the refits (user points). */
export function validate(points: readonly CalibrationPoint[] = POINTS, crossValidated = true): ValidationReport {
  const cv = crossValidated ? crossValidate(points) : new Map<string, { prediction: Prediction; priorOnly: boolean }>();
  const results = points.map((point): PointResult => {
    const prediction = predictPoint(point);
    const error = relativeError(point, prediction.value);
    const c = cv.get(point.id);
    if (c === undefined) return { point, prediction, error };
    return { point, prediction, error, cvPrediction: c.prediction, cvError: relativeError(point, c.prediction.value), cvPriorOnly: c.priorOnly };
  });
  const devices: DeviceVerdict[] = [];
  if (crossValidated) {
    for (const device of calibrationDevices(points).keys()) {
      const rs = results.filter((r) => r.point.device === device && r.point.role === 'calibration');
      const groups = new Set(rs.map((r) => r.point.group)).size;
      const ins = rs.map((r) => Math.abs(r.error));
      const cvs = rs.map((r) => Math.abs(r.cvError ?? NaN));
      const cvMedian = median(cvs);
      const cvMax = Math.max(...cvs);
      const judged = groups >= 2;
      devices.push({
        device,
        groups,
        points: rs.length,
        inSampleMedian: median(ins),
        inSampleMax: Math.max(...ins),
        cvMedian,
        cvMax,
        judged,
        pass: !judged || (cvMedian <= CV_MEDIAN_TARGET && cvMax <= CV_POINT_TARGET),
      });
    }
  }
  return { results, devices, pass: devices.every((d) => d.pass) };
}
