import { setFlagsFromString } from 'node:v8';
import { trainingCodeCache } from './code-cache.js';

/**
 * Stops V8's optimizing compiler (TurboFan) from compiling anything more in this process; code
 * already optimized keeps running, and everything else runs in V8's interpreter and baseline
 * compiler. For the last, run-once work of a process: rendering a run's charts with Vega, whose
 * many functions turn hot for a moment and TurboFan then compiles on background threads for more
 * CPU than the optimized code saves (README "Start-up": the conversation trace's 7 charts cost
 * ~0.2 CPU-s less). V8's flags are per process, not per thread: call it only when no simulation
 * is left to run. Results never change, only where the CPU goes.
 *
 * Not in the build's code-cache training run: V8 stamps a cache with the flags it was made under and
 * refuses it under others, and kvsim starts with the default flags.
 */
export function stopOptimizing(): void {
  if (!trainingCodeCache()) setFlagsFromString('--no-turbofan');
}
