import type { Simulator } from './simulator.js';

/**
 * The busy/idle state of an engine that runs one step at a time. `wake()` starts a step if idle —
 * after everything else happening at this instant, so requests that arrive (or free KV) together
 * share one batch instead of the first one taking a step alone. An engine with nothing to run
 * (`hasWork` false) is not woken: its step would find no work and leave it idle, and whatever
 * gives it work later wakes it again.
 */
export class StepLoop {
  /** A step is running. */
  busy = false;
  private waking = false;
  /** The wake event's callback, a bound method made once (see src/util/countdown.ts). */
  private readonly woken = this.startIfIdle.bind(this);

  constructor(
    private readonly sim: Simulator,
    /** Starts a step if there is work (sets `busy`), else leaves the engine idle. */
    private readonly start: () => void,
    /** Whether a step started now could find work (default: always worth a look). */
    private readonly hasWork: () => boolean = alwaysWorthALook,
  ) {}

  wake(): void {
    if (this.busy || this.waking || !this.hasWork()) return;
    this.waking = true;
    this.sim.after(0, this.woken);
  }

  private startIfIdle(): void {
    this.waking = false;
    if (!this.busy) this.start();
  }
}

function alwaysWorthALook(): boolean {
  return true;
}
