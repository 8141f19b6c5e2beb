import type { RecordSink } from '../metrics/request-log.js';
import { runCharts, type VlSpec } from '../report/charts.js';
import { tiersCsv } from '../report/tiers-csv.js';
import { latencyFloors, type LatencyFloors } from '../metrics/latency-floor.js';
import type { Summary } from '../metrics/summary.js';
import { loadScenario } from '../scenario/load.js';
import { InputError } from '../scenario/input-error.js';
import { runScenario, type RunOptions } from '../run.js';
import { provenance, type Provenance } from './provenance.js';
import { phase } from '../util/phase-trace.js';

/** One simulation to make: a scenario file, its overrides, optionally a seed. Plain data (crosses threads). */
export interface Job {
  /** Scenario file as the user gave it (relative to the current folder). */
  readonly scenario: string;
  /** `--set` assignments, applied in order. */
  readonly sets: readonly string[];
  /** Absolute path of a trace replacing the scenario's workload. */
  readonly trace?: string;
  /** Overrides the scenario seed (applied after `sets`). */
  readonly seed?: number | string;
  /**
   * Also return the per-tier table and chart specs (a `kvsim run`); requests.csv goes to the
   * caller's sink (see executeJob), row by row, never as one string.
   */
  readonly detail?: boolean;
  /** Also return the idle-cluster latency floors (what `plan` says more nodes cannot fix). */
  readonly floors?: boolean;
}

export interface JobDetail {
  readonly tiersCsv: string;
  readonly charts: Record<string, VlSpec>;
}

/** summary.json of a run: the metrics plus how they were made. */
export type RunSummary = Summary & { provenance: Provenance };

export interface JobResult {
  readonly summary: RunSummary;
  readonly wallSeconds: number;
  readonly detail?: JobDetail;
  readonly floors?: LatencyFloors;
}

/** The overrides a job applies, seed last so it wins over a `--set seed=`. */
export function jobSets(job: Job): string[] {
  return job.seed === undefined ? [...job.sets] : [...job.sets, `seed=${job.seed}`];
}

/** What the caller of a job in its own thread may add: a requests.csv writer, a progress observer. */
export type JobHooks = Pick<RunOptions, 'sink' | 'onSample'>;

/**
 * Runs one job in this thread. Per-request records are kept only for the latency floors (plan);
 * summaries, charts and requests.csv (through `hooks.sink`) come from the run's compact log.
 */
export function executeJob(job: Job, hooks: JobHooks = {}): JobResult {
  const sets = jobSets(job);
  const loaded = loadScenario(job.scenario, sets, job.trace);
  phase('job: scenario loaded');
  const result = runScenario(loaded, { ...hooks, keepRecords: job.floors === true });
  phase('job: simulated and summarized');
  const { metrics, blockBytes } = result;
  const summary: RunSummary = { ...result.summary, provenance: provenance(loaded, sets) };
  const detail = job.detail
    ? {
        tiersCsv: tiersCsv(metrics.occupancy, blockBytes),
        charts: runCharts(summary, metrics, blockBytes),
      }
    : undefined;
  if (detail) phase('job: tiers.csv and chart specs built');
  const floors = job.floors ? latencyFloors(result.plan, metrics.records) : undefined;
  return { summary, wallSeconds: result.wallSeconds, detail, floors };
}

/** What a worker thread sends back: a result, or an input error to re-raise as one (classes do not cross threads). */
export type WorkerReply = { ok: JobResult } | { inputError: { where: string; field: string; detail: string } };

export function executeJobForWorker(job: Job): WorkerReply {
  try {
    return { ok: executeJob(job) };
  } catch (e) {
    if (e instanceof InputError) return { inputError: { where: e.where, field: e.field, detail: e.detail } };
    throw e;
  }
}
