import { join } from 'node:path';
import { loadScenario } from '../scenario/load.js';
import { requestsCsv } from '../report/requests-csv.js';
import { runCharts } from '../report/charts.js';
import { ChartRenderer } from '../report/chart-worker.js';
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
  /** Render charts (SVG + Vega-Lite specs) into DIR/charts/. */
  charts: boolean;
}

/** `kvsim run`: load, simulate, then write every output file or none. */
export async function runCommand(opts: RunOptions): Promise<void> {
  // Vega loads in a worker thread while the scenario is read and simulated.
  const renderer = opts.charts ? new ChartRenderer() : undefined;
  let result;
  let loaded;
  try {
    loaded = loadScenario(opts.scenario, opts.sets, opts.trace);
    result = runScenario(loaded);
  } catch (e) {
    renderer?.cancel();
    throw e;
  }
  const dir = opts.out ?? join('results', loaded.scenario.name);
  const { summary, metrics, blockBytes } = result;
  const charts = renderer ? await renderer.render(runCharts(summary, metrics.records, metrics.occupancy, blockBytes)) : {};
  writeFilesAtomically(dir, {
    'summary.json': `${JSON.stringify(summary, null, 2)}\n`,
    'requests.csv': requestsCsv(metrics.records),
    'tiers.csv': tiersCsv(metrics.occupancy, blockBytes),
    ...charts,
  });
  if (!opts.quiet) {
    process.stdout.write(`${formatSummary(summary)}\n`);
    process.stdout.write(
      `  simulated ${summary.sim.events.toLocaleString('en-US')} events in ${result.wallSeconds.toFixed(2)} s wall; ` +
        `wrote summary.json, requests.csv, tiers.csv${opts.charts ? ', charts/' : ''} to ${dir}/\n`,
    );
  }
}
