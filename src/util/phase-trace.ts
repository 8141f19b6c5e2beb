import { writeSync } from 'node:fs';
import { threadId } from 'node:worker_threads';

/**
 * KVSIM_TRACE_PHASES=1: each `phase(name)` prints one stderr line `kvsim-phase <ms> t<thread> <name>`,
 * the time since the process started (performance.now() shares the main thread's origin in worker
 * threads too, so lines of all threads line up). For finding where a run's wall time goes
 * (README "Start-up"); off, a call costs one boolean test.
 */
const enabled = process.env.KVSIM_TRACE_PHASES === '1';

export function phase(name: string): void {
  if (enabled) writeSync(2, `kvsim-phase ${performance.now().toFixed(1).padStart(7)} t${threadId} ${name}\n`);
}
