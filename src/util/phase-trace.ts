import { readFileSync, writeSync } from 'node:fs';
import { threadId } from 'node:worker_threads';

/**
 * KVSIM_TRACE_PHASES=1: each `phase(name)` prints one stderr line `kvsim-phase <ms> t<thread> <name>`,
 * the time since the process started (performance.now() shares the main thread's origin in worker
 * threads too, so lines of all threads line up). On Linux, each line adds its thread's CPU
 * time so far and the time it waited for a core (from /proc/thread-self/schedstat): on a shared machine
 * that tells a slow phase from a starved one. For finding where a run's wall time goes (README
 * "Start-up"); off, a call costs one boolean test.
 */
const enabled = process.env.KVSIM_TRACE_PHASES === '1';

/** "cpu <ms> waited <ms>" of this thread, or '' where /proc is unavailable. */
function schedstat(): string {
  try {
    const [run, wait] = readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ').map(Number);
    return `  [cpu ${(run / 1e6).toFixed(0)} ms, waited ${(wait / 1e6).toFixed(0)} ms]`;
  } catch {
    return '';
  }
}

export function phase(name: string): void {
  if (enabled) writeSync(2, `kvsim-phase ${performance.now().toFixed(1).padStart(7)} t${threadId} ${name}${schedstat()}\n`);
}
