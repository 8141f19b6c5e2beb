/**
 * Why hot event callbacks are bound methods (`this.onX.bind(this, ...)`, `countdown`) rather than
 * closures made per event or per run: V8 keeps the optimized code of a closure's function only
 * weakly (through the feedback its closures share), alive while some closure that ran it is. A
 * closure made per event dies once it has run, one made per run at the run's end; the next full GC
 * then drops the code, and the next closures run interpreted until TurboFan compiles them again.
 * In a 64-run sweep that happened every few runs for each such callback (~600 recompilations on
 * V8's helper threads, which a parallel sweep's simulation threads need). A bound method calls the
 * class's one function, whose optimized code lives as long as the module.
 */
class Countdown {
  constructor(
    private left: number,
    private readonly done: () => void,
  ) {}

  tick(): void {
    if (--this.left === 0) this.done();
  }
}

/** A callback that calls `done` on its `n`-th call (n ≥ 1), and never again. */
export function countdown(n: number, done: () => void): () => void {
  const c = new Countdown(n, done);
  return c.tick.bind(c);
}
