import { join } from 'node:path';
import type { Argv } from 'yargs';
import { resolve } from 'node:path';
import { parseAxes, pointLabel, type Axis } from '../experiments/grid.js';
import { METRICS } from '../experiments/metrics.js';
import { formatInterval } from '../experiments/console.js';
import { meanInterval } from '../experiments/interval.js';
import { JobRunner } from '../experiments/runner.js';
import { parseSeedSpec, resolveSeeds } from '../experiments/seeds.js';
import { parseShard, shardRuns, sweepJob, sweepRow, sweepRuns, type Shard, type SweepDefinition } from '../experiments/sweep.js';
import { isSweepFile, loadSweepFile } from '../experiments/sweep-file.js';
import { sweepCsv, sweepJson, type SweepTable } from '../experiments/sweep-table.js';
import { writeFilesAtomically } from '../report/atomic-write.js';
import { removeStaleOutputs } from '../report/stale-outputs.js';
import { renderCharts } from '../report/charts.js';
import { sweepCharts } from '../report/sweep-charts.js';
import { sweepReport } from '../report/sweep-report.js';
import { InputError } from '../scenario/input-error.js';
import { loadScenario } from '../scenario/load.js';
import { pointSets, gridPoints } from '../experiments/grid.js';
import { replicateArgs, withReplicateOptions } from './experiment-options.js';
import { progress } from './progress.js';
import { phase } from '../util/phase-trace.js';

interface SweepArgs {
  file: string;
  vary?: string | string[];
  set: string[];
  trace?: string;
  out?: string;
  shard?: string;
  quiet: boolean;
  charts: boolean;
  seed?: string;
  seeds?: string;
  jobs?: string;
}

/** The sweep's definition from a sweep YAML or from a scenario plus --vary flags. */
function definition(argv: SweepArgs): SweepDefinition {
  const cli = replicateArgs(argv);
  let scenario = argv.file;
  let axes: Axis[];
  let sets = [...argv.set];
  let fileSeeds: number | number[] | undefined;
  if (isSweepFile(argv.file)) {
    if (argv.vary !== undefined) throw new InputError('--vary', '', `${argv.file} is a sweep file with its own vary:; edit it instead of adding --vary`);
    const f = loadSweepFile(argv.file);
    scenario = f.scenario;
    axes = f.axes;
    sets = [...f.sets, ...sets];
    fileSeeds = f.seeds;
  } else {
    axes = parseAxes('--vary', argv.vary);
    if (axes.length === 0) throw new InputError('--vary', '', 'a sweep needs at least one --vary key=v1,v2,... (or a sweep YAML with vary:)');
  }
  const trace = argv.trace === undefined ? undefined : resolve(argv.trace);
  const base = loadScenario(scenario, sets, trace);
  const fromCli = argv.seed !== undefined || argv.seeds !== undefined;
  const spec = fromCli ? cli.seeds : Array.isArray(fileSeeds) ? parseSeedSpec(fileSeeds.join(','), undefined) : parseSeedSpec(undefined, fileSeeds);
  const seeds = resolveSeeds(spec, base.scenario.seed) ?? [base.scenario.seed];
  return { scenario, scenario_name: base.scenario.name, axes, seeds, sets, ...(trace ? { trace } : {}) };
}

/** Every grid point must load: a typo in a value fails now, not after hours of runs. */
function checkGridPoints(def: SweepDefinition): void {
  for (const p of gridPoints(def.axes)) loadScenario(def.scenario, [...def.sets, ...pointSets(p)], def.trace);
}

export async function sweepCommand(argv: SweepArgs): Promise<void> {
  const { jobs } = replicateArgs(argv);
  const shard: Shard | undefined = argv.shard === undefined ? undefined : parseShard(argv.shard);
  const def = definition(argv);
  const all = sweepRuns(def);
  const mine = shardRuns(all, shard);
  const dir = argv.out ?? join('results', `sweep-${def.scenario_name}`, ...(shard ? [`shard-${shard.index}-of-${shard.count}`] : []));
  const runner = new JobRunner({ jobs });
  // The worker threads load while this one checks the grid points.
  runner.start(mine.length);
  let t0 = 0;
  let results;
  let closing: Promise<void> | undefined;
  try {
    checkGridPoints(def);
    phase('sweep: grid checked');
    t0 = performance.now();
    const bar = progress(`kvsim sweep${shard ? ` shard ${shard.index}/${shard.count}` : ''}`, { quiet: argv.quiet });
    try {
      results = await runner.run(
        mine.map((r) => sweepJob(def, r)),
        (d, t) => bar?.update(d, t),
      );
    } finally {
      bar?.end();
    }
  } finally {
    // The worker threads end (tens of ms: their heaps are torn down) while this one writes the
    // outputs; awaited below. On an error the process waits for them before it exits.
    closing = runner.close();
    closing.catch(() => undefined);
  }
  const wall = (performance.now() - t0) / 1000;
  phase('sweep: every run done');
  const table: SweepTable = {
    format: 'kvsim-sweep',
    schema_version: 1,
    sweep: def,
    total_runs: all.length,
    ...(shard ? { shard } : {}),
    rows: mine.map((r, i) => sweepRow(r, results[i].summary)),
  };
  await writeSweep(dir, table, argv.charts && !shard);
  phase('sweep: outputs written');
  await closing;
  phase('sweep: worker threads ended');
  if (argv.quiet) return;
  const lines = [`kvsim sweep: ${def.scenario_name}, ${def.axes.map((a) => `${a.key} (${a.values.length})`).join(' × ')} × ${def.seeds.length} seed${def.seeds.length > 1 ? 's' : ''} = ${all.length} runs`];
  if (shard) lines.push(`  shard ${shard.index}/${shard.count}: ${mine.length} of ${all.length} runs; join the shards with kvsim merge`);
  else lines.push(...pointTable(table));
  lines.push(`  ${mine.length} simulations in ${wall.toFixed(1)} s wall on ${jobs} thread${jobs > 1 ? 's' : ''}; wrote sweep.csv, sweep.json${argv.charts && !shard ? ', charts/, report.html' : ''} to ${dir}/`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** Writes sweep.csv, sweep.json and (for a whole sweep) the metric-vs-key charts. */
export async function writeSweep(dir: string, table: SweepTable, charts: boolean): Promise<void> {
  const specs = sweepCharts(table);
  const files = {
    'sweep.csv': sweepCsv(table),
    'sweep.json': sweepJson(table),
    ...(charts ? { ...(await renderCharts(specs)), 'report.html': sweepReport(table, specs) } : {}),
  };
  writeFilesAtomically(dir, files);
  removeStaleOutputs(dir, files, ['report.html']);
}

/** Console view: per grid point, key metrics as mean ±95% interval over seeds. */
export function pointTable(table: SweepTable): string[] {
  const shown = ['ttft_p95_s', 'tbt_p99_s', 'kv_hit_rate', 'slo_attainment', 'cost_per_million_output_tokens'];
  const heads = ['TTFT p95', 'TBT p99', 'KV hit', 'SLO ok', '$/1M out', 'SLO met'];
  const n = table.sweep.seeds.length;
  const groups = gridPoints(table.sweep.axes).map((p, i) => ({ label: pointLabel(p), rows: table.rows.slice(i * n, (i + 1) * n) }));
  const cells = groups.map((g) => [
    ...shown.map((name) => {
      const m = METRICS.find((x) => x.name === name)!;
      return formatInterval(m.unit, meanInterval(g.rows.map((r) => Number(r[name]))));
    }),
    `${g.rows.filter((r) => r.slo_met === true).length}/${n}`,
  ]);
  const widths = heads.map((h, j) => Math.max(h.length, ...cells.map((c) => c[j].length)));
  const lw = Math.max(...groups.map((g) => g.label.length));
  return [
    `  ${''.padEnd(lw)}  ${heads.map((h, j) => h.padStart(widths[j])).join('  ')}`,
    ...groups.map((g, i) => `  ${g.label.padEnd(lw)}  ${cells[i].map((c, j) => c.padStart(widths[j])).join('  ')}`),
    ...(n > 1 ? [`  mean ±95% interval over seeds ${table.sweep.seeds.join(', ')}`] : []),
  ];
}

export function sweepBuilder<T>(y: Argv<T>) {
  return withReplicateOptions(y)
    .positional('file', { type: 'string', demandOption: true, describe: 'scenario YAML (with --vary), or a sweep YAML (scenario, vary, seeds, set)' })
    .option('vary', { type: 'string', array: true, describe: 'a grid axis; repeat for more: --vary decode.nodes=2,4,8 --vary prefill.router=round_robin,cache_aware' })
    .option('set', { type: 'string', array: true, default: [] as string[], describe: 'override a key in every run' })
    .option('trace', { type: 'string', describe: "replay this Mooncake trace instead of the scenario's workload" })
    .option('out', { type: 'string', describe: 'output folder (default results/sweep-<scenario name>/[shard-I-of-N/])' })
    .option('shard', { type: 'string', describe: 'run only slice I of N (I from 0, e.g. $JOB_COMPLETION_INDEX/4) and write its partial table' })
    .option('quiet', { type: 'boolean', default: false })
    .option('charts', { type: 'boolean', default: true, describe: 'render the metric-vs-key charts (--no-charts to skip)' });
}
