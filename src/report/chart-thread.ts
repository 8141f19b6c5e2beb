// Worker-thread entry of ChartRenderer (chart-worker.ts): loads Vega at once, then renders each
// chart it is sent and sends back its files.
import { parentPort } from 'node:worker_threads';
import { renderCharts, type VlSpec } from './charts.js';

/** One chart to render, by file stem. */
export interface ChartTask {
  readonly stem: string;
  readonly spec: VlSpec;
}

const port = parentPort;
if (port) {
  // Start loading Vega now; the specs arrive when the simulation is done.
  const preload = Promise.all([import('vega-lite'), import('vega')]);
  port.on('message', (task: ChartTask) => {
    void preload.then(() => renderCharts({ [task.stem]: task.spec })).then((files) => port.postMessage(files));
  });
}
