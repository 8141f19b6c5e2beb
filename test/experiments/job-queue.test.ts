import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SharedJobQueue } from '../../src/experiments/job-queue.js';

/** Takes jobs for `owners` in the given order of turns until none is left; the jobs each owner got. */
function drain(q: SharedJobQueue, turns: readonly number[], owners: number): number[][] {
  const got: number[][] = Array.from({ length: owners }, () => []);
  const done = new Set<number>();
  for (let t = 0; done.size < owners; t++) {
    const owner = turns[t % turns.length];
    if (done.has(owner)) {
      if (turns.every((o) => done.has(o))) break;
      continue;
    }
    const i = q.take(owner);
    if (i === undefined) done.add(owner);
    else got[owner].push(i);
  }
  return got;
}

describe('SharedJobQueue: contiguous slices, stealing from the back', () => {
  it('one thread takes every job in order', () => {
    const q = SharedJobQueue.create(5, 1);
    expect([q.take(0), q.take(0), q.take(0), q.take(0), q.take(0), q.take(0)]).toEqual([0, 1, 2, 3, 4, undefined]);
  });

  it('two threads each take their half front to back; the one done first steals from the back of the other', () => {
    // 10 jobs, slices [0,5) and [5,10). Thread 1 takes 5, 6; thread 0 takes 0..4, then steals 9, 8, 7;
    // thread 1's next take fails (7 is the thief's), so it has nothing left either.
    const q = SharedJobQueue.create(10, 2);
    expect([q.take(1), q.take(1)]).toEqual([5, 6]);
    expect([0, 1, 2, 3, 4, 5, 6, 7].map(() => q.take(0))).toEqual([0, 1, 2, 3, 4, 9, 8, 7]);
    expect(q.take(1)).toBeUndefined();
    expect(q.take(0)).toBeUndefined();
  });

  it('a thread with nothing of its own steals from the slice with the most left', () => {
    // 9 jobs in 3 slices [0,3) [3,6) [6,9): thread 0 takes its 3, thread 2 one of its own, thread 1 none yet.
    const q = SharedJobQueue.create(9, 3);
    expect([q.take(0), q.take(0), q.take(0)]).toEqual([0, 1, 2]);
    expect(q.take(2)).toBe(6);
    // Slice 1 has 3 left, slice 2 has 2: thread 0 steals 5 (back of slice 1).
    expect(q.take(0)).toBe(5);
  });

  it('the buffer is the queue: a copy made from it (another thread) shares the state', () => {
    const q = SharedJobQueue.create(4, 2);
    const other = new SharedJobQueue(q.buffer, q.slices);
    expect([q.take(0), other.take(1), q.take(0), other.take(1), q.take(0)]).toEqual([0, 2, 1, 3, undefined]);
  });

  it('property: any interleaving of takes hands out every job exactly once, each owner its own slice first and in order', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 5 }), fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 60 }), (jobs, threads, rawTurns) => {
        const turns = rawTurns.map((t) => t % threads);
        for (let o = 0; o < threads; o++) turns.push(o); // every owner gets turns
        const q = SharedJobQueue.create(jobs, threads);
        const got = drain(q, turns, threads);
        const all = got.flat().sort((a, b) => a - b);
        expect(all).toEqual(Array.from({ length: jobs }, (_, i) => i));
        // Each owner's own jobs (those of its slice) come first, in increasing order.
        for (let o = 0; o < Math.min(threads, jobs); o++) {
          const first = Math.floor((o * jobs) / Math.min(threads, jobs));
          const end = Math.floor(((o + 1) * jobs) / Math.min(threads, jobs));
          const own = got[o].filter((i) => i >= first && i < end);
          expect(got[o].slice(0, own.length)).toEqual(own);
          expect(own).toEqual([...own].sort((a, b) => a - b));
        }
      }),
    );
  });
});
