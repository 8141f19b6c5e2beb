// Worker-thread entry of the experiment runner (loaded by piscina): one call per worker and batch.
import type { MessagePort } from 'node:worker_threads';
import { executeJobForWorker, type Job, type WorkerReply } from './job.js';
import { SharedJobQueue } from './job-queue.js';
import { phase } from '../util/phase-trace.js';
import { saveCodeCache } from '../util/code-cache.js';

/**
 * A batch shared by every thread: each takes jobs from one shared queue (its own slice first, see
 * SharedJobQueue) until none is left, so no thread waits for another to hand it work.
 */
export interface BatchTask {
  readonly jobs: readonly Job[];
  /** The SharedJobQueue's buffer and slice count. */
  readonly queue: SharedArrayBuffer;
  readonly slices: number;
  /** The slice this worker owns. */
  readonly slice: number;
  /** Receives the index of each job this worker finishes (progress). */
  readonly progress: MessagePort;
}

/** The jobs this worker ran, as [index, reply]. */
export default function runBatch(task: BatchTask): [number, WorkerReply][] {
  phase('worker: batch received');
  const queue = new SharedJobQueue(task.queue, task.slices);
  const ran: [number, WorkerReply][] = [];
  for (let i = queue.take(task.slice); i !== undefined; i = queue.take(task.slice)) {
    ran.push([i, executeJobForWorker(task.jobs[i])]);
    task.progress.postMessage(i);
  }
  task.progress.close();
  phase('worker: batch done');
  // The build's training run (scripts/bundle.mjs): this thread's code cache, now that its runs compiled the simulator.
  saveCodeCache();
  return ran;
}
