import { loadScenario } from '../scenario/load.js';
import { requestsCsv } from '../report/requests-csv.js';
import { renderCharts, runCharts } from '../report/charts.js';
import { formatSummary } from '../report/table.js';
import { tiersCsv } from '../report/tiers-csv.js';
import { displayPath, resolveOutDir } from '../output/out-dir.js';
import { publishOutputs } from '../output/staging.js';
import { runScenario } from '../run.js';

export interface RunOptions {
  scenario: string;
  out?: string;
  sets: string[];
  quiet: boolean;
  /** Absolute path of a trace to replay instead of the scenario's workload. */
  trace?: string;
  /** Render charts (SVG + Vega-Lite specs) into DIR/charts/. */
  charts: boolean;
}

/** `kvsim run`: load, simulate, then write every output file or none. */
export async function runCommand(opts: RunOptions): Promise<void> {
  const loaded = loadScenario(opts.scenario, opts.sets, opts.trace);
  // Checked before simulating: a bad folder must not cost a whole run.
  const dir = resolveOutDir(opts.out, loaded.scenario.name);
  const result = runScenario(loaded);
  const { summary, metrics, blockBytes } = result;
  await publishOutputs(
    dir,
    {
      'summary.json': `${JSON.stringify(summary, null, 2)}\n`,
      'requests.csv': requestsCsv(metrics.records),
      'tiers.csv': tiersCsv(metrics.occupancy, blockBytes),
    },
    async () => (opts.charts ? renderCharts(runCharts(summary, metrics.records, metrics.occupancy, blockBytes)) : {}),
  );
  if (!opts.quiet) {
    process.stdout.write(`${formatSummary(summary)}\n`);
    process.stdout.write(
      `  simulated ${summary.sim.events.toLocaleString('en-US')} events in ${result.wallSeconds.toFixed(2)} s wall; ` +
        `wrote summary.json, requests.csv, tiers.csv${opts.charts ? ', charts/' : ''} to ${displayPath(dir)}/\n`,
    );
  }
}
