import { MinHeap } from '../util/min-heap.js';

export type Action = () => void;

/** Events allowed at one instant before the run is declared stalled (far above any real burst). */
const STALL_LIMIT = 10_000_000;

/** The simulated clock and its event loop. Time is in seconds and never goes backward. */
export class Simulator {
  private readonly queue = new MinHeap<Action>();
  private clock = 0;
  private processed = 0;

  get now(): number {
    return this.clock;
  }

  /** Time of the earliest pending event (Infinity if none). */
  get nextEventTime(): number {
    return this.queue.peekKey();
  }

  get eventsProcessed(): number {
    return this.processed;
  }

  /** Runs `action` at absolute time `time` (>= now); ties run in scheduling order. */
  at(time: number, action: Action): void {
    if (!(time >= this.clock)) {
      throw new Error(`event scheduled in the past or at NaN: ${time} < now ${this.clock}`);
    }
    this.queue.push(time, action);
  }

  /** Runs `action` after `delay` seconds. */
  after(delay: number, action: Action): void {
    this.at(this.clock + delay, action);
  }

  /** Processes events in time order until none are left or the next is after `until`. */
  run(until = Infinity): void {
    const q = this.queue;
    let stuck = 0;
    while (q.size > 0 && q.peekKey() <= until) {
      const t = q.peekKey();
      // Watchdog: a model bug that keeps scheduling zero-delay events would spin forever.
      if (t === this.clock) {
        if (++stuck > STALL_LIMIT) throw new Error(`simulated time stalled at ${t} s: ${STALL_LIMIT} events without progress`);
      } else stuck = 0;
      this.clock = t;
      const action = q.pop()!;
      this.processed++;
      action();
    }
  }
}
