/**
 * Fit of one device's efficiency factors to its calibration points (`kvsim validate --fit`): a maximum-a-
 * posteriori estimate. Deterministic: fixed start (the priors), fixed iteration, no randomness.
 *
 * Unknowns (all positive, fitted as logarithms): GEMM efficiency per dtype (as a share s_dtype of the
 * device's best measured GEMM share, priors.ts), weight-streaming efficiency, prefill- and decode-attention
 * efficiency, step overhead, per-sequence overhead, all-reduce bus efficiency and hop latency, and the host cost
 * per step of a benchmark harness (reported only for devices with such points).
 * Cost = Σ_points (ln(predicted / published) / POINT_SIGMA)²                 (the points)
 *      + Σ_factors ((ln x − ln prior) / width)²                               (the priors)
 *      + ((ln s_bf16 − ln s_fp8) / width_ratio)²                              (dtypes move together)
 * A factor no point depends on stays at its prior; a device without points keeps its priors.
 * Minimised by Levenberg–Marquardt on the residuals (forward-difference Jacobian), each step projected
 * onto the physical bounds. A harness whose host runs ahead costs max(device, host) per step, which is flat in the
 * host cost wherever the device is slower: started at the prior the fit could never find a host-bound harness. So
 * it runs twice, from the priors and from the priors with the harness's host cost at its upper bound, and keeps
 * the lower cost (deterministic: two fixed starts). The result is rounded to 3 significant digits so that it can be pasted into
 * the catalog verbatim (test/calibration/fit.test.ts checks the catalog equals it).
 */
import { DEVICES } from '../cluster/catalog/hardware.js';
import type { DeviceSpec, Dtype, Efficiency } from '../cluster/catalog/types.js';
import type { CalibrationPoint } from './points.js';
import { POINTS } from './points.js';
import { predictPoint } from './predict.js';
import { BOUNDS, COMMON_PRIOR, DEVICE_PRIORS, PRIOR_WIDTH } from './priors.js';

/** σ of ln(predicted / published) of one published point: vendor pages vary ±10–25% between snapshots. */
export const POINT_SIGMA = 0.1;

/** The fitted factors of one device (what the catalog holds in `efficiency` and `scaleUp`). */
export interface DeviceFactors extends Efficiency {
  readonly busEfficiency: number;
  readonly hopLatency: number;
}

const NAMES = [
  'gemmFp8',
  'gemmBf16',
  'hbm',
  'prefillAttention',
  'decodeAttention',
  'stepOverhead',
  'seqOverhead',
  'busEfficiency',
  'hopLatency',
  'harnessStepOverhead',
] as const;
const HARNESS = NAMES.indexOf('harnessStepOverhead');
const N = NAMES.length;

interface Space {
  readonly prior: number[]; // ln of the prior centre per parameter
  readonly width: number[];
  readonly lo: number[]; // ln bounds
  readonly hi: number[];
  readonly ceiling: Readonly<Record<Dtype, number>>;
}

function space(device: string): Space {
  const d = DEVICE_PRIORS[device];
  if (d === undefined) throw new Error(`no priors for device "${device}"`);
  const ln = Math.log;
  const s = COMMON_PRIOR.gemmShareOfCeiling;
  const prior = [
    ln(s),
    ln(s),
    ln(COMMON_PRIOR.hbm),
    ln(COMMON_PRIOR.prefillAttention),
    ln(COMMON_PRIOR.decodeAttention),
    ln(COMMON_PRIOR.stepOverhead),
    ln(COMMON_PRIOR.seqOverhead),
    ln(d.busEfficiency),
    ln(d.hopLatency),
    ln(COMMON_PRIOR.stepOverhead),
  ];
  const W = PRIOR_WIDTH;
  const width = [W.gemm, W.gemm, W.hbm, W.prefillAttention, W.decodeAttention, W.stepOverhead, W.seqOverhead, W.busEfficiency, W.hopLatency, W.stepOverhead];
  const B = BOUNDS;
  const bounds: [number, number][] = [
    [0.1, 1],
    [0.1, 1],
    [B.hbm[0], B.hbm[1]],
    [B.prefillAttention[0], B.prefillAttention[1]],
    [B.decodeAttention[0], B.decodeAttention[1]],
    [B.stepOverhead[0], B.stepOverhead[1]],
    [B.seqOverhead[0], B.seqOverhead[1]],
    [B.busEfficiency[0], B.busEfficiency[1]],
    [B.hopLatency[0], B.hopLatency[1]],
    [B.stepOverhead[0], B.stepOverhead[1]],
  ];
  return { prior, width, lo: bounds.map((b) => ln(b[0])), hi: bounds.map((b) => ln(b[1])), ceiling: d.gemmCeiling };
}

function factorsOf(theta: readonly number[], sp: Space, harness: boolean): DeviceFactors {
  const e = theta.map(Math.exp);
  return {
    gemm: { fp8: e[0] * sp.ceiling.fp8, bf16: e[1] * sp.ceiling.bf16 },
    hbm: e[2],
    prefillAttention: e[3],
    decodeAttention: e[4],
    stepOverhead: e[5],
    seqOverhead: e[6],
    busEfficiency: e[7],
    hopLatency: e[8],
    ...(harness ? { harnessStepOverhead: e[HARNESS] } : {}),
  };
}

/** The catalog device with `f` in place of its factors. */
export function withFactors(base: DeviceSpec, f: DeviceFactors): DeviceSpec {
  return {
    ...base,
    efficiency: {
      gemm: f.gemm,
      hbm: f.hbm,
      prefillAttention: f.prefillAttention,
      decodeAttention: f.decodeAttention,
      stepOverhead: f.stepOverhead,
      seqOverhead: f.seqOverhead,
      ...(f.harnessStepOverhead === undefined ? {} : { harnessStepOverhead: f.harnessStepOverhead }),
    },
    scaleUp: { ...base.scaleUp, busEfficiency: f.busEfficiency, latency: f.hopLatency },
  };
}

/** The factors a catalog device holds. */
export function catalogFactors(d: DeviceSpec): DeviceFactors {
  const e = d.efficiency;
  return {
    gemm: e.gemm,
    hbm: e.hbm,
    prefillAttention: e.prefillAttention,
    decodeAttention: e.decodeAttention,
    stepOverhead: e.stepOverhead,
    seqOverhead: e.seqOverhead,
    ...(e.harnessStepOverhead === undefined ? {} : { harnessStepOverhead: e.harnessStepOverhead }),
    busEfficiency: d.scaleUp.busEfficiency,
    hopLatency: d.scaleUp.latency,
  };
}

function round3(x: number): number {
  return Number(x.toPrecision(3));
}

function rounded(f: DeviceFactors): DeviceFactors {
  return {
    gemm: { bf16: round3(f.gemm.bf16), fp8: round3(f.gemm.fp8) },
    hbm: round3(f.hbm),
    prefillAttention: round3(f.prefillAttention),
    decodeAttention: round3(f.decodeAttention),
    stepOverhead: round3(f.stepOverhead),
    seqOverhead: round3(f.seqOverhead),
    ...(f.harnessStepOverhead === undefined ? {} : { harnessStepOverhead: round3(f.harnessStepOverhead) }),
    busEfficiency: round3(f.busEfficiency),
    hopLatency: round3(f.hopLatency),
  };
}

/** Solves A·x = b (n×n, row-major copies) by Gaussian elimination with partial pivoting. */
function solve(A: number[][], b: number[]): number[] {
  const n = b.length;
  const M = A.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[p][c])) p = r;
    [M[c], M[p]] = [M[p], M[c]];
    const piv = M[c][c];
    for (let r = c + 1; r < n; r++) {
      const k = M[r][c] / piv;
      for (let j = c; j <= n; j++) M[r][j] -= k * M[c][j];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let acc = M[r][n];
    for (let j = r + 1; j < n; j++) acc -= M[r][j] * x[j];
    x[r] = acc / M[r][r];
  }
  return x;
}

export interface FitResult {
  readonly device: string;
  readonly factors: DeviceFactors;
  /** Ids of the points fitted. */
  readonly points: readonly string[];
  /** Cost evaluations used. */
  readonly evaluated: number;
}

/** Fits one device's factors to `points` (all on that device; may be empty: then the priors come back). */
export function fitDevice(device: string, points: readonly CalibrationPoint[]): FitResult {
  const sp = space(device);
  const base = DEVICES[device];
  if (base === undefined) throw new Error(`unknown device "${device}"`);
  const harness = points.some((p) => p.engine.harness !== undefined);
  let evaluated = 0;
  const residuals = (theta: readonly number[]): number[] => {
    evaluated++;
    const dev = withFactors(base, factorsOf(theta, sp, harness));
    const r: number[] = [];
    for (const p of points) {
      const v = predictPoint(p, dev).value;
      r.push(Math.log(v / p.published) / POINT_SIGMA);
    }
    for (let i = 0; i < N; i++) r.push((theta[i] - sp.prior[i]) / sp.width[i]);
    r.push((theta[1] - theta[0]) / PRIOR_WIDTH.gemmDtypeRatio);
    return r;
  };
  const cost = (r: readonly number[]): number => r.reduce((a, x) => a + x * x, 0);
  const clamp = (t: number[]): number[] => t.map((x, i) => Math.min(sp.hi[i], Math.max(sp.lo[i], x)));
  /** Levenberg–Marquardt from `start`; returns the parameters reached and their cost. */
  const descend = (start: readonly number[]): { theta: number[]; c: number } => {
    let theta = clamp([...start]);
    let r = residuals(theta);
    let c = cost(r);
    let lambda = 1e-2;
    const H = 1e-5;
    for (let iter = 0; iter < 60 && points.length > 0; iter++) {
      // Forward-difference Jacobian (columns per parameter).
      const J: number[][] = [];
      for (let i = 0; i < N; i++) {
        const t = [...theta];
        t[i] += H;
        const ri = residuals(t);
        J.push(ri.map((x, k) => (x - r[k]) / H));
      }
      const JtJ = Array.from({ length: N }, (_, i) => Array.from({ length: N }, (_, j) => J[i].reduce((a, x, k) => a + x * J[j][k], 0)));
      const Jtr = Array.from({ length: N }, (_, i) => J[i].reduce((a, x, k) => a + x * r[k], 0));
      let improved = false;
      for (let tries = 0; tries < 10; tries++) {
        const A = JtJ.map((row, i) => row.map((x, j) => (i === j ? x * (1 + lambda) + 1e-12 : x)));
        const step = solve(A, Jtr.map((x) => -x));
        const cand = clamp(theta.map((x, i) => x + step[i]));
        const rc = residuals(cand);
        const cc = cost(rc);
        if (cc < c) {
          const gain = c - cc;
          theta = cand;
          r = rc;
          c = cc;
          lambda = Math.max(lambda / 3, 1e-7);
          improved = gain > 1e-10 * Math.max(1, c);
          break;
        }
        lambda *= 4;
      }
      if (!improved) break;
    }
    return { theta, c };
  };
  let best = descend(sp.prior);
  if (harness) {
    const hostBound = [...sp.prior];
    hostBound[HARNESS] = sp.hi[HARNESS];
    const other = descend(hostBound);
    if (other.c < best.c) best = other;
  }
  return { device, factors: rounded(factorsOf(best.theta, sp, harness)), points: points.map((p) => p.id), evaluated };
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

/** Fits every device that has calibration points. */
export function fitAll(points: readonly CalibrationPoint[] = POINTS): FitResult[] {
  return [...calibrationDevices(points)].map(([device, list]) => fitDevice(device, list));
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}
