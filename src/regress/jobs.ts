import type { Summary } from '../metrics/summary.js';
import { runScenario } from '../run.js';
import { loadScenario } from '../scenario/load.js';

/** One simulation of a regression suite: a scenario file, overrides, a seed (absent: the scenario's own). */
export interface Job {
  readonly file: string;
  readonly sets: readonly string[];
  readonly seed?: number;
}

export interface JobResult {
  readonly summary: Summary;
  /** The seed the run used. */
  readonly seed: number | string;
}

/**
 * Runs the jobs and returns their results in job order. Sequential for now: one place to swap in
 * a parallel runner (worker threads) without touching the regression logic.
 */
export function runJobs(jobs: readonly Job[], trace?: string): JobResult[] {
  // Load everything first: a bad scenario fails before any simulation time is spent.
  const loaded = jobs.map((j) => loadScenario(j.file, j.seed === undefined ? j.sets : [...j.sets, `seed=${j.seed}`], trace));
  return loaded.map((l) => ({ summary: runScenario(l).summary, seed: l.scenario.seed }));
}
