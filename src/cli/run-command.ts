import { stringify } from 'csv-stringify/sync';
import { aggregateReplicates } from '../experiments/aggregate.js';
import { checkFailures } from '../experiments/check.js';
import { formatInterval, formatValue } from '../experiments/console.js';
import { executeJob, type Job, type JobResult } from '../experiments/job.js';
import { METRICS } from '../experiments/metrics.js';
import { runJobs } from '../experiments/runner.js';
import { resolveSeeds, type SeedSpec } from '../experiments/seeds.js';
import { loadScenario } from '../scenario/load.js';
import { RequestsCsvWriter } from '../report/requests-csv.js';
import { SpoolFile } from '../report/spool-file.js';
import { ChartRenderer, chartThreadPays } from '../report/chart-worker.js';
import { renderCharts } from '../report/charts.js';
import { formatSummary } from '../report/table.js';
import type { FileContent } from '../report/atomic-write.js';
import { displayPath, resolveOutDir } from '../output/out-dir.js';
import { publishOutputs } from '../output/staging.js';
import { progress } from './progress.js';
import { runReport } from '../report/run-report.js';
import { compileForShortRun, SHORT_RUN_REQUESTS, stopOptimizing } from '../util/jit.js';
import { expectedRequests } from '../workload/expected-requests.js';
import { formatInteger } from '../util/format-number.js';
import { phase } from '../util/phase-trace.js';

export interface RunOptions {
  scenario: string;
  out?: string;
  sets: string[];
  quiet: boolean;
  /** Absolute path of a trace to replay instead of the scenario's workload. */
  trace?: string;
  /** Render charts (SVG + Vega-Lite specs) into DIR/charts/. */
  charts: boolean;
  seeds: SeedSpec;
  jobs: number;
  /** Print summary.json to stdout instead of the report. */
  json?: boolean;
  /** CI gate: exit 1 with a one-line reason when an SLO or expectation is missed or the run is overloaded. */
  check?: boolean;
}

/**
 * `kvsim run`: load, simulate, then write every output file or none. With replicates, the first
 * seed's run writes the detailed outputs and summary.json gains `replicates` (every metric's
 * mean and 95% interval over the seeds); replicates.csv has one row per seed.
 */
export async function runCommand(opts: RunOptions): Promise<void> {
  phase('run: command loaded');
  // Charts render after the simulations, here, with V8's optimizing compiler off (util/jit.ts): the
  // least CPU. Only when this is the only simulation (replicates keep the other cores busy) and a
  // core is free does a chart thread start now, loading Vega and warming it up on synthetic charts
  // while this thread simulates, to save wall time (README "Start-up"). Idle threads do not keep a
  // failed run alive.
  const renderer = opts.charts && chartThreadPays((resolveSeeds(opts.seeds, 0)?.length ?? 1) > 1) ? new ChartRenderer(1, { warmUp: true }) : undefined;
  const loaded = loadScenario(opts.scenario, opts.sets, opts.trace);
  // Checked before simulating: a bad folder must not cost a whole run.
  const dir = resolveOutDir(opts.out, loaded.scenario.name);
  const seeds = resolveSeeds(opts.seeds, loaded.scenario.seed) ?? [undefined];
  const jobs: Job[] = seeds.map((seed, i) => ({ scenario: opts.scenario, sets: opts.sets, trace: opts.trace, seed, detail: i === 0 }));
  const bar = progress('kvsim run', { quiet: opts.quiet || !!opts.json });
  // requests.csv is written as requests settle; the run keeps only compact columns in memory. The
  // first seed (the detailed one) runs in this thread, where the spool file lives; the others are
  // queued first on jobs − 1 worker threads (so they start as soon as the pool is up), and this
  // thread takes its share of them once the first seed is done.
  // One short simulation, no other thread loading a bundle: cheaper compiles (util/jit.ts).
  if (jobs.length === 1 && !renderer && expectedRequests(loaded.scenario, SHORT_RUN_REQUESTS) <= SHORT_RUN_REQUESTS) compileForShortRun();
  const csv = new RequestsCsvWriter(new SpoolFile());
  let results: JobResult[];
  try {
    const others = jobs.length > 1 ? runJobs(jobs.slice(1), { jobs: opts.jobs, onProgress: (d, t) => bar?.update(d + 1, t + 1) }) : undefined;
    // Settled with a no-op handler: a failure surfaces from the await below, never unhandled.
    others?.catch(() => undefined);
    const first = executeJob(jobs[0], {
      sink: csv,
      onSample: others ? undefined : (t, done) => bar?.status(`simulated ${t.toFixed(0)} s, ${formatInteger(done)} requests done`),
    });
    results = [first, ...(others ? await others : [])];
  } catch (e) {
    renderer?.cancel();
    csv.finish().close();
    throw e;
  } finally {
    bar?.end();
  }
  const first = results[0];
  const detail = first.detail!;
  const replicates = results.length > 1 ? aggregateReplicates(results.map((r) => r.summary)) : undefined;
  const summary = replicates ? { ...first.summary, provenance: { ...first.summary.provenance, seeds: replicates.seeds }, replicates } : first.summary;
  // Every simulation is done: from here on, optimizing Vega's code would cost more than it saves.
  // The chart thread stops the optimizing compiler itself, once it has loaded its code (a code cache
  // is only taken under the flags it was made with). Rendering goes on while this thread builds the
  // report and stages the other files; the SVGs are staged last, and everything is published together.
  if (opts.charts && !renderer) stopOptimizing();
  const charts = opts.charts ? (renderer ? renderer.render(detail.charts, { stopOptimizing: true }) : renderCharts(detail.charts)) : undefined;
  charts?.catch(() => undefined);
  const requests = csv.finish();
  const perSeed: Record<string, string> = replicates
    ? { 'replicates.csv': stringify(results.map((r) => ({ seed: r.summary.seed, ...Object.fromEntries(METRICS.map((m) => [m.name, m.pick(r.summary)])) })), { header: true }) }
    : {};
  const summaryJson = `${JSON.stringify(summary, null, 2)}\n`;
  const files: Record<string, FileContent> = {
    'summary.json': summaryJson,
    'requests.csv': requests,
    'tiers.csv': detail.tiersCsv,
    ...perSeed,
    ...(opts.charts ? { 'report.html': runReport(summary, detail.charts) } : {}),
  };
  phase('run: report built');
  try {
    // Published as one folder: a rerun replaces the earlier run's outputs as a whole.
    await publishOutputs(dir, files, charts && (() => charts.finally(() => phase('run: charts rendered'))));
  } finally {
    requests.close();
  }
  phase('run: outputs published');
  process.once('exit', () => phase('exit'));
  if (opts.check) {
    // Every seed must pass: a gate that one lucky seed opens is no gate.
    const failures = results.flatMap((r) => checkFailures(r.summary).map((f) => (results.length > 1 ? `seed ${r.summary.seed}: ${f}` : f)));
    if (failures.length > 0) {
      process.stderr.write(`kvsim: check failed: ${failures.join('; ')}\n`);
      process.exitCode = 1;
    }
  }
  if (opts.json) {
    process.stdout.write(summaryJson);
    return;
  }
  if (opts.quiet) return;
  process.stdout.write(`${formatSummary(first.summary)}\n`);
  if (replicates) {
    const shown = METRICS.filter((m) => ['ttft_p50_s', 'ttft_p95_s', 'ttft_p99_s', 'tbt_p99_s', 'e2e_p50_s', 'kv_hit_rate', 'slo_attainment', 'output_tokens_per_s', 'cost_per_million_output_tokens'].includes(m.name));
    process.stdout.write(`  replicates over ${results.length} seeds (${replicates.seeds.join(', ')}); the tables above are seed ${first.summary.seed}:\n`);
    for (const m of shown) {
      const iv = replicates.metrics[m.name];
      process.stdout.write(
        `    ${m.name.padEnd(32)} ${formatInterval(m.unit, iv).padStart(20)}   95% CI [${formatValue(m.unit, iv.ci95_low)}, ${formatValue(m.unit, iv.ci95_high)}]\n`,
      );
    }
    process.stdout.write(`    SLO met on ${replicates.slo_met_seeds} of ${results.length} seeds\n`);
  }
  const wall = results.reduce((a, r) => a + r.wallSeconds, 0);
  process.stdout.write(
    `  simulated ${formatInteger(first.summary.sim.events)} events in ${first.wallSeconds.toFixed(2)} s wall` +
      (results.length > 1 ? ` (${results.length} seeds: ${wall.toFixed(2)} s of simulation)` : '') +
      `; wrote summary.json, requests.csv, tiers.csv${replicates ? ', replicates.csv' : ''}${opts.charts ? ', charts/, report.html' : ''} to ${displayPath(dir)}/\n`,
  );
}
