import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { parseAxes, type Axis } from '../experiments/grid.js';
import { parseJobs } from '../experiments/runner.js';
import { parseSeedSpec, type SeedSpec } from '../experiments/seeds.js';

/** --jobs: worker threads of the commands that run many simulations. */
export const JOBS_OPTION = { type: 'string', describe: 'threads running simulations in parallel, this one included (default: one per core)' } as const;

/** Flags shared by commands that run many simulations: replicates and worker threads. */
export function withReplicateOptions<T>(y: Argv<T>) {
  return y
    .option('seed', { type: 'string', describe: 'seed(s) instead of the scenario seed: 7, or 1,2,3 for replicates' })
    .option('seeds', { type: 'string', describe: 'replicates: run N seeds counting up from the base seed; metrics as mean ±95% interval' })
    .option('jobs', JOBS_OPTION);
}

/** Options of the commands that search node counts (plan, tco); `what` names the default folder. */
export function withNodeSearchOptions<T>(y: Argv<T>, what: 'plan' | 'tco') {
  return y
    .option('prefill', { type: 'string', default: '1-8', describe: 'prefill node counts to try, e.g. 1-8' })
    .option('decode', { type: 'string', default: '1-8', describe: 'decode node counts to try, e.g. 1-16' })
    .option('set', { type: 'string', array: true, default: [] as string[], describe: 'override a scenario key in every run' })
    .option('trace', { type: 'string', describe: "replay this Mooncake trace instead of the scenario's workload" })
    .option('out', { type: 'string', describe: `output folder (default results/${what}-<scenario name>/)` })
    .option('quiet', { type: 'boolean', default: false });
}

/** The options `withNodeSearchOptions` adds, as the commands take them (trace resolved to a path). */
export function nodeSearchArgs(argv: { scenario: string; prefill: string; decode: string; set: string[]; trace?: string; out?: string; quiet: boolean }) {
  return {
    scenario: argv.scenario,
    prefill: argv.prefill,
    decode: argv.decode,
    sets: [...argv.set],
    trace: argv.trace === undefined ? undefined : resolve(argv.trace),
    out: argv.out,
    quiet: argv.quiet,
  };
}

export interface ReplicateArgs {
  seeds: SeedSpec;
  jobs: number;
}

/** --jobs as the commands take it. */
export function jobsArg(argv: { jobs?: string }): number {
  return parseJobs(argv.jobs);
}

export function replicateArgs(argv: { seed?: string; seeds?: string; jobs?: string }): ReplicateArgs {
  return { seeds: parseSeedSpec(argv.seed, argv.seeds), jobs: jobsArg(argv) };
}

/** `--vary` given once (a string) or several times (an array), as a list of grid axes. */
export function varyAxes(given: unknown): Axis[] {
  return parseAxes('--vary', given as string | string[] | undefined);
}
