// Worker-thread entry of ChartRenderer (chart-worker.ts): loads Vega at once, then renders the
// specs it is sent and sends back the files.
import { parentPort } from 'node:worker_threads';
import { renderCharts, type VlSpec } from './charts.js';

const port = parentPort;
if (port) {
  // Start loading Vega now; the specs arrive when the simulation is done.
  const preload = Promise.all([import('vega-lite'), import('vega')]);
  port.once('message', (specs: Record<string, VlSpec>) => {
    void preload.then(() => renderCharts(specs)).then((files) => port.postMessage(files));
  });
}
