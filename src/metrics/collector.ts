import type { StepCost } from '../cluster/step-time.js';
import type { RequestRecord } from './request-record.js';

/** Step-time accounting of one pool (prefill or decode). */
export class PoolStats {
  busyTime = 0;
  computeBoundTime = 0;
  memoryBoundTime = 0;
  commTime = 0;
  overheadTime = 0;
  steps = 0;
  tokens = 0;

  addStep(cost: StepCost, tokens: number): void {
    this.busyTime += cost.time;
    if (cost.computeBound) this.computeBoundTime += cost.time;
    else this.memoryBoundTime += cost.time;
    this.commTime += cost.comm;
    this.overheadTime += cost.overhead;
    this.steps++;
    this.tokens += tokens;
  }
}

/**
 * Inter-token gaps as (gap, count) pairs: all sequences that continue in a decode step see the
 * same gap (the step time), so one pair per step records them without a per-token loop.
 */
export class WeightedSamples {
  private values = new Float64Array(1024);
  private weights = new Float64Array(1024);
  private n = 0;

  get length(): number {
    return this.n;
  }

  add(value: number, weight: number): void {
    if (weight <= 0) return;
    if (this.n === this.values.length) {
      const v = new Float64Array(this.n * 2);
      v.set(this.values);
      this.values = v;
      const w = new Float64Array(this.n * 2);
      w.set(this.weights);
      this.weights = w;
    }
    this.values[this.n] = value;
    this.weights[this.n] = weight;
    this.n++;
  }

  entries(): { values: Float64Array; weights: Float64Array } {
    return { values: this.values.subarray(0, this.n), weights: this.weights.subarray(0, this.n) };
  }
}

/** Everything the run measures, filled in by the cluster as events happen. */
export class MetricsCollector {
  readonly records: RequestRecord[] = [];
  readonly prefill = new PoolStats();
  readonly decode = new PoolStats();
  readonly interTokenGaps = new WeightedSamples();
  prefillEvictedBlocks = 0;
}
