/**
 * In the build's code-cache training run (scripts/bundle.mjs), writes the V8 code cache of the
 * bundle this thread runs; elsewhere does nothing. For worker threads, which are terminated
 * without running exit handlers: they call it when their work is done.
 */
export function saveCodeCache(): void {
  const save = (globalThis as Record<symbol, unknown>)[Symbol.for('kvsim.saveCodeCache')];
  if (typeof save === 'function') save();
}
