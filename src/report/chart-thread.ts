// Worker-thread entry of ChartRenderer (chart-worker.ts): loads Vega at once, warms it up on
// synthetic charts until the run's charts arrive, then renders each chart it is sent and sends
// back its files.
import { parentPort, workerData } from 'node:worker_threads';
import { saveCodeCache } from '../util/code-cache.js';
import { stopOptimizing } from '../util/jit.js';
import { phase } from '../util/phase-trace.js';
import { warmUpCharts } from './chart-warm-up.js';
import { renderCharts, type VlSpec } from './charts.js';

/** One chart to render, by file stem. */
export interface ChartTask {
  readonly stem: string;
  readonly spec: VlSpec;
  /**
   * Stop V8's optimizing compiler before rendering (util/jit.ts): nothing but charts is left to run
   * in the process. Done here rather than by the sender: this thread has compiled its bundle by
   * now, under the flags its code cache was made with.
   */
  readonly stopOptimizing?: boolean;
}

/** What the thread is started with. */
export interface ChartThreadData {
  /** Render synthetic charts while waiting for the first task. */
  readonly warmUp: boolean;
}

const port = parentPort;
if (port) {
  phase('chart thread: started');
  let tasksArrived = false;
  // Start loading Vega now, then render the warm-up charts one by one while the main thread
  // simulates; the first real chart stops the warm-up (it waits at most for the chart in hand).
  let busy: Promise<unknown> = Promise.all([import('vega-lite'), import('vega')]).then(async () => {
    phase('chart thread: vega loaded');
    const { warmUp } = workerData as ChartThreadData;
    phase(`chart thread: warm-up ${warmUp ? 'on' : 'off (replicates, or no idle core)'}`);
    if (!warmUp) return;
    for (const spec of warmUpCharts()) {
      if (tasksArrived) return;
      await renderCharts({ 'warm-up': spec });
      phase('chart thread: rendered a warm-up chart');
    }
  });
  port.on('message', (task: ChartTask) => {
    tasksArrived = true;
    if (task.stopOptimizing) stopOptimizing();
    busy = busy
      .then(() => renderCharts({ [task.stem]: task.spec }))
      .then((files) => {
        phase(`chart thread: rendered ${task.stem}`);
        port.postMessage(files);
        saveCodeCache();
      });
  });
}
