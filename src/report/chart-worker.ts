import { availableParallelism, loadavg } from 'node:os';
import { Worker } from 'node:worker_threads';
import { threadEntry } from '../util/thread-entry.js';
import type { ChartTask, ChartThreadData } from './chart-thread.js';
import type { VlSpec } from './charts.js';

/** Data points of a spec (inline `values` arrays): what its rendering time grows with. */
function dataPoints(spec: unknown): number {
  if (Array.isArray(spec)) return spec.reduce((n: number, x) => n + dataPoints(x), 0);
  if (typeof spec !== 'object' || spec === null) return 0;
  return Object.entries(spec).reduce((n, [k, v]) => n + (k === 'values' && Array.isArray(v) ? v.length : dataPoints(v)), 0);
}

/**
 * Whether `kvsim run` should render its charts on a chart thread that warms Vega up during the
 * simulation (below) rather than in its own thread afterwards: only for a single simulation with a
 * core to spare. The thread saves wall time but costs CPU: its start, a second heap, and Vega's code
 * optimized for the synthetic charts; measured on 2 cores at load ~7 (conversation trace, README "Start-up"),
 * rendering in the simulating thread took ~0.1 CPU-s less and no more wall time. The build's
 * code-cache training run sets KVSIM_CHART_THREAD to 1 or 0 to take each path whatever the machine.
 */
export function chartThreadPays(replicates: boolean): boolean {
  const forced = process.env.KVSIM_CHART_THREAD;
  if (forced === '1' || forced === '0') return forced === '1';
  return !replicates && coreToSpare();
}

/**
 * Whether warming the chart thread up can use a core nobody else needs. The simulating thread
 * keeps about two cores busy (itself plus V8's compiler and GC threads), so that takes four cores
 * and a 1-minute load average at least two below their number (0 where the OS has none, e.g.
 * Windows). Measured on 2 cores (conversation trace with charts, README "Start-up"): with warm-up
 * 0.99–1.07 s wall on a quiet machine against 0.92–0.94 s without, and 0.06–0.08 s slower under
 * load — the simulation loses the core its compiler threads need.
 */
export function coreToSpare(): boolean {
  const cores = availableParallelism();
  return cores >= 4 && loadavg()[0] <= cores - 2;
}

/**
 * Chart rendering off the critical path: worker threads start loading Vega (~0.1 CPU-s each,
 * bundled) as soon as a run begins, while the main thread simulates; when the specs are ready they
 * render them, one chart at a time, the largest first, each thread taking the next chart when it
 * is free. kvsim run uses one: measured on 2 cores, a second thread cost ~0.3 CPU-s and gained
 * no wall time (README "Start-up"). Every chart renders the same wherever it is drawn, so the
 * files equal rendering in-process.
 */
export class ChartRenderer {
  private readonly workers: Worker[];
  /** Rejects when a worker fails or exits (listened to from the start: a failure while the run simulates is reported by render()). */
  private readonly failed: Promise<never>;

  /**
   * `warmUp`: while waiting for the specs, render synthetic charts so Vega's code is compiled and
   * optimised by the time they come (chart-warm-up.ts): ~0.2 CPU-s that buys wall time only when a
   * core is otherwise idle, as beside a single simulation.
   */
  constructor(threads = 1, opts: { warmUp?: boolean } = {}) {
    const entry = threadEntry(import.meta.url, 'chart-thread.js', 'report/chart-thread.js');
    const workerData: ChartThreadData = { warmUp: opts.warmUp ?? false };
    this.workers = Array.from({ length: threads }, () => new Worker(entry, { workerData }));
    this.failed = Promise.race(
      this.workers.map(
        (w) =>
          new Promise<never>((_, reject) => {
            w.once('error', reject);
            w.once('exit', (code) => reject(new Error(`chart worker exited with code ${code}`)));
          }),
      ),
    );
    this.failed.catch(() => undefined);
    // A run that fails before rendering must not be kept alive by idle workers.
    for (const w of this.workers) w.unref();
  }

  /**
   * Renders the specs; resolves to file name -> content, in the order of `specs`. `stopOptimizing`:
   * the process has no simulation left to run, so the threads stop V8's optimizing compiler as the
   * charts arrive (util/jit.ts): Vega's code then runs unoptimized, for less CPU in all.
   */
  async render(specs: Record<string, VlSpec>, opts: { stopOptimizing?: boolean } = {}): Promise<Record<string, string>> {
    const stems = Object.keys(specs);
    const queue = [...stems].sort((a, b) => dataPoints(specs[b]) - dataPoints(specs[a]));
    const byStem = new Map<string, Record<string, string>>();
    const drain = (w: Worker): Promise<void> =>
      new Promise((resolve) => {
        const next = (): void => {
          const stem = queue.shift();
          if (stem === undefined) {
            w.off('message', done);
            resolve();
            return;
          }
          const task: ChartTask = { stem, spec: specs[stem], ...(opts.stopOptimizing ? { stopOptimizing: true } : {}) };
          w.postMessage(task);
          pending = stem;
        };
        let pending = '';
        const done = (files: Record<string, string>): void => {
          byStem.set(pending, files);
          next();
        };
        w.on('message', done);
        next();
      });
    for (const w of this.workers) w.ref();
    try {
      await Promise.race([Promise.all(this.workers.map(drain)), this.failed]);
    } finally {
      this.cancel();
    }
    return Object.assign({}, ...stems.map((s) => byStem.get(s)!)) as Record<string, string>;
  }

  /** Stops the workers (after rendering, or without rendering when the run failed). */
  cancel(): void {
    for (const w of this.workers) void w.terminate();
  }
}
