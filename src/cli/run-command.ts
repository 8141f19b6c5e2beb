import { join } from 'node:path';
import { loadScenario } from '../scenario/load.js';
import { requestsCsv } from '../report/requests-csv.js';
import { formatSummary } from '../report/table.js';
import { tiersCsv } from '../report/tiers-csv.js';
import { writeFilesAtomically } from '../report/atomic-write.js';
import { runScenario } from '../run.js';

export interface RunOptions {
  scenario: string;
  out?: string;
  sets: string[];
  quiet: boolean;
  /** Absolute path of a trace to replay instead of the scenario's workload. */
  trace?: string;
}

/** `kvsim run`: load, simulate, then write every output file or none. */
export function runCommand(opts: RunOptions): void {
  const loaded = loadScenario(opts.scenario, opts.sets, opts.trace);
  const result = runScenario(loaded);
  const dir = opts.out ?? join('results', loaded.scenario.name);
  writeFilesAtomically(dir, {
    'summary.json': `${JSON.stringify(result.summary, null, 2)}\n`,
    'requests.csv': requestsCsv(result.metrics.records),
    'tiers.csv': tiersCsv(result.metrics.occupancy, result.blockBytes),
  });
  if (!opts.quiet) {
    process.stdout.write(`${formatSummary(result.summary)}\n`);
    process.stdout.write(
      `  simulated ${result.summary.sim.events.toLocaleString('en-US')} events in ${result.wallSeconds.toFixed(2)} s wall; wrote summary.json, requests.csv, tiers.csv to ${dir}/\n`,
    );
  }
}
