import type { StepCost } from '../cluster/step-time.js';
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
