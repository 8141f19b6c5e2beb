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

/**
 * Runs settling at most this many requests compile with a smaller inlining budget. V8 spends
 * background CPU compiling the simulator's hot functions with TurboFan, and deep inlining makes
 * each compile dearer: a short run never earns that back, a long one does. Medians of alternating
 * runs, CPU s, load 4-5, `--max-inlined-bytecode-size-cumulative=150` vs V8's default 920:
 * medium.yaml (2,607 requests, charts) 0.91 vs 1.09; the conversation trace (12,031) 0.965 vs
 * 1.06; large.yaml with 25k requests 1.92 vs 2.09, with 50k 3.77 vs 3.54, with 100k 6.82 vs 6.14.
 */
export const SHORT_RUN_REQUESTS = 30_000;
const SHORT_RUN_INLINING_BUDGET = 150;

/**
 * For a run of at most SHORT_RUN_REQUESTS in a process that loads no further bundle: a smaller
 * TurboFan inlining budget (see SHORT_RUN_REQUESTS). Call it after every code cache this process
 * will use is loaded: V8 refuses a cache made under other flags. Results never change, only CPU.
 */
export function compileForShortRun(): void {
  if (!trainingCodeCache()) setFlagsFromString(`--max-inlined-bytecode-size-cumulative=${SHORT_RUN_INLINING_BUDGET}`);
}
