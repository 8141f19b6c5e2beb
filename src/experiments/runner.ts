import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { MessageChannel } from 'node:worker_threads';
import type { Piscina } from 'piscina';
import { InputError } from '../scenario/input-error.js';
import { threadEntry } from '../util/thread-entry.js';
import { executeJob, type Job, type JobResult, type WorkerReply } from './job.js';
import { SharedJobQueue } from './job-queue.js';
import type { BatchTask } from './worker.js';

export interface RunnerOptions {
  /** Threads running simulations; default: one per core. 1 runs every job in this thread. */
  readonly jobs?: number;
  /** Called after each job ends (in completion order) with the count done so far. */
  readonly onProgress?: (done: number, total: number) => void;
  /**
   * This thread runs jobs too, beside `jobs` − 1 worker threads (default): it would otherwise sit
   * idle, and each worker costs a start-up (module loading, compilation). It joins once the
   * caller's synchronous work is done (kvsim run simulates its detailed seed first). Off: `jobs`
   * workers run the batch.
   */
  readonly useCallingThread?: boolean;
}

export const defaultJobs = (): number => availableParallelism();

// piscina is loaded when a batch first needs worker threads: a single simulation (most `kvsim run`s)
// does not pay its ~10 ms of module loading.
const require = createRequire(import.meta.url);

/** A worker's reply as a result, or its input error raised again as one (classes do not cross threads). */
const resultOf = (r: WorkerReply): JobResult => {
  if ('inputError' in r) throw new InputError(r.inputError.where, r.inputError.field, r.inputError.detail);
  return r.ok;
};

/**
 * Runs simulations, in parallel worker threads when there are several, and returns their results
 * in job order. Each job is a pure function of its plain-data description (scenario, overrides,
 * seed), so results do not depend on the number of threads or on which finishes first. One runner
 * keeps its threads across batches (e.g. the rounds of a plan search); `close()` ends them.
 */
export class JobRunner {
  private pool: Piscina | undefined;
  private readonly threads: number;
  private readonly workers: number;
  private readonly callingThreadRuns: boolean;

  constructor(readonly opts: RunnerOptions = {}) {
    this.threads = opts.jobs ?? defaultJobs();
    this.callingThreadRuns = opts.useCallingThread !== false;
    this.workers = this.callingThreadRuns ? this.threads - 1 : this.threads;
  }

  /** Worker threads a batch of `n` jobs needs: never more than it has jobs for. */
  private workersFor(n: number): number {
    return Math.max(0, Math.min(this.workers, this.callingThreadRuns ? n - 1 : n));
  }

  async run(list: readonly Job[], onProgress = this.opts.onProgress): Promise<JobResult[]> {
    let done = 0;
    const finished = (): void => {
      done += 1;
      onProgress?.(done, list.length);
    };
    if ((Math.min(this.threads, list.length) <= 1 || this.workers === 0) && this.pool === undefined) {
      return list.map((job) => {
        const r = executeJob(job);
        finished();
        return r;
      });
    }
    const workers = this.workersFor(list.length);
    const pool = this.startPool(workers);
    // Each job's result or error; errors are raised in job order once all ran, as with one thread.
    const outcomes: ({ ok: JobResult } | { error: unknown })[] = new Array(list.length);
    const settle = (i: number, outcome: () => JobResult): void => {
      try {
        outcomes[i] = { ok: outcome() };
      } catch (error) {
        outcomes[i] = { error };
      }
    };
    // Every thread (this one, and the workers) owns a slice of one shared queue.
    const queue = SharedJobQueue.create(list.length, workers + (this.callingThreadRuns ? 1 : 0));
    const firstWorkerSlice = this.callingThreadRuns ? 1 : 0;
    const batches = Array.from({ length: workers }, async (_, w) => {
      const { port1, port2 } = new MessageChannel();
      let reported = 0;
      port1.on('message', () => {
        reported++;
        finished();
      });
      const task: BatchTask = { jobs: list, queue: queue.buffer, slices: queue.slices, slice: firstWorkerSlice + w, progress: port2 };
      try {
        const ran = (await pool.run(task, { transferList: [port2] })) as [number, WorkerReply][];
        for (const [i, reply] of ran) settle(i, () => resultOf(reply));
        // Progress messages still in flight when the batch returned.
        for (; reported < ran.length; reported++) finished();
      } finally {
        port1.close();
      }
    });
    // A worker that fails is reported by the await below, after this thread's jobs, never as unhandled.
    for (const b of batches) b.catch(() => undefined);
    if (this.callingThreadRuns) {
      // Joins after the caller's synchronous work (kvsim run simulates its detailed seed first).
      await new Promise((resolve) => setImmediate(resolve));
      for (let i = queue.take(0); i !== undefined; i = queue.take(0)) {
        settle(i, () => executeJob(list[i]));
        finished();
        // Let the workers' progress in before the next run here.
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    await Promise.all(batches);
    return outcomes.map((o) => {
      if ('error' in o) throw o.error;
      return o.ok;
    });
  }

  /**
   * Starts the worker threads now, for a batch of up to `expectedJobs` jobs, so their start-up
   * (module loading, ~0.3 s each) overlaps the caller's own preparation (e.g. a sweep checking that
   * every grid point loads) instead of delaying the first runs. Optional: run() starts them too.
   */
  start(expectedJobs: number): void {
    const workers = this.workersFor(expectedJobs);
    if (workers > 0) this.startPool(workers);
  }

  private startPool(workers: number): Piscina {
    const { Piscina: Pool } = require('piscina') as typeof import('piscina');
    this.pool ??= new Pool({
      filename: threadEntry(import.meta.url, 'worker.js', 'experiments/worker.js'),
      minThreads: workers,
      maxThreads: this.workers,
      idleTimeout: 60_000,
    });
    return this.pool;
  }

  /** Worker threads running now (this thread not counted). */
  get workerThreads(): number {
    return this.pool?.threads.length ?? 0;
  }

  async close(): Promise<void> {
    await this.pool?.destroy();
    this.pool = undefined;
  }
}

/** Runs one batch of jobs with a runner of its own. */
export async function runJobs(list: readonly Job[], opts: RunnerOptions = {}): Promise<JobResult[]> {
  const runner = new JobRunner(opts);
  try {
    return await runner.run(list);
  } finally {
    await runner.close();
  }
}

/** Parses `--jobs`: a whole number of threads from 1. */
export function parseJobs(given: string | number | undefined): number {
  if (given === undefined) return defaultJobs();
  const text = String(given).trim();
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(n >= 1 && n <= 1024)) throw new InputError('--jobs', '', `expected a whole number of worker threads from 1, got "${given}"`);
  return n;
}
