/**
 * How the threads of a batch share its jobs: each thread owns one contiguous slice of the job list
 * and takes its jobs front to back; a thread whose slice is used up takes from the back of the
 * slice with the most jobs left. Contiguous slices rather than one shared cursor: neighbouring jobs
 * of a grid share their slowest-varying keys (e.g. the prefill router of a sweep), so each thread
 * meets fewer distinct policies and code paths. Every thread is a V8 isolate of its own that
 * compiles, and recompiles after each deoptimization, the code paths it meets; fewer per thread is
 * less of that work on the cores the simulations need. The stealing keeps the threads busy to the
 * end as a shared cursor would.
 *
 * Lock-free over a SharedArrayBuffer (the same queue in every thread): a job is run by whoever
 * claims its flag first (Atomics.compareExchange). The owner of a slice claims upwards from its
 * front and others claim downwards from its back, so once either fails a claim, every job between
 * the two ends is taken: that slice is done for it.
 */
export class SharedJobQueue {
  /** Per slice four Int32: first job, end (exclusive), front cursor (next to take), back cursor (one past the next to steal). */
  private readonly slice: Int32Array;
  /** 1 once a job is claimed, per job. */
  private readonly claimed: Int32Array;

  /** A queue of `jobs` jobs in `slices` slices (one per thread; at most one per job). */
  static create(jobs: number, slices: number): SharedJobQueue {
    const n = Math.max(1, Math.min(slices, jobs));
    const buffer = new SharedArrayBuffer(4 * (4 * n + jobs));
    const slice = new Int32Array(buffer, 0, 4 * n);
    for (let s = 0; s < n; s++) {
      // Slice s: jobs [⌊s·jobs/n⌋, ⌊(s+1)·jobs/n⌋), sizes differing by at most one.
      const first = Math.floor((s * jobs) / n);
      const end = Math.floor(((s + 1) * jobs) / n);
      slice.set([first, end, first, end], 4 * s);
    }
    return new SharedJobQueue(buffer, n);
  }

  /** The queue behind `buffer` (made by `create`, possibly in another thread). */
  constructor(
    readonly buffer: SharedArrayBuffer,
    readonly slices: number,
  ) {
    this.slice = new Int32Array(buffer, 0, 4 * slices);
    this.claimed = new Int32Array(buffer, 16 * slices);
  }

  /**
   * The next job for the thread owning slice `own` (taken modulo the slice count: more threads than
   * slices share them): from the front of its own slice, else from the back of the fullest other
   * one; undefined when every job is taken.
   */
  take(own: number): number | undefined {
    const s = 4 * (own % this.slices);
    const i = Atomics.add(this.slice, s + 2, 1);
    // A failed claim means a thief came down to i: everything above it is taken too.
    if (i < this.slice[s + 1] && this.claim(i)) return i;
    for (;;) {
      const v = this.fullestSlice();
      if (v === undefined) return undefined;
      const j = Atomics.sub(this.slice, v + 3, 1) - 1;
      // Below the slice's first job, or claimed by its owner (which claims upwards): that slice is
      // used up; look again.
      if (j >= this.slice[v] && this.claim(j)) return j;
    }
  }

  private claim(i: number): boolean {
    return Atomics.compareExchange(this.claimed, i, 0, 1) === 0;
  }

  /** Offset of the slice with the most jobs between its cursors, or undefined when none has any. */
  private fullestSlice(): number | undefined {
    let best: number | undefined;
    let most = 0;
    for (let s = 0; s < 4 * this.slices; s += 4) {
      const left = Atomics.load(this.slice, s + 3) - Atomics.load(this.slice, s + 2);
      if (left > most) {
        most = left;
        best = s;
      }
    }
    return best;
  }
}
