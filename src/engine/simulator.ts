import { MinHeap } from '../util/min-heap.js';

export type Action = () => void;

/** Events allowed at one instant before the run is declared stalled (far above any real burst). */
const STALL_LIMIT = 10_000_000;

/** Thrown when a run passes its simulated-time or event budget (see `Simulator.limits`). */
export class SimulationLimitError extends Error {
  constructor(
    readonly kind: 'time' | 'events',
    readonly limit: number,
  ) {
    super(kind === 'time' ? `simulated time passed its limit of ${limit} s` : `event count passed its limit of ${limit}`);
    this.name = 'SimulationLimitError';
  }
}

/** The simulated clock and its event loop. Time is in seconds and never goes backward. */
export class Simulator {
  private readonly queue = new MinHeap<Action>();
  private clock = 0;
  private processed = 0;
  /**
   * Budgets the owner may raise as the workload unfolds (no wall clock involved, so a run is
   * stopped at the same point on any machine): an event later than `maxTime` or the event after
   * `maxEvents` throws SimulationLimitError instead of running.
   */
  readonly limits = { maxTime: Infinity, maxEvents: Infinity };

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
      if (t > this.limits.maxTime) throw new SimulationLimitError('time', this.limits.maxTime);
      if (this.processed >= this.limits.maxEvents) throw new SimulationLimitError('events', this.limits.maxEvents);
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
