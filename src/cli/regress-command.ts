import { basename, dirname } from 'node:path';
import { writeFilesAtomically } from '../report/atomic-write.js';
import { baselineJson, readBaseline, type CaseResult } from '../regress/baseline.js';
import { compareCase, parseTolerances, type MetricDelta } from '../regress/compare.js';
import { runJobs, type Job } from '../regress/jobs.js';
import { METRICS } from '../regress/metrics.js';
import { loadSuite } from '../regress/suite.js';
import { InputError } from '../scenario/input-error.js';

export interface RegressOptions {
  /** Scenario files, suite manifests or folders. */
  paths: string[];
  vary?: string;
  sets: string[];
  /** `--seeds N`: seeds 1..N. */
  seeds?: string;
  /** `--seed a,b,c`: these seeds. */
  seed?: string;
  baseline?: string;
  saveBaseline?: string;
  tolerance: string[];
  trace?: string;
  quiet: boolean;
}

function seedList(opts: RegressOptions, fromManifest: number[] | undefined): (number | undefined)[] {
  if (opts.seed !== undefined) {
    const list = opts.seed.split(',');
    if (!list.every((s) => /^-?\d+$/.test(s))) throw new InputError('--seed', opts.seed, 'expected integers separated by commas, e.g. 1,2,3');
    return list.map(Number);
  }
  if (opts.seeds !== undefined) {
    if (!/^\d+$/.test(opts.seeds) || Number(opts.seeds) < 1 || Number(opts.seeds) > 100) {
      throw new InputError('--seeds', opts.seeds, 'expected a number of seeds from 1 to 100');
    }
    return Array.from({ length: Number(opts.seeds) }, (_, i) => i + 1);
  }
  return fromManifest ?? [undefined];
}

const num = (x: number): string => (Number.isFinite(x) ? Number(x.toPrecision(5)).toString() : 'n/a');
function deltaText(d: MetricDelta): string {
  if (!Number.isFinite(d.delta)) return 'n/a';
  const sign = d.delta > 0 ? '+' : '';
  return d.baseline !== 0 ? `${sign}${((100 * d.delta) / Math.abs(d.baseline)).toFixed(1)}%` : `${sign}${num(d.delta)}`;
}

/**
 * `kvsim regress`: runs a suite (each case over the same seeds) and compares every metric with a
 * stored baseline, per-metric tolerances, each metric's good direction. Returns the exit code:
 * 1 when any metric got worse beyond its tolerance or a baseline case was not run, else 0.
 */
export function regressCommand(opts: RegressOptions): number {
  if (opts.baseline === undefined && opts.saveBaseline === undefined) {
    throw new InputError('kvsim regress', '', 'give --baseline FILE to compare with, or --save-baseline FILE to record one');
  }
  const tolerance = parseTolerances(opts.tolerance);
  // Read the baseline before spending any simulation time on a bad one.
  const baseline = opts.baseline === undefined ? undefined : readBaseline(opts.baseline);
  const suite = loadSuite(opts.paths, opts.vary, opts.sets);
  const seeds = seedList(opts, suite.seeds);
  const jobs: Job[] = suite.cases.flatMap((c) => seeds.map((seed) => ({ file: c.file, sets: c.sets, seed })));
  const results = runJobs(jobs, opts.trace);

  const current: Record<string, CaseResult> = {};
  suite.cases.forEach((c, i) => {
    const runs = results.slice(i * seeds.length, (i + 1) * seeds.length);
    current[c.label] = {
      seeds: runs.map((r) => r.seed),
      values: Object.fromEntries(METRICS.map((m) => [m.name, runs.map((r) => (Number.isFinite(m.pick(r.summary)) ? m.pick(r.summary) : null))])),
    };
  });

  const out: string[] = [];
  let failures = 0;
  if (baseline) {
    const regressions: string[] = [];
    out.push(`kvsim regress: ${suite.cases.length} case(s) × ${seeds.length} seed(s) against ${opts.baseline}`);
    for (const c of suite.cases) {
      const now = current[c.label];
      const base = baseline.cases[c.label];
      if (!base) {
        out.push(`${c.label}: new case, not in the baseline (save it with --save-baseline)`);
        continue;
      }
      if (base.seeds.join(',') !== now.seeds.join(',')) {
        throw new InputError(opts.baseline!, `cases.${c.label}.seeds`, `baseline has seeds ${base.seeds.join(',')}, this run ${now.seeds.join(',')}: use the same --seeds/--seed`);
      }
      out.push(c.label);
      out.push(`  ${'metric'.padEnd(31)} ${'baseline'.padStart(11)} ${'current'.padStart(11)} ${'delta'.padStart(9)}  verdict`);
      for (const d of compareCase(base, now, tolerance)) {
        const arrow = d.metric.better === 'lower' ? '↓' : '↑';
        out.push(`  ${`${d.metric.name} ${arrow}`.padEnd(31)} ${num(d.baseline).padStart(11)} ${num(d.current).padStart(11)} ${deltaText(d).padStart(9)}  ${d.verdict}`);
        if (d.verdict === 'worse') {
          regressions.push(`${c.label}: ${d.metric.name} ${num(d.baseline)} -> ${num(d.current)} (${deltaText(d)}, worse by more than ${num(d.allowed)}; ${d.metric.better} is better)`);
        }
      }
    }
    for (const label of Object.keys(baseline.cases)) {
      if (!(label in current)) regressions.push(`${label}: in the baseline but not run by this suite`);
    }
    failures = regressions.length;
    out.push(failures ? `REGRESSION (${failures}):` : 'no regression');
    for (const r of regressions) out.push(`  ${r}`);
  }
  if (opts.saveBaseline !== undefined) {
    writeFilesAtomically(dirname(opts.saveBaseline), { [basename(opts.saveBaseline)]: baselineJson(current) });
    out.push(`saved the baseline of ${suite.cases.length} case(s) × ${seeds.length} seed(s) to ${opts.saveBaseline}`);
  }
  // --quiet: only the regressions, if any.
  const first = out.findIndex((l) => l.startsWith('REGRESSION'));
  const shown = !opts.quiet ? out : first >= 0 ? out.slice(first) : [];
  if (shown.length) process.stdout.write(`${shown.join('\n')}\n`);
  return failures ? 1 : 0;
}
