import { describe, expect, it } from 'vitest';
import type { Job } from '../../src/experiments/job.js';
import { JobRunner, runJobs } from '../../src/experiments/runner.js';
import { InputError } from '../../src/scenario/input-error.js';

const TINY = 'test/fixtures/scenarios/tiny-8b.yaml';
// Seven small runs (40 requests each): more jobs than threads, an odd count so threads end unevenly.
const jobs: Job[] = [1, 2, 3, 4, 5, 6, 7].map((seed) => ({ scenario: TINY, sets: ['workload.num_requests=40'], seed }));
const summaries = (rs: { summary: unknown }[]) => rs.map((r) => JSON.stringify(r.summary));

describe('job runner', () => {
  it('returns results in job order, the same with 1, 2 or 3 threads, with or without this thread taking jobs', async () => {
    const one = summaries(await runJobs(jobs, { jobs: 1 }));
    expect(one).toHaveLength(7);
    expect(one.map((s) => JSON.parse(s).seed)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    for (const opts of [{ jobs: 2 }, { jobs: 3 }, { jobs: 2, useCallingThread: false }]) {
      const progress: number[] = [];
      const got = summaries(await runJobs(jobs, { ...opts, onProgress: (d) => progress.push(d) }));
      expect(got).toEqual(one);
      expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7]);
    }
  }, 60_000);

  it('keeps its threads across batches and gives the same results in each', async () => {
    const runner = new JobRunner({ jobs: 2 });
    try {
      const a = summaries(await runner.run(jobs.slice(0, 3)));
      const b = summaries(await runner.run(jobs.slice(0, 3)));
      expect(b).toEqual(a);
    } finally {
      await runner.close();
    }
  }, 60_000);

  it('started early, starts no more worker threads than a batch has jobs for, with the same results', async () => {
    const serial = summaries(await runJobs(jobs.slice(0, 3), { jobs: 1 }));
    const runner = new JobRunner({ jobs: 8 });
    try {
      // 3 jobs: this thread and 2 workers (not 7).
      runner.start(3);
      expect(runner.workerThreads).toBe(2);
      expect(summaries(await runner.run(jobs.slice(0, 3)))).toEqual(serial);
      expect(runner.workerThreads).toBe(2);
    } finally {
      await runner.close();
    }
    const unstarted = new JobRunner({ jobs: 8 });
    try {
      expect(summaries(await unstarted.run(jobs.slice(0, 2)))).toEqual(serial.slice(0, 2));
      expect(unstarted.workerThreads).toBe(1);
    } finally {
      await unstarted.close();
    }
  }, 60_000);

  it('raises the first failing job (in job order) as an InputError, whichever thread ran it', async () => {
    // Jobs 2 and 4 fail; job 2's error is the one reported, as a single thread would.
    const bad: Job[] = jobs.slice(0, 5).map((j, i) => (i === 2 || i === 4 ? { ...j, sets: [i === 2 ? 'decode.nodes=-1' : 'prefill.nodes=-1'] } : j));
    for (const n of [1, 2, 3]) {
      const e = await runJobs(bad, { jobs: n }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).message).toContain('decode.nodes: must not be negative');
    }
  }, 60_000);
});
