/**
 * `kvsim validate [--fit] [--json] [--points FILE]`.
 *   (default)  the built-in published points (src/calibration/points.ts): predicted with the catalog factors
 *              (in-sample) and leave-one-group-out (cross-validated), the per-device verdict on the
 *              cross-validated errors. Exit 1 when a judged device misses its targets.
 *   --fit      fits every device's factors to all its calibration points and prints them next to the
 *              catalog's (changes no file; paste into src/cluster/catalog/hardware.ts).
 *   --points   an operator's own measurements (src/calibration/user-points.ts), predicted with the catalog
 *              factors by the same procedure; nothing is fitted or judged (exit 0). Bad file: exit 2.
 */
import { DEVICES } from '../cluster/catalog/hardware.js';
import { catalogFactors, fitAll, type DeviceFactors, type FitResult } from '../calibration/fit.js';
import type { CalibrationPoint } from '../calibration/points.js';
import { loadUserPoints } from '../calibration/user-points.js';
import { CV_MEDIAN_TARGET, CV_POINT_TARGET, validate, type PointResult, type ValidationReport } from '../calibration/validate.js';
import { InputError } from '../scenario/input-error.js';
import { validateTransfers, type TransferResult } from '../calibration/transfer-points.js';
import { formatInteger } from '../util/format-number.js';

export interface ValidateOptions {
  fit: boolean;
  json?: boolean;
  /** A user points file (YAML or CSV). */
  points?: string;
}

type Write = (s: string) => void;

const pct = (x: number, d = 1): string => `${(x * 100).toFixed(d)}%`;
const signedPct = (x: number | undefined): string => (x === undefined ? '' : `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`);
const int = (x: number): string => formatInteger(Math.round(x));

function value(p: CalibrationPoint, v: number): string {
  if (p.metric === 'latency') return `${v.toFixed(2)} s`;
  if (p.metric === 'first-token') return `${(v * 1e3).toFixed(1)} ms`;
  return int(v);
}

function setup(r: PointResult): string {
  const p = r.point;
  const engines = p.devices / p.tp;
  const batch = `B${r.prediction.batch}${r.prediction.kvLimited ? '*' : ''}`;
  return `${engines}×TP${p.tp} ${p.workload.input}/${p.workload.output} ${batch}`;
}

const COLS: readonly [string, number, 'l' | 'r'][] = [
  ['point', 24, 'l'],
  ['device', 6, 'l'],
  ['setup', 21, 'l'],
  ['published', 10, 'r'],
  ['predicted', 10, 'r'],
  ['in-smpl', 8, 'r'],
  ['x-valid', 8, 'r'],
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

function cvCell(r: PointResult): string {
  if (r.point.role === 'reference') return 'ref';
  return `${signedPct(r.cvError)}${r.cvPriorOnly ? 'ᵖ' : ''}`;
}

/** The human-readable table (≤ 100 columns). */
export function formatReport(report: ValidationReport, title: string): string {
  const out: string[] = [title, ''];
  out.push(line(COLS.map(([h]) => h)));
  for (const r of report.results) {
    const p = r.point;
    out.push(line([p.id, p.device, setup(r), value(p, p.published), value(p, r.prediction.value), signedPct(r.error), cvCell(r)]));
  }
  if (report.devices.length > 0) {
    out.push('');
    out.push('device groups points | in-sample median   max | x-valid median    max | verdict');
    for (const d of report.devices) {
      const verdict = !d.judged ? 'not judged (1 group)' : d.pass ? 'PASS' : 'FAIL';
      out.push(
        `${d.device.padEnd(6)} ${String(d.groups).padStart(6)} ${String(d.points).padStart(6)} |` +
          ` ${pct(d.inSampleMedian).padStart(16)} ${pct(d.inSampleMax).padStart(6)} |` +
          ` ${pct(d.cvMedian).padStart(14)} ${pct(d.cvMax).padStart(6)} | ${verdict}`,
      );
    }
    out.push('');
    out.push('in-smpl: catalog factors (fitted to every calibration point). x-valid: the point\'s group');
    out.push('(one source on one device) left out of the fit; ᵖ = priors only (the device\'s only group).');
    out.push(
      `Verdict per device with ≥ 2 groups: x-valid median ≤ ${pct(CV_MEDIAN_TARGET, 0)}, every point ≤ ${pct(CV_POINT_TARGET, 0)}.`,
    );
    out.push('ref = reference point (MLPerf Server: needs queueing), not fitted, not judged.');
  }
  out.push('Throughput in tokens/s of the whole system; latency in s, first-token latency in ms (batch 1).');
  out.push('B = sequences per engine; * = limited by the KV pool.');
  out.push('Sources, setups and assumptions: src/calibration/points.ts; procedure: docs/calibration.md.');
  if (report.devices.length > 0) out.push(`result: ${report.pass ? 'PASS' : 'FAIL'}`);
  return `${out.join('\n')}\n`;
}

/** The transfer / cache-tier table (≤ 100 columns). */
export function formatTransfers(rs: readonly TransferResult[]): string {
  const gbs = (x: number): string => `${(x / 1e9).toFixed(1)} GB/s`;
  const out = ['Transfer and cache-tier points (catalog bandwidths vs published):', ''];
  out.push(`${'point'.padEnd(20)} ${'published'.padStart(11)} ${'catalog'.padStart(11)} ${'error'.padStart(8)} ${'x-valid'.padStart(8)}`);
  for (const r of rs) {
    const err = `${signedPct(r.error)}${r.point.byConstruction ? 'ᶜ' : ''}`;
    const cv = r.cvError === undefined ? '' : signedPct(r.cvError);
    out.push(
      `${r.point.id.padEnd(20)} ${gbs(r.point.measured).padStart(11)} ${gbs(r.predicted).padStart(11)} ${err.padStart(8)} ${cv.padStart(8)}`.trimEnd(),
    );
  }
  out.push('ᶜ = the catalog value was taken from this measurement. x-valid: the PCIe one-way rate solved');
  out.push('from the other row that measures it (vLLM offload one way ↔ Mooncake 8×400 via the host uplinks).');
  out.push('Sources, paths and what is not modelled: src/calibration/transfer-points.ts.');
  return `${out.join('\n')}\n`;
}

function factorCells(f: DeviceFactors): string {
  return (
    `${f.gemm.bf16.toFixed(3)} ${f.gemm.fp8.toFixed(3)} ${f.hbm.toFixed(2)} ${f.prefillAttention.toFixed(2)} ` +
    `${f.decodeAttention.toFixed(2)} ${(f.stepOverhead * 1e3).toFixed(2).padStart(5)} ${(f.seqOverhead * 1e6).toFixed(1).padStart(5)} ` +
    `${f.busEfficiency.toFixed(2)} ${(f.hopLatency * 1e6).toFixed(1).padStart(4)}` +
    (f.harnessStepOverhead === undefined ? '' : ` ${(f.harnessStepOverhead * 1e3).toFixed(2).padStart(5)}`)
  );
}

/** The --fit table: fitted factors per device next to the catalog's (≤ 100 columns). */
export function formatFits(fits: readonly FitResult[]): string {
  const out: string[] = [
    'kvsim validate --fit — factors fitted to every calibration point (points + priors; no file changed)',
    '',
    '                gemm        hbm  attn attn  step   seq   bus  hop  harness',
    'device  pts  bf16  fp8          pre  dec   ms    µs   eff   µs  step ms',
  ];
  for (const f of fits) {
    const cat = catalogFactors(DEVICES[f.device]);
    out.push(`${f.device.padEnd(6)} ${String(f.points.length).padStart(4)} ${factorCells(f.factors)}`);
    out.push(`${'  catalog'.padEnd(11)} ${factorCells(cat)}`);
  }
  out.push('');
  out.push('Paste changed values into src/cluster/catalog/hardware.ts (efficiency, scaleUp.busEfficiency,');
  out.push('scaleUp.latency; harness step: efficiency.harnessStepOverhead, the benchmark harness\'s host');
  out.push('cost per step, calibration only). Priors and widths: src/calibration/priors.ts; objective:');
  out.push('src/calibration/fit.ts.');
  return `${out.join('\n')}\n`;
}

function jsonReport(report: ValidationReport): unknown {
  return {
    pass: report.pass,
    devices: report.devices.map((d) => ({
      device: d.device,
      groups: d.groups,
      points: d.points,
      in_sample: { median_error: d.inSampleMedian, max_error: d.inSampleMax },
      cross_validated: { median_error: d.cvMedian, max_error: d.cvMax },
      judged: d.judged,
      pass: d.pass,
    })),
    points: report.results.map((r) => ({
      id: r.point.id,
      device: r.point.device,
      group: r.point.group,
      role: r.point.role,
      metric: r.point.metric,
      published: r.point.published,
      predicted: r.prediction.value,
      error: r.error,
      cv_predicted: r.cvPrediction?.value ?? null,
      cv_error: r.cvError ?? null,
      cv_prior_only: r.cvPriorOnly ?? null,
      batch: r.prediction.batch,
      kv_limited: r.prediction.kvLimited,
      source: r.point.source,
    })),
  };
}

/** Runs `kvsim validate`; returns the process exit code. Throws InputError for a bad --points file. */
export function validateCommand(opts: ValidateOptions, write: Write = (s) => void process.stdout.write(s)): number {
  if (opts.points !== undefined) {
    const file = opts.points;
    const points = loadUserPoints(file);
    let report: ValidationReport;
    try {
      report = validate(points, false);
    } catch (e) {
      // The only failure of a well-formed point: its model or one sequence does not fit the devices' HBM.
      throw new InputError(file, '', (e as Error).message);
    }
    if (opts.json) write(`${JSON.stringify(jsonReport(report), null, 2)}\n`);
    else write(formatReport(report, `kvsim validate --points ${file} — measured vs predicted (catalog factors)`).replace(/published/, 'measured '));
    return 0;
  }
  if (!opts.fit) {
    const report = validate();
    const transfers = validateTransfers();
    if (opts.json) {
      const t = transfers.map((r) => ({
        id: r.point.id,
        path: r.point.path,
        published: r.point.measured,
        predicted: r.predicted,
        error: r.error,
        cv_predicted: r.cvPredicted ?? null,
        cv_error: r.cvError ?? null,
        by_construction: r.point.byConstruction,
        source: r.point.source,
      }));
      write(`${JSON.stringify({ ...(jsonReport(report) as object), transfers: t }, null, 2)}\n`);
    } else {
      write(formatReport(report, 'kvsim validate — published vs predicted (in-sample and cross-validated)'));
      write('\n');
      write(formatTransfers(transfers));
    }
    return report.pass ? 0 : 1;
  }
  const fits = fitAll();
  if (opts.json) {
    write(
      `${JSON.stringify(
        fits.map((f) => ({ device: f.device, points: f.points, fitted: f.factors, catalog: catalogFactors(DEVICES[f.device]) })),
        null,
        2,
      )}\n`,
    );
  } else write(formatFits(fits));
  return 0;
}
