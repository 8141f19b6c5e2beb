import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { InputError } from '../scenario/input-error.js';
import { threadEntry } from '../util/thread-entry.js';
import { executeJob, type Job, type JobResult, type WorkerReply } from './job.js';

export interface RunnerOptions {
  /** Worker threads; default: one per core. 1 runs every job in this thread. */
  readonly jobs?: number;
  /** Called after each job ends (in completion order) with the count done so far. */
  readonly onProgress?: (done: number, total: number) => void;
}

export const defaultJobs = (): number => availableParallelism();

/**
 * Runs simulations, in parallel worker threads when there are several, and returns their results
 * in job order. Each job is a pure function of its plain-data description (scenario, overrides,
 * seed), so results do not depend on the number of threads or on which finishes first. One runner
 * keeps its threads across batches (e.g. the rounds of a plan search); `close()` ends them.
 */
export class JobRunner {
  private pool: Piscina | undefined;
  private readonly threads: number;

  constructor(readonly opts: RunnerOptions = {}) {
    this.threads = opts.jobs ?? defaultJobs();
  }

  async run(list: readonly Job[], onProgress = this.opts.onProgress): Promise<JobResult[]> {
    let done = 0;
    const finished = (): void => {
      done += 1;
      onProgress?.(done, list.length);
    };
    if (Math.min(this.threads, list.length) <= 1 && this.pool === undefined) {
      return list.map((job) => {
        const r = executeJob(job);
        finished();
        return r;
      });
    }
    this.pool ??= new Piscina({ filename: threadEntry(import.meta.url, 'worker.js', 'experiments/worker.js'), minThreads: 1, maxThreads: this.threads, idleTimeout: 60_000 });
    const pool = this.pool;
    const replies = await Promise.all(
      list.map(async (job) => {
        const reply = (await pool.run(job)) as WorkerReply;
        finished();
        return reply;
      }),
    );
    return replies.map((r) => {
      if ('inputError' in r) throw new InputError(r.inputError.where, r.inputError.field, r.inputError.detail);
      return r.ok;
    });
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
