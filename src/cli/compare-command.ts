import { stringify } from 'csv-stringify/sync';
import { basename } from 'node:path';
import { aggregateReplicates, type Replicates } from '../experiments/aggregate.js';
import { formatInterval } from '../experiments/console.js';
import { gridPoints, pointLabel, pointSets, type Axis } from '../experiments/grid.js';
import type { Job } from '../experiments/job.js';
import { metricByName } from '../experiments/metrics.js';
import { runJobs } from '../experiments/runner.js';
import { resolveSeeds, type SeedSpec } from '../experiments/seeds.js';
import { stabilityCell } from '../metrics/stability.js';
import type { Summary } from '../metrics/summary.js';
import { loadScenario } from '../scenario/load.js';
import type { Progress } from './progress.js';
import { displayPath, resolveOutDir } from '../output/out-dir.js';
import { publishOutputs } from '../output/staging.js';
import { compareChart, renderCharts } from '../report/charts.js';

export interface CompareOptions {
  scenarios: string[];
  /** Varied keys: one run per combination of their values (a grid). */
  axes: readonly Axis[];
  sets: string[];
  trace?: string;
  out?: string;
  quiet: boolean;
  charts: boolean;
  seeds: SeedSpec;
  /** Worker threads. */
  jobs: number;
  /** Terminal progress line (absent on a pipe or with --quiet). */
  progress?: Progress;
}

interface Variant {
  label: string;
  file: string;
  sets: string[];
}

/** The runs to make: every scenario × every point of the grid of varied keys. */
function variants(opts: CompareOptions): Variant[] {
  const out: Variant[] = [];
  for (const file of opts.scenarios) {
    for (const p of gridPoints(opts.axes)) {
      const name = basename(file).replace(/\.ya?ml$/, '');
      out.push({
        label: [opts.scenarios.length > 1 ? name : '', pointLabel(p)].filter(Boolean).join(' ') || name,
        file,
        sets: [...opts.sets, ...pointSets(p)],
      });
    }
  }
  return out;
}

/** Columns of compare.csv, in order: the numbers planners compare policies and clusters by. */
const COLUMNS = [
  'ttft_p50_s', 'ttft_p95_s', 'ttft_p99_s', 'tbt_p50_s', 'tbt_p99_s', 'e2e_p50_s', 'kv_hit_rate', 'slo_attainment',
  'rejected', 'finished', 'output_tokens_per_s', 'cost_per_hour', 'cost_per_million_output_tokens', 'cost_per_million_tokens',
  'energy_j_per_output_token',
] as const;

/** One row: each column is the mean over seeds, with its 95% interval when there are several. */
function row(label: string, rep: Replicates, summaries: readonly Summary[]): Record<string, string | number | boolean> {
  const r: Record<string, string | number | boolean> = { variant: label, seeds: rep.seeds.join(' ') };
  for (const c of COLUMNS) r[c] = rep.metrics[c].mean;
  r.slo_met_every_seed = rep.slo_met_every_seed;
  // Overload detection: a variant is stable only if every seed is; its verdict is the worst seed's.
  const worst = worstStability(summaries);
  r.stable = summaries.every((s) => s.stability.stable);
  r.prefill_load_factor = worst.stability.pools.prefill.load_factor;
  r.decode_load_factor = worst.stability.pools.decode.load_factor;
  r.stability = worst.stability.verdict;
  if (rep.seeds.length > 1) {
    for (const c of COLUMNS) {
      r[`${c}_ci95_low`] = rep.metrics[c].ci95_low;
      r[`${c}_ci95_high`] = rep.metrics[c].ci95_high;
    }
  }
  return r;
}

/** The seed whose run is least stable: an unstable one if any, else the most loaded. */
function worstStability(summaries: readonly Summary[]): Summary {
  const load = (s: Summary) => Math.max(s.stability.pools.prefill.load_factor, s.stability.pools.decode.load_factor);
  return summaries.reduce((w, s) => (Number(!s.stability.stable) - Number(!w.stability.stable) || load(s) - load(w)) > 0 ? s : w);
}

const seedNote = (seeds: readonly (number | string | undefined)[]): string => (seeds.length > 1 ? `mean over seeds ${seeds.join(', ')}` : `seed ${seeds[0]}`);

/** `kvsim compare`: the same workload through several scenarios or a grid of key values, side by side. */
export async function compareCommand(opts: CompareOptions): Promise<void> {
  const runs = variants(opts);
  // Load everything first: a bad variant fails before any simulation time is spent.
  const loaded = runs.map((v) => ({ v, scenario: loadScenario(v.file, v.sets, opts.trace) }));
  // Checked before simulating: a bad folder must not cost the runs.
  const dir = resolveOutDir(opts.out, `compare-${loaded[0].scenario.scenario.name}`);
  const seedsOf = loaded.map(({ scenario }) => resolveSeeds(opts.seeds, scenario.scenario.seed) ?? [undefined]);
  const jobs: Job[] = loaded.flatMap(({ v }, i) => seedsOf[i].map((seed) => ({ scenario: v.file, sets: v.sets, trace: opts.trace, seed })));
  let results;
  try {
    results = await runJobs(jobs, { jobs: opts.jobs, onProgress: (d, t) => opts.progress?.update(d, t) });
  } finally {
    opts.progress?.end();
  }
  let next = 0;
  const groups = loaded.map(({ v }, i) => {
    const summaries: Summary[] = seedsOf[i].map(() => results[next++].summary);
    return { label: v.label, summaries, replicates: aggregateReplicates(summaries) };
  });
  const table = groups.map((g) => row(g.label, g.replicates, g.summaries));
  const chartRows = groups.map((g) => ({
    variant: g.label,
    ttft_p95_s: g.replicates.metrics.ttft_p95_s.mean,
    tbt_p99_s: g.replicates.metrics.tbt_p99_s.mean,
    kv_hit_rate: g.replicates.metrics.kv_hit_rate.mean,
  }));
  const charts = opts.charts ? await renderCharts({ compare: compareChart(loaded[0].scenario.scenario.name, chartRows, seedNote(groups[0].replicates.seeds)) }) : {};
  const multi = groups.some((g) => g.summaries.length > 1);
  const files: Record<string, string> = {
    ...charts,
    'compare.csv': stringify(table, { header: true, cast: { boolean: (b) => String(b) } }),
    'compare.json': `${JSON.stringify(
      groups.map((g) => ({ variant: g.label, summary: g.summaries[0], ...(multi ? { replicates: g.replicates, summaries: g.summaries } : {}) })),
      null,
      2,
    )}\n`,
  };
  await publishOutputs(dir, files);
  if (opts.quiet) return;
  const shown = ['ttft_p50_s', 'ttft_p95_s', 'ttft_p99_s', 'tbt_p99_s', 'kv_hit_rate', 'slo_attainment', 'rejected', 'output_tokens_per_s', 'cost_per_million_output_tokens', 'energy_j_per_output_token'];
  const head = ['TTFT p50', 'TTFT p95', 'TTFT p99', 'TBT p99', 'KV hit', 'SLO ok', 'rejected', 'out tok/s', '$/1M out', 'J/out tok'];
  const cells = groups.map((g) => shown.map((name) => formatInterval(metricByName(name)!.unit, g.replicates.metrics[name])));
  const widths = head.map((h, j) => Math.max(h.length, ...cells.map((c) => c[j].length)));
  const width = Math.max(8, ...groups.map((g) => g.label.length));
  const worst = groups.map((g) => worstStability(g.summaries));
  const lines = [
    `${'variant'.padEnd(width)}  ${head.map((h, j) => h.padStart(widths[j])).join('  ')}  load`,
    ...groups.map(
      (g, i) =>
        `${g.label.padEnd(width)}  ${cells[i].map((c, j) => c.padStart(widths[j])).join('  ')}  ${stabilityCell(worst[i].stability, worst[i].mode === 'colocated')}`,
    ),
    // An overloaded variant's latencies grow with the run's length: say so under the table too.
    ...groups.flatMap((g, i) => (worst[i].stability.stable ? [] : [`${g.label}: ${worst[i].stability.verdict}`])),
  ];
  if (multi) {
    const n = groups[0].summaries.length;
    lines.push(`mean ±95% interval (Student t) over ${n} seeds: ${groups[0].replicates.seeds.join(', ')}`);
  }
  lines.push(`wrote compare.csv, compare.json${opts.charts ? ', charts/compare.svg' : ''} to ${displayPath(dir)}/`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

