import { availableParallelism, loadavg } from 'node:os';

/**
 * Cores not busy with other processes, from the 1-minute load average: how many helper threads
 * (chart rendering, requests.csv formatting) can run beside the simulating thread and speed the
 * run up. On a busy machine they only compete with it for the same cores, and cost their start-up
 * (measured in README "Start-up"). Only speed depends on this, never an output. Where the load
 * average is not available (Windows: always 0), every core counts as idle.
 */
export function idleCores(): number {
  return Math.max(0, availableParallelism() - loadavg()[0]);
}
