/**
 * Runs the calibration points through the prediction procedure and summarises the errors
 * (`kvsim validate`). Pure: no I/O.
 */
import type { CalibrationPoint } from './points.js';
import { POINTS } from './points.js';
import { median } from './fit.js';
import { predictPoint, relativeError, type Efficiency, type Prediction } from './predict.js';

export interface PointResult {
  readonly point: CalibrationPoint;
  readonly prediction: Prediction;
  /** Signed (predicted − published) / published. */
  readonly error: number;
  /** |error| ≤ tolerance. */
  readonly pass: boolean;
}

export interface ErrorStats {
  readonly count: number;
  readonly maxError: number;
  readonly medianError: number;
}

export interface ValidationReport {
  readonly results: readonly PointResult[];
  /** Over the calibration points (the ones the factors were fitted to). */
  readonly calibration: ErrorStats;
  /** Over the reference points (shown, not fitted). */
  readonly reference: ErrorStats;
  /** Every point within its tolerance. */
  readonly pass: boolean;
}

function stats(rs: readonly PointResult[]): ErrorStats {
  const errs = rs.map((r) => Math.abs(r.error));
  return { count: rs.length, maxError: errs.length > 0 ? Math.max(...errs) : NaN, medianError: median(errs) };
}

/** Predicts every point with the catalog factors, or with `overrides[device]` where given. */
export function validate(
  points: readonly CalibrationPoint[] = POINTS,
  overrides: Readonly<Record<string, Efficiency>> = {},
): ValidationReport {
  const results = points.map((point): PointResult => {
    const prediction = predictPoint(point, overrides[point.device]);
    const error = relativeError(point, prediction.value);
    return { point, prediction, error, pass: Math.abs(error) <= point.tolerance };
  });
  return {
    results,
    calibration: stats(results.filter((r) => r.point.role === 'calibration')),
    reference: stats(results.filter((r) => r.point.role === 'reference')),
    pass: results.every((r) => r.pass),
  };
}
