import type { Argv } from 'yargs';
import { parseAxes, type Axis } from '../experiments/grid.js';
import { parseJobs } from '../experiments/runner.js';
import { parseSeedSpec, type SeedSpec } from '../experiments/seeds.js';

/** Flags shared by commands that run many simulations: replicates and worker threads. */
export function withReplicateOptions<T>(y: Argv<T>) {
  return y
    .option('seed', { type: 'string', describe: 'seed(s) instead of the scenario seed: 7, or 1,2,3 for replicates' })
    .option('seeds', { type: 'string', describe: 'replicates: run N seeds counting up from the base seed; metrics as mean ±95% interval' })
    .option('jobs', { type: 'string', describe: 'threads running simulations in parallel, this one included (default: one per core)' });
}

export interface ReplicateArgs {
  seeds: SeedSpec;
  jobs: number;
}

export function replicateArgs(argv: { seed?: string; seeds?: string; jobs?: string }): ReplicateArgs {
  return { seeds: parseSeedSpec(argv.seed, argv.seeds), jobs: parseJobs(argv.jobs) };
}

/** `--vary` given once (a string) or several times (an array), as a list of grid axes. */
export function varyAxes(given: unknown): Axis[] {
  return parseAxes('--vary', given as string | string[] | undefined);
}
