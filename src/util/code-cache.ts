const SAVE = Symbol.for('kvsim.saveCodeCache');

/**
 * In the build's code-cache training run (scripts/bundle.mjs), writes the V8 code cache of the
 * bundle this thread runs; elsewhere does nothing. For worker threads, which are terminated
 * without running exit handlers: they call it when their work is done.
 */
export function saveCodeCache(): void {
  const save = (globalThis as Record<symbol, unknown>)[SAVE];
  if (typeof save === 'function') save();
}

/** Whether this thread runs a bundle in the build's code-cache training run (the loader then offers saveCodeCache). */
export function trainingCodeCache(): boolean {
  return typeof (globalThis as Record<symbol, unknown>)[SAVE] === 'function';
}
