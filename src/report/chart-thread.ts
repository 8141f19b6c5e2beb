// Worker-thread entry of ChartRenderer (chart-worker.ts): loads Vega at once, then renders each
// chart it is sent and sends back its files.
import { parentPort } from 'node:worker_threads';
import { phase } from '../util/phase-trace.js';
import { renderCharts, type VlSpec } from './charts.js';

/** One chart to render, by file stem. */
export interface ChartTask {
  readonly stem: string;
  readonly spec: VlSpec;
}

const port = parentPort;
if (port) {
  phase('chart thread: started');
  // Start loading Vega now; the specs arrive when the simulation is done.
  const preload = Promise.all([import('vega-lite'), import('vega')]).then(() => phase('chart thread: vega loaded'));
  port.on('message', (task: ChartTask) => {
    void preload
      .then(() => renderCharts({ [task.stem]: task.spec }))
      .then((files) => {
        phase(`chart thread: rendered ${task.stem}`);
        port.postMessage(files);
      });
  });
}
