import { loadScenario } from '../scenario/load.js';
import { RequestsCsvWriter } from '../report/requests-csv.js';
import { SpoolFile } from '../report/spool-file.js';
import { runCharts } from '../report/charts.js';
import { ChartRenderer } from '../report/chart-worker.js';
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
  // Vega loads in a worker thread while the scenario is read and simulated.
  const renderer = opts.charts ? new ChartRenderer() : undefined;
  let result;
  let dir;
  // requests.csv is written as requests settle; the run keeps only compact columns in memory.
  const csv = new RequestsCsvWriter(new SpoolFile());
  try {
    const loaded = loadScenario(opts.scenario, opts.sets, opts.trace);
    // Checked before simulating: a bad folder must not cost a whole run.
    dir = resolveOutDir(opts.out, loaded.scenario.name);
    result = runScenario(loaded, { keepRecords: false, sink: csv });
  } catch (e) {
    renderer?.cancel();
    csv.finish().close();
    throw e;
  }
  const { summary, metrics, blockBytes } = result;
  const requests = csv.finish();
  try {
    await publishOutputs(
      dir,
      {
        'summary.json': `${JSON.stringify(summary, null, 2)}\n`,
        'requests.csv': requests,
        'tiers.csv': tiersCsv(metrics.occupancy, blockBytes),
      },
      async () => (renderer ? renderer.render(runCharts(summary, metrics.log, metrics.occupancy, blockBytes)) : {}),
    );
  } finally {
    // A failed publish may not have reached the charts: the worker must not outlive the run.
    renderer?.cancel();
    requests.close();
  }
  if (!opts.quiet) {
    process.stdout.write(`${formatSummary(summary)}\n`);
    process.stdout.write(
      `  simulated ${summary.sim.events.toLocaleString('en-US')} events in ${result.wallSeconds.toFixed(2)} s wall; ` +
        `wrote summary.json, requests.csv, tiers.csv${opts.charts ? ', charts/' : ''} to ${displayPath(dir)}/\n`,
    );
  }
}
