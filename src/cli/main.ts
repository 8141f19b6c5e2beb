#!/usr/bin/env node
import { resolve } from 'node:path';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { InputError } from '../scenario/input-error.js';
import { kvsimVersion } from '../util/package-info.js';
import { quote } from '../util/show-value.js';
import { refuseDuplicateFlags, type FlagOptions } from './duplicate-flags.js';
import { JOBS_OPTION, jobsArg, nodeSearchArgs, replicateArgs, varyAxes, withNodeSearchOptions, withReplicateOptions } from './experiment-options.js';
import { mergeBuilder } from './merge-command.js';
import { progress } from './progress.js';
import { sweepBuilder } from './sweep-command.js';
import { phase } from '../util/phase-trace.js';
// Each command's module is imported when that command runs (the sweep/merge option builders are
// needed to parse arguments): `kvsim run` loads only what it uses.

/** Prints a user-input problem as one line and exits 2; anything else is a bug (stack trace, exit 1). */
function fail(e: unknown): never {
  if (e instanceof InputError) {
    process.stderr.write(`kvsim: error: ${e.message}\n`);
    process.exit(2);
  }
  throw e;
}

// `kvsim run ... | head` closes stdout early: results are already written, so just stop quietly.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

/** yargs' `getOptions()` (the current command's declared options) is public but missing from its types. */
const declaredOptions = (y: unknown): FlagOptions => (y as { getOptions(): FlagOptions }).getOptions();

async function main(): Promise<void> {
  phase('main: modules loaded');
  const args = hideBin(process.argv);
  const cli = yargs(args);
  await cli
    .scriptName('kvsim')
    // Before any command runs (and any simulation): a flag given twice is refused, for every command.
    .middleware(() => refuseDuplicateFlags(args, declaredOptions(cli)), true)
    .usage('$0 <command> [options]')
    .command(
      'run <scenario>',
      'simulate one scenario; write summary.json and requests.csv, print a report',
      (y) =>
        withReplicateOptions(y)
          .positional('scenario', { type: 'string', demandOption: true, describe: 'scenario YAML file' })
          .option('out', { type: 'string', describe: 'output folder (default results/<scenario name>/)' })
          .option('set', { type: 'string', array: true, default: [], describe: 'override a scenario key: --set decode.nodes=4' })
          .option('trace', { type: 'string', describe: "replay this Mooncake trace (relative to the current folder) instead of the scenario's workload" })
          .option('quiet', { type: 'boolean', default: false, describe: 'print nothing but errors' })
          .option('skip-bad-lines', { type: 'boolean', default: false, describe: 'drop malformed trace lines (counted) instead of failing' })
          .option('charts', { type: 'boolean', default: true, describe: 'render charts into <out>/charts/ (--no-charts to skip)' })
          .option('json', { type: 'boolean', default: false, describe: 'print summary.json to stdout instead of the report' })
          .option('check', { type: 'boolean', default: false, describe: 'CI gate: exit 1 with a one-line reason if an SLO or expectation is missed or the run is overloaded' }),
      async (argv) => {
        const sets = [...argv.set];
        const trace = argv.trace === undefined ? undefined : resolve(argv.trace);
        if (argv.skipBadLines) sets.push('workload.skip_bad_lines=true');
        const { runCommand } = await import('./run-command.js');
        await runCommand({ scenario: argv.scenario, out: argv.out, sets, quiet: argv.quiet, trace, charts: argv.charts, json: argv.json, check: argv.check, ...replicateArgs(argv) });
      },
    )
    .command(
      'compare <scenarios..>',
      'run several scenarios, or one scenario over a grid of key values, and compare them side by side',
      (y) =>
        withReplicateOptions(
          y
            .positional('scenarios', { type: 'string', array: true, demandOption: true, describe: 'scenario YAML files' })
            .option('vary', { type: 'string', array: true, describe: 'one run per value; repeat for a grid: --vary prefill.router=round_robin,cache_aware' })
            .option('set', { type: 'string', array: true, default: [], describe: 'override a key in every run' })
            .option('trace', { type: 'string', describe: "replay this Mooncake trace instead of the scenarios' workloads" })
            .option('out', { type: 'string', describe: 'output folder (default results/compare-<first scenario name>/)' })
            .option('quiet', { type: 'boolean', default: false })
            .option('charts', { type: 'boolean', default: true, describe: 'render charts/compare.svg (--no-charts to skip)' }),
        ),
      async (argv) => {
        const { compareCommand } = await import('./compare-command.js');
        await compareCommand({
          scenarios: argv.scenarios as string[],
          axes: varyAxes(argv.vary),
          sets: [...argv.set],
          trace: argv.trace === undefined ? undefined : resolve(argv.trace),
          out: argv.out,
          quiet: argv.quiet,
          charts: argv.charts,
          ...replicateArgs(argv),
          progress: progress('kvsim compare', { quiet: argv.quiet }),
        });
      },
    )
    .command(
      'plan <scenario>',
      'find the cheapest prefill × decode node counts that meet the scenario\'s SLO targets',
      (y) =>
        withNodeSearchOptions(
          withReplicateOptions(y).positional('scenario', { type: 'string', demandOption: true, describe: 'scenario YAML file (with slo: targets)' }),
          'plan',
        ),
      async (argv) => {
        const { planCommand } = await import('./plan-command.js');
        await planCommand({
          ...nodeSearchArgs(argv),
          ...replicateArgs(argv),
          progress: progress('kvsim plan', { quiet: argv.quiet }),
        });
      },
    )
    .command(
      'tco <scenario>',
      "iso-SLO TCO: the cheapest configuration of each hardware mix meeting the scenario's SLO, relative to its own mix",
      (y) =>
        withNodeSearchOptions(
          y
            .positional('scenario', { type: 'string', demandOption: true, describe: 'scenario YAML file (with slo: targets)' })
            .option('mixes', { type: 'string', default: '', describe: 'hardware mixes: device[:tp] or prefill+decode, comma-separated (default h100,h200,b200,mi300x,gaudi3,b200+gaudi3)' })
            .option('reference', { type: 'string', describe: 'mix the TCO ratios divide by (default: scenario, its own hardware)' })
            .option('jobs', JOBS_OPTION),
          'tco',
        ),
      async (argv) => {
        const { tcoCommand } = await import('./tco-command.js');
        await tcoCommand({
          ...nodeSearchArgs(argv),
          mixes: argv.mixes,
          reference: argv.reference,
          jobs: jobsArg(argv),
          progress: progress('kvsim tco', { quiet: argv.quiet }),
        });
      },
    )
    .command(
      'sweep <file>',
      'run a grid over any number of keys (× seeds) on all cores; one tidy table (sweep.csv, sweep.json) and charts',
      (y) => sweepBuilder(y),
      async (argv) => {
        const { sweepCommand } = await import('./sweep-command.js');
        await sweepCommand({ ...argv, file: argv.file as string, set: [...argv.set] });
      },
    )
    .command(
      'merge <parts..>',
      'join the partial tables of a sharded sweep (kvsim sweep --shard I/N) into one',
      (y) => mergeBuilder(y),
      async (argv) => {
        const { mergeCommand } = await import('./merge-command.js');
        await mergeCommand({ parts: argv.parts as string[], out: argv.out, quiet: argv.quiet, charts: argv.charts });
      },
    )
    .command(
      'regress <suite..>',
      'run a suite of scenarios over seeds and compare every metric with a stored baseline; exit 1 on a regression',
      (y) =>
        y
          .positional('suite', { type: 'string', array: true, demandOption: true, describe: 'scenario files, suite.yaml manifests or folders' })
          .option('baseline', { type: 'string', describe: 'compare with this baseline (JSON written by --save-baseline)' })
          .option('save-baseline', { type: 'string', describe: 'write this run as the baseline to FILE' })
          .option('vary', { type: 'string', describe: 'one case per value for every scenario file: --vary prefill.router=round_robin,cache_aware' })
          .option('set', { type: 'string', array: true, default: [], describe: 'override a key in every run' })
          .option('seeds', { type: 'string', describe: 'replicate every case over seeds 1..N' })
          .option('seed', { type: 'string', describe: 'replicate every case over these seeds: --seed 1,7,42' })
          .option('tolerance', { type: 'string', array: true, default: [], describe: 'allowed worsening: 5% | 0.02 | spread, for all or one metric (ttft_p95_s=10%)' })
          .option('trace', { type: 'string', describe: "replay this Mooncake trace instead of the scenarios' workloads" })
          .option('quiet', { type: 'boolean', default: false, describe: 'print only regressions' }),
      async (argv) => {
        const { regressCommand } = await import('./regress-command.js');
        process.exitCode = regressCommand({
          paths: argv.suite as string[],
          baseline: argv.baseline,
          saveBaseline: argv.saveBaseline,
          vary: argv.vary,
          sets: [...argv.set],
          seeds: argv.seeds,
          seed: argv.seed,
          tolerance: [...argv.tolerance],
          trace: argv.trace === undefined ? undefined : resolve(argv.trace),
          quiet: argv.quiet,
        });
      },
    )
    .command(
      'validate',
      'run the built-in published measurements through the step-time model; print predicted vs published',
      (y) =>
        y
          .option('fit', { type: 'boolean', default: false, describe: 'fit the efficiency factors per device and print them (changes no file)' })
          .option('points', { type: 'string', describe: 'your own measurements (YAML or CSV): predicted vs measured' })
          .option('json', { type: 'boolean', default: false, describe: 'print JSON instead of the table' }),
      async (argv) => {
        const { validateCommand } = await import('./validate-command.js');
        process.exitCode = validateCommand({ fit: argv.fit, json: argv.json, points: argv.points });
      },
    )
    .demandCommand(1, 'name a command, e.g. kvsim run scenarios/medium.yaml')
    .strict()
    .help()
    // From kvsim's own package.json (yargs would look for one from the current folder when bundled).
    .version(kvsimVersion())
    .wrap(Math.min(160, process.stdout.columns ?? 80))
    .fail((msg, err) => {
      if (err) fail(err);
      const text = /Not enough non-option arguments/.test(msg) ? 'name a scenario file, e.g. kvsim run scenarios/medium.yaml' : msg;
      process.stderr.write(`kvsim: error: ${text} (run "kvsim --help" for usage)\n`);
      process.exit(2);
    })
    .parseAsync();
}

main().catch(fail);
