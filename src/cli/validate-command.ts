/**
 * `kvsim validate [--fit] [--json]`: runs the built-in published data points (src/calibration/points.ts)
 * through kvsim's step-time model and prints predicted vs published with the error per point.
 * Exit code 1 if any point's |error| exceeds its tolerance, else 0.
 *
 * --fit fits each device's efficiency factors to its calibration points and prints them (it changes
 * no file; paste the values into src/cluster/catalog/hardware.ts). Exit code 1 if, with the fitted
 * factors, some point still exceeds its tolerance.
 */
import { DEVICES } from '../cluster/catalog/hardware.js';
import { FIT_FLOOR, fitAll, type FitResult } from '../calibration/fit.js';
import type { CalibrationPoint } from '../calibration/points.js';
import type { Efficiency } from '../calibration/predict.js';
import { validate, type ErrorStats, type PointResult, type ValidationReport } from '../calibration/validate.js';

export interface ValidateOptions {
  fit: boolean;
  json?: boolean;
}

type Write = (s: string) => void;

const pct = (x: number, d = 1): string => `${(x * 100).toFixed(d)}%`;
const signedPct = (x: number): string => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;
const int = (x: number): string => Math.round(x).toLocaleString('en-US');

function value(p: CalibrationPoint, v: number): string {
  return p.metric === 'latency' ? `${v.toFixed(2)} s` : int(v);
}

function setup(r: PointResult): string {
  const p = r.point;
  const engines = p.devices / p.tp;
  const batch = `B${r.prediction.batch}${r.prediction.kvLimited ? '*' : ''}`;
  return `${engines}×TP${p.tp} ${p.workload.input}/${p.workload.output} ${batch}`;
}

function resultWord(r: PointResult): string {
  if (!r.pass) return 'FAIL';
  return r.point.role === 'calibration' ? 'PASS' : 'ref';
}

const COLS: readonly [string, number, 'l' | 'r'][] = [
  ['point', 22, 'l'],
  ['device', 6, 'l'],
  ['setup', 21, 'l'],
  ['published', 10, 'r'],
  ['predicted', 10, 'r'],
  ['error', 8, 'r'],
  ['tol', 6, 'r'],
  ['result', 6, 'r'],
];

function line(cells: readonly string[]): string {
  return cells
    .map((c, i) => {
      const [, w, align] = COLS[i];
      return align === 'l' ? c.padEnd(w) : c.padStart(w);
    })
    .join(' ')
    .trimEnd();
}

/** The human-readable table (≤ 100 columns). */
export function formatReport(report: ValidationReport, title: string): string {
  const out: string[] = [title, ''];
  out.push(line(COLS.map(([h]) => h)));
  for (const r of report.results) {
    const p = r.point;
    out.push(
      line([
        p.id,
        p.device,
        setup(r),
        value(p, p.published),
        value(p, r.prediction.value),
        signedPct(r.error),
        pct(p.tolerance, 0),
        resultWord(r),
      ]),
    );
  }
  const c = report.calibration;
  const f = report.reference;
  out.push('');
  out.push(
    `calibration points (fitted): ${c.count}, max |error| ${pct(c.maxError)}, median |error| ${pct(c.medianError)}`,
  );
  out.push('  target: each within its tolerance (15%), median within 10%');
  if (f.count > 0) {
    out.push(
      `reference points (not fitted): ${f.count}, max |error| ${pct(f.maxError)}, median |error| ${pct(f.medianError)}`,
    );
  }
  out.push('throughput in output tokens/s of the whole system; latency in s (batch 1).');
  out.push('B = sequences per engine; * = limited by the KV pool.');
  out.push('ref = reference point (not fitted) within its documented gap.');
  out.push('Sources, setups and assumptions: src/calibration/points.ts; procedure: docs/calibration.md.');
  out.push(`result: ${report.pass ? 'PASS' : 'FAIL'}`);
  return `${out.join('\n')}\n`;
}

function effCells(e: Efficiency): string {
  return `${e.mfu.toFixed(3).padStart(5)} ${e.mbu.toFixed(2).padStart(5)} ${`${(e.stepOverhead * 1e3).toFixed(1)} ms`.padStart(9)}`;
}

/** The --fit table: fitted factors per device next to the catalog's (≤ 100 columns). */
export function formatFits(fits: readonly FitResult[]): string {
  const out: string[] = [
    'kvsim validate --fit — efficiency factors fitted to the calibration points (no file changed)',
    '',
    `${'device'.padEnd(6)} ${'pts'.padStart(3)} ${'mfu'.padStart(5)} ${'mbu'.padStart(5)} ${'overhead'.padStart(9)} |` +
      ` ${'catalog mfu'.padStart(11)} ${'mbu'.padStart(5)} ${'overhead'.padStart(9)} | ${'max err'.padStart(7)} ${'median'.padStart(7)}`,
  ];
  for (const f of fits) {
    const cat = DEVICES[f.device].efficiency;
    out.push(
      `${f.device.padEnd(6)} ${String(f.points.length).padStart(3)} ${effCells(f.efficiency)} |` +
        ` ${effCells(cat).padStart(27)} | ${pct(f.maxError).padStart(7)} ${pct(f.medianError).padStart(7)}`,
    );
  }
  out.push('');
  out.push("Objective: smallest max |error| over the device's calibration points; errors under");
  out.push(`${pct(FIT_FLOOR, 0)} count as equal, ties go to the prior guess (src/calibration/fit.ts).`);
  out.push('Paste changed values into src/cluster/catalog/hardware.ts (efficiency and sources.efficiency).');
  return `${out.join('\n')}\n`;
}

function jsonStats(s: ErrorStats): unknown {
  return { count: s.count, max_error: s.maxError, median_error: s.medianError };
}

function jsonReport(report: ValidationReport): unknown {
  return {
    pass: report.pass,
    calibration: jsonStats(report.calibration),
    reference: jsonStats(report.reference),
    points: report.results.map((r) => ({
      id: r.point.id,
      device: r.point.device,
      role: r.point.role,
      metric: r.point.metric,
      published: r.point.published,
      predicted: r.prediction.value,
      error: r.error,
      tolerance: r.point.tolerance,
      pass: r.pass,
      batch: r.prediction.batch,
      kv_limited: r.prediction.kvLimited,
      source: r.point.source,
    })),
  };
}

/** Runs `kvsim validate`; returns the process exit code. */
export function validateCommand(opts: ValidateOptions, write: Write = (s) => void process.stdout.write(s)): number {
  if (!opts.fit) {
    const report = validate();
    if (opts.json) write(`${JSON.stringify(jsonReport(report), null, 2)}\n`);
    else write(formatReport(report, 'kvsim validate — published vs predicted (catalog efficiency factors)'));
    return report.pass ? 0 : 1;
  }
  const fits = fitAll();
  const overrides: Record<string, Efficiency> = {};
  for (const f of fits) overrides[f.device] = f.efficiency;
  const report = validate(undefined, overrides);
  if (opts.json) {
    write(
      `${JSON.stringify(
        {
          fits: fits.map((f) => ({
            device: f.device,
            efficiency: f.efficiency,
            catalog: DEVICES[f.device].efficiency,
            points: f.points,
            errors: f.errors,
            max_error: f.maxError,
            median_error: f.medianError,
          })),
          with_fitted_factors: jsonReport(report),
        },
        null,
        2,
      )}\n`,
    );
  } else {
    write(formatFits(fits));
    write('\n');
    write(formatReport(report, 'With the fitted factors:'));
  }
  return report.pass ? 0 : 1;
}
