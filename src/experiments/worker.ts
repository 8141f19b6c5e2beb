// Worker-thread entry of the experiment runner (loaded by piscina): one call per worker and batch.
import type { MessagePort } from 'node:worker_threads';
import { executeJobForWorker, type Job, type WorkerReply } from './job.js';

/**
 * A batch shared by every thread: each takes the next job from one shared cursor until none is
 * left, so no thread waits for another to hand it work, and the last jobs go to whichever thread
 * is free first.
 */
export interface BatchTask {
  readonly jobs: readonly Job[];
  /** One Int32: the index of the next job to take (Atomics.add). */
  readonly cursor: SharedArrayBuffer;
  /** Receives the index of each job this worker finishes (progress). */
  readonly progress: MessagePort;
}

/** The jobs this worker ran, as [index, reply]. */
export default function runBatch(task: BatchTask): [number, WorkerReply][] {
  const cursor = new Int32Array(task.cursor);
  const ran: [number, WorkerReply][] = [];
  for (let i = Atomics.add(cursor, 0, 1); i < task.jobs.length; i = Atomics.add(cursor, 0, 1)) {
    ran.push([i, executeJobForWorker(task.jobs[i])]);
    task.progress.postMessage(i);
  }
  task.progress.close();
  return ran;
}
