import type { DecodeLine, StepCost } from '../cluster/step-time.js';
import { POWER_DEFAULTS } from '../power/defaults.js';
import { LogHistogram } from './log-histogram.js';
import type { Scenario } from '../scenario/schema.js';
import { RequestLog, type RecordSink } from './request-log.js';
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
  /**
   * Full-power-equivalent seconds of the instance (src/power/): per step
   * min(time, compute + memoryActivity · memory) — kernels bound by compute draw full dynamic power,
   * kernels bound by HBM traffic a share of it; all-reduces and host overheads only idle power.
   */
  activeTime = 0;
  /** Share of dynamic power drawn by HBM traffic alone (scenario power.memory_activity). */
  memoryActivity: number = POWER_DEFAULTS.memoryActivity;
  /** Prefill only: standalone compute estimates with and without the reused KV. */
  computeSaved = 0;
  computeWithoutCache = 0;
  /** FLOPs and HBM bytes the steps executed (whole instances). */
  flops = 0;
  bytes = 0;
  /**
   * What one step can hold: max_num_seqs (decode: tokens per step = sequences) or
   * max_num_batched_tokens (prefill, colocated). Set by the cluster; 0 = unknown.
   */
  batchCapacity = 0;
  /** Batch occupancy (step tokens / batchCapacity) weighted by step time. */
  readonly batchOccupancy = new LogHistogram(1e-4, 2, 1e-3);
  /** Decode KV reserved / capacity, weighted by step time, and its peak. */
  kvShareTime = 0;
  kvSharePeak = 0;

  addKvShare(share: number, time: number): void {
    this.kvShareTime += share * time;
    if (share > this.kvSharePeak) this.kvSharePeak = share;
  }

  /**
   * `n` decode steps of a fixed batch of `tokens` sequences (StepTimeModel.decodeLine), step j
   * (0-based) over summed context c0 + tokens·j: what `addStep` of each would add, summed in closed
   * form (equal up to rounding; the compute/memory-bound split and the active-power cap are linear
   * in j, so each flips at most once). Returns the steps' total time.
   */
  addDecodeSteps(line: DecodeLine, c0: number, tokens: number, n: number): number {
    if (n <= 0) return 0;
    const l = line;
    const fixed = l.comm + l.overhead;
    const perToken = l.computePerToken + l.memoryPerToken;
    // Step j's time is p + q·j.
    const p = l.computeBase + l.memoryBase + fixed + perToken * c0;
    const q = perToken * tokens;
    const time = sumLinear(p, q, 0, n);
    const contexts = n * c0 + (tokens * n * (n - 1)) / 2;
    this.flops += n * l.flopsBase + l.flopsPerToken * contexts;
    this.bytes += n * l.bytesBase + l.bytesPerToken * contexts;
    if (this.batchCapacity > 0) this.batchOccupancy.add(tokens / this.batchCapacity, time);
    this.busyTime += time;
    // Compute-bound where compute − memory >= 0.
    nonNegativeRange(l.computeBase - l.memoryBase + (l.computePerToken - l.memoryPerToken) * c0, (l.computePerToken - l.memoryPerToken) * tokens, n);
    const computeBound = sumLinear(p, q, range.from, range.to);
    this.computeBoundTime += computeBound;
    this.memoryBoundTime += time - computeBound;
    this.commTime += n * l.comm;
    this.overheadTime += n * l.overhead;
    // Active = min(time, compute + memoryActivity·memory): the latter where time − it >= 0.
    const act = this.memoryActivity;
    const ap = l.computeBase + act * l.memoryBase + (l.computePerToken + act * l.memoryPerToken) * c0;
    const aq = (l.computePerToken + act * l.memoryPerToken) * tokens;
    nonNegativeRange(p - ap, q - aq, n);
    this.activeTime += sumLinear(ap, aq, range.from, range.to) + (time - sumLinear(p, q, range.from, range.to));
    this.steps += n;
    this.tokens += n * tokens;
    return time;
  }

  addStep(cost: StepCost, tokens: number): void {
    this.flops += cost.flops;
    this.bytes += cost.bytes;
    if (this.batchCapacity > 0) this.batchOccupancy.add(tokens / this.batchCapacity, cost.time);
    this.busyTime += cost.time;
    if (cost.computeBound) this.computeBoundTime += cost.time;
    else this.memoryBoundTime += cost.time;
    this.commTime += cost.comm;
    this.overheadTime += cost.overhead;
    const active = cost.compute + this.memoryActivity * cost.memory;
    this.activeTime += active < cost.time ? active : cost.time;
    this.steps++;
    this.tokens += tokens;
  }
}

/** Σ_{j=j0}^{j1-1} (p + q·j). */
export function sumLinear(p: number, q: number, j0: number, j1: number): number {
  const n = j1 - j0;
  return n <= 0 ? 0 : n * p + (q * (j0 + j1 - 1) * n) / 2;
}

/** Result of `nonNegativeRange` (one shared object: no allocation per call). */
export const range = { from: 0, to: 0 };

/**
 * The j in [0, n) where p + q·j >= 0, as [range.from, range.to): a linear function is non-negative
 * on a prefix, a suffix, everything or nothing. Binary search on the same expression, so the split
 * is the one evaluating each j would give.
 */
export function nonNegativeRange(p: number, q: number, n: number): void {
  if (q === 0) {
    range.from = 0;
    range.to = p >= 0 ? n : 0;
    return;
  }
  // First j in [0, n] where the sign test differs from j = 0's.
  const first = p >= 0;
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (p + q * mid >= 0 === first) lo = mid + 1;
    else hi = mid;
  }
  range.from = first ? 0 : lo;
  range.to = first ? lo : n;
}

export interface OccupancySample {
  readonly time: number;
  readonly hbm: number;
  readonly local_cpu: number;
  readonly local_disk: number;
  readonly remote: number;
}

/** Everything the run measures, filled in by the cluster as events happen. */
export class MetricsCollector {
  /** Per-request outcomes: compact columns and counters (records only if kept). */
  readonly log: RequestLog;

  constructor(slo: Scenario['slo'] = {}, opts: { keepRecords?: boolean; sink?: RecordSink } = {}) {
    this.log = new RequestLog(slo, opts.keepRecords ?? true, opts.sink);
  }

  /** Every request's record, in arrival order (only when the run keeps records). */
  get records(): readonly RequestRecord[] {
    if (!this.log.records) throw new Error('records were not kept for this run (keepRecords: false)');
    return this.log.records;
  }

  readonly prefill = new PoolStats();
  readonly decode = new PoolStats();
  /**
   * Inter-token gaps: all sequences continuing in a decode step see the same gap (the step time),
   * so the decode instance adds one weighted sample per step instead of one per token.
   */
  readonly interTokenGaps = new LogHistogram();
  /** Blocks held by each cache tier (summed over instances), sampled over time. */
  readonly occupancy: OccupancySample[] = [];
}
