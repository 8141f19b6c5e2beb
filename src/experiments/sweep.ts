import { parse as parseYaml } from 'yaml';
import type { Summary } from '../metrics/summary.js';
import { InputError } from '../scenario/input-error.js';
import { gridPoints, pointSets, type Axis, type GridPoint } from './grid.js';
import type { Job } from './job.js';
import { isStable, meetsSlo, METRICS } from './metrics.js';

/** Everything that defines a sweep; partial tables of one sweep carry the same definition. */
export interface SweepDefinition {
  /** Scenario file as given (relative to the current folder). */
  readonly scenario: string;
  readonly scenario_name: string;
  readonly axes: readonly Axis[];
  /** Seeds run at every grid point; `null` entries mean "the scenario's seed". */
  readonly seeds: readonly (number | string)[];
  /** `--set` assignments applied to every run before the grid point's. */
  readonly sets: readonly string[];
  /** Absolute trace path replacing the workload, if any. */
  readonly trace?: string;
}

/** One simulation of the sweep, numbered in grid order (points slowest, seeds fastest). */
export interface SweepRun {
  readonly index: number;
  readonly point: GridPoint;
  readonly seed: number | string;
}

/** `I/N`: the I-th (0-based, as Kubernetes' JOB_COMPLETION_INDEX) of N slices. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index >= count) throw new InputError('--shard', text, 'expected I/N with 0 ≤ I < N, e.g. 0/4 (I counts from 0, as JOB_COMPLETION_INDEX does)');
  return { index, count };
}

export function sweepRuns(def: SweepDefinition): SweepRun[] {
  const runs: SweepRun[] = [];
  for (const point of gridPoints(def.axes)) for (const seed of def.seeds) runs.push({ index: runs.length, point, seed });
  return runs;
}

/** A shard's runs: every N-th run from I (interleaved, so slow corners of the grid spread over shards). */
export const shardRuns = (runs: readonly SweepRun[], shard: Shard | undefined): SweepRun[] =>
  shard ? runs.filter((r) => r.index % shard.count === shard.index) : [...runs];

export function sweepJob(def: SweepDefinition, run: SweepRun): Job {
  return { scenario: def.scenario, sets: [...def.sets, ...pointSets(run.point)], trace: def.trace, seed: run.seed };
}

/** A varied value as a table cell: numbers stay numbers (for charts and sorting), the rest stays text. */
function cell(value: string): string | number | boolean {
  try {
    const v: unknown = parseYaml(value);
    if (typeof v === 'number' || typeof v === 'boolean') return v;
  } catch {
    /* not YAML: keep the text */
  }
  return value;
}

export type SweepRow = Record<string, string | number | boolean>;

/** One tidy row per run: run index, each varied key, seed, then every metric. */
export function sweepRow(run: SweepRun, s: Summary): SweepRow {
  const row: SweepRow = { run: run.index };
  for (const { key, value } of run.point) row[key] = cell(value);
  row.seed = run.seed;
  for (const m of METRICS) row[m.name] = m.pick(s);
  row.stable = isStable(s);
  row.slo_met = meetsSlo(s);
  return row;
}

/** Column order of sweep.csv. */
export const sweepColumns = (def: SweepDefinition): string[] => ['run', ...def.axes.map((a) => a.key), 'seed', ...METRICS.map((m) => m.name), 'stable', 'slo_met'];
