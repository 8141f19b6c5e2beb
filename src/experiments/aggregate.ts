import type { Summary } from '../metrics/summary.js';
import { meanInterval, type Interval } from './interval.js';
import { METRICS, meetsSlo } from './metrics.js';

/** Replicate statistics of one configuration: every metric as mean and 95% interval across seeds. */
export interface Replicates {
  readonly seeds: (number | string)[];
  readonly metrics: Record<string, Interval & { readonly values: number[] }>;
  /** SLO met on every seed (a plan counts a configuration only then). */
  readonly slo_met_every_seed: boolean;
  readonly slo_met_seeds: number;
}

/** Aggregates the summaries of one configuration's seeds (in seed order). */
export function aggregateReplicates(summaries: readonly Summary[]): Replicates {
  const metrics: Record<string, Interval & { values: number[] }> = {};
  for (const m of METRICS) {
    const values = summaries.map(m.pick);
    metrics[m.name] = { ...meanInterval(values), values };
  }
  const met = summaries.filter(meetsSlo).length;
  return { seeds: summaries.map((s) => s.seed), metrics, slo_met_every_seed: met === summaries.length, slo_met_seeds: met };
}
