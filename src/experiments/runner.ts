import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { InputError } from '../scenario/input-error.js';
import { executeJob, type Job, type JobResult, type WorkerReply } from './job.js';

export interface RunnerOptions {
  /** Worker threads; default: one per core. 1 runs every job in this thread. */
  readonly jobs?: number;
  /** Called after each job ends (in completion order) with the count done so far. */
  readonly onProgress?: (done: number, total: number) => void;
}

export const defaultJobs = (): number => availableParallelism();

/**
 * The compiled worker entry. Under the test runner this module is TypeScript source, so the
 * worker comes from dist/ (built by `npm test` before the tests start).
 */
function workerFile(): string {
  const beside = fileURLToPath(new URL('./worker.js', import.meta.url));
  if (existsSync(beside)) return beside;
  const built = fileURLToPath(new URL('../../dist/experiments/worker.js', import.meta.url));
  if (existsSync(built)) return built;
  throw new Error(`experiment worker not found at ${beside} or ${built}; run npm run build`);
}

/**
 * Runs simulations, in parallel worker threads when there are several, and returns their results
 * in job order. Each job is a pure function of its plain-data description (scenario, overrides,
 * seed), so results do not depend on the number of threads or on which finishes first.
 */
export async function runJobs(list: readonly Job[], opts: RunnerOptions = {}): Promise<JobResult[]> {
  const threads = Math.min(opts.jobs ?? defaultJobs(), list.length);
  let done = 0;
  const finished = (): void => {
    done += 1;
    opts.onProgress?.(done, list.length);
  };
  if (threads <= 1) {
    return list.map((job) => {
      const r = executeJob(job);
      finished();
      return r;
    });
  }
  const pool = new Piscina({ filename: workerFile(), minThreads: threads, maxThreads: threads, idleTimeout: 1000 });
  try {
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
  } finally {
    await pool.destroy();
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
