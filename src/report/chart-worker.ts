import { Worker } from 'node:worker_threads';
import { threadEntry } from '../util/thread-entry.js';
import type { VlSpec } from './charts.js';

/**
 * Chart rendering off the critical path: a worker thread starts loading Vega (~0.3 CPU-s of module
 * loading) as soon as a run begins, while the main thread simulates; when the specs are ready it
 * renders them and sends back the files. Same output as rendering in-process.
 */
export class ChartRenderer {
  private readonly worker = new Worker(threadEntry(import.meta.url, 'chart-thread.js', 'report/chart-thread.js'));
  private readonly result: Promise<Record<string, string>>;
  private submit: ((specs: Record<string, VlSpec>) => void) | undefined;

  constructor() {
    this.result = new Promise((resolve, reject) => {
      this.worker.once('message', (files: Record<string, string>) => resolve(files));
      this.worker.once('error', reject);
      this.worker.once('exit', (code) => reject(new Error(`chart worker exited with code ${code}`)));
    });
    // A run that fails before rendering must not be kept alive by an idle worker.
    this.worker.unref();
    this.submit = (specs) => this.worker.postMessage(specs);
  }

  /** Renders the specs; resolves to file name -> content. */
  async render(specs: Record<string, VlSpec>): Promise<Record<string, string>> {
    this.worker.ref();
    this.submit?.(specs);
    this.submit = undefined;
    try {
      return await this.result;
    } finally {
      void this.worker.terminate();
    }
  }

  /** Stops the worker without rendering (the run failed). */
  cancel(): void {
    void this.worker.terminate();
  }
}
