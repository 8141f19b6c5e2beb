import { sortDoubles } from './sort-doubles.js';
import { REMOTE_PROFILES } from '../storage/catalog.js';
import type { ClusterPlan, PoolPlan } from '../cluster/plan.js';
import { costSummary, type CostSummary, type RemoteTraffic } from '../cost/tco.js';
import type { ExpectationsReport } from '../expectations/check.js';
import { energySummary, type EnergySummary } from '../power/energy.js';
import { tierFootprint } from '../power/tier-footprint.js';
import type { Scenario, SloKey } from '../scenario/schema.js';
import type { MetricsCollector, PoolStats } from './collector.js';
import type { KvCacheSummary } from './kv-cache-summary.js';
import type { RequestLog } from './request-log.js';
import { assessStability, type Stability } from './stability.js';
import { distribution, type Distribution } from './stats.js';

export interface PoolSummary {
  device: string;
  nodes: number;
  devices_per_node: number;
  tp: number;
  instances: number;
  kv_tokens_per_instance: number;
  /**
   * Share of instance-time with a step running: busy time / (instances × makespan). Formerly
   * `utilization`; renamed because a pool decoding 2 of 256 sequences non-stop is 100% busy.
   */
  busy_share: number;
  /**
   * How full the steps were, weighted by step time: decode = running sequences / max_num_seqs;
   * prefill and colocated = tokens in the step / max_num_batched_tokens.
   */
  batch_occupancy: { mean: number; p95: number };
  /** Decode: KV reserved / KV capacity while stepping (time-weighted mean) and its peak (0 for prefill). */
  kv_occupancy: { mean: number; peak: number };
  /** Achieved FLOP/s and HBM bytes/s while busy, as a share of the instances' peak (tp × device peak). */
  compute_share_of_peak: number;
  hbm_bandwidth_share_of_peak: number;
  /** Share of busy time in steps where FLOPs, not HBM bytes, set the roofline time. */
  compute_bound_share: number;
  memory_bound_share: number;
  /** Share of busy time spent in tensor-parallel all-reduces and fixed step overheads. */
  comm_share: number;
  overhead_share: number;
  steps: number;
  mean_step_s: number;
  /** New tokens per step: prompt tokens computed (prefill) or sequences decoded (decode). */
  mean_batch_tokens: number;
  price_per_hour: number;
}

export interface SloResult {
  target_s: number;
  achieved_s: number;
  met: boolean;
}

/** summary.json. Keys are stable and documented in README.md; times in seconds. */
export interface Summary {
  scenario: string;
  seed: number | string;
  model: string;
  /** disaggregated (prefill/decode pools) or colocated (every instance does both). */
  mode: string;
  workload: string;
  requests: {
    total: number;
    finished: number;
    rejected: number;
    unfinished: number;
    /** Rejections by cause: no instance can hold it, or admission control predicted an SLO miss. */
    rejected_capacity: number;
    rejected_ttft: number;
    rejected_tbt: number;
    /** Prefilled requests that waited for decode KV room or a max_num_seqs slot (queued, never preempted). */
    decode_queued: number;
    /** Malformed trace lines dropped (workload.skip_bad_lines / --skip-bad-lines). */
    skipped_trace_lines: number;
  };
  /** First arrival to last finish, simulated seconds. */
  makespan_s: number;
  /**
   * Client-visible TTFT: arrival to the first token streamed to the client. Disaggregated (vLLM PD
   * proxy): prefill queue + prefill + decode queue + KV transfer + first decode step. Colocated:
   * the end of the prefill in the mixed batch. What SLOs judge and `plan` optimizes.
   */
  ttft_s: Distribution;
  /** Prefill-side TTFT (DistServe/Mooncake): arrival to end of prefill. Equals ttft_s when colocated. */
  ttft_prefill_s: Distribution;
  /** Inter-token gaps from each request's first client token on (vLLM's ITL). */
  tbt_s: Distribution;
  /** Per-request mean time per output token after the first (vLLM's TPOT). */
  tpot_s: Distribution;
  e2e_s: Distribution;
  /** Arrival to first prefill chunk. */
  prefill_queue_s: Distribution;
  /** Prefill start to end. */
  prefill_s: Distribution;
  /** Prefill end to KV landed at decode (decode queue + KV transfer). */
  handoff_s: Distribution;
  /** Prefill end to decode KV reserved: waiting for decode KV room or a max_num_seqs slot. */
  decode_queue_s: Distribution;
  kv_transfer_s: Distribution;
  /** KV landed to first client token: wait for the next step boundary + the first decode step. */
  first_decode_step_s: Distribution;
  throughput: { requests_per_s: number; input_tokens_per_s: number; output_tokens_per_s: number };
  kv_cache: KvCacheSummary;
  kv_transfer: { transport: string; bytes: number };
  prefill: PoolSummary;
  decode: PoolSummary;
  /** Overload detection: offered load vs capacity per pool, and whether the backlog kept growing. */
  stability: Stability;
  slo: {
    targets: Partial<Record<SloKey, SloResult>>;
    /** Share of all requests (rejected ones count as misses) meeting every per-request target (ttft, tpot, e2e). */
    attainment: number;
    /** Every target met and the run stable (an overloaded run's percentiles depend on its length: not a pass). */
    all_met: boolean;
    /** Why all_met is false although every target was met (an unstable run), else empty. */
    reason: string;
  };
  /** Requests in flight (arrived, not finished; rejected ones excluded): time average (Little's law) and peak. */
  concurrency: { mean_requests_in_flight: number; peak_requests_in_flight: number };
  /** The scenario's expectations checked against this run (absent when it has none). */
  expectations?: ExpectationsReport;
  /** Where each dollar goes: per pool and cache tier (src/cost/). */
  cost: CostSummary;
  /** Where each joule goes: per pool and cache tier (src/power/). */
  energy: EnergySummary;
  /** Simulator work (deterministic; wall time is printed, not stored, to keep outputs byte-identical). */
  sim: { events: number };
}

export interface SummaryInput {
  scenario: Scenario;
  plan: ClusterPlan;
  metrics: MetricsCollector;
  workloadSource: string;
  events: number;
  skippedTraceLines: number;
  kvCache: KvCacheSummary;
  transferBytes: number;
}

export function summarize(inp: SummaryInput): Summary {
  const { scenario, plan, metrics } = inp;
  const log = metrics.log;
  const firstArrival = log.total ? log.firstArrival : 0;
  const lastFinish = Math.max(firstArrival, log.lastFinish);
  const makespan = lastFinish - firstArrival;
  const prompt = log.promptTokens;
  const outTokens = log.outputTokens;
  const perS = (x: number) => (makespan > 0 ? x / makespan : 0);

  const ttftD = distribution(log.ttft.toArray());
  const tpotD = distribution(log.tpot.toArray());
  const e2eD = distribution(log.e2e.toArray());
  const tbtD = metrics.interTokenGaps.distribution();
  const byMetric: Record<string, Distribution> = { ttft: ttftD, tbt: tbtD, tpot: tpotD, e2e: e2eD };
  const targets: Partial<Record<SloKey, SloResult>> = {};
  for (const [key, target] of Object.entries(scenario.slo) as [SloKey, number | undefined][]) {
    if (target === undefined) continue;
    const [metric, p] = key.split('_') as [string, 'p50' | 'p90' | 'p95' | 'p99'];
    const achieved = byMetric[metric][p];
    targets[key] = { target_s: target, achieved_s: achieved, met: achieved <= target };
  }
  const stability = assessStability(plan, log);
  const targetsMet = Object.values(targets).every((t) => t.met);
  const footprint = tierFootprint(inp.kvCache);
  const tokens = { outputTokens: outTokens, totalTokens: prompt + outTokens };
  const energy = energySummary({
    plan, prefill: metrics.prefill, decode: metrics.decode, makespan, power: scenario.power, tiers: footprint, ...tokens,
  });
  const cost = costSummary({
    plan, cost: scenario.cost, energy, tiers: footprint, remote: remoteTraffic(inp), makespan, ...tokens,
  });

  return {
    scenario: scenario.name,
    seed: scenario.seed,
    model: plan.model.id,
    mode: plan.mode,
    workload: inp.workloadSource,
    requests: {
      total: log.total,
      finished: log.finished,
      rejected: log.rejected,
      unfinished: log.total - log.finished - log.rejected,
      rejected_capacity: log.rejectedCapacity,
      rejected_ttft: log.rejectedTtft,
      rejected_tbt: log.rejectedTbt,
      decode_queued: log.decodeQueued,
      skipped_trace_lines: inp.skippedTraceLines,
    },
    makespan_s: makespan,
    ttft_s: ttftD,
    ttft_prefill_s: distribution(log.ttftPrefill.toArray()),
    tbt_s: tbtD,
    tpot_s: tpotD,
    e2e_s: e2eD,
    prefill_queue_s: distribution(log.prefillQueue.toArray()),
    prefill_s: distribution(log.prefill.toArray()),
    handoff_s: distribution(log.handoff.toArray()),
    decode_queue_s: distribution(log.decodeQueue.toArray()),
    kv_transfer_s: distribution(log.kvTransfer.toArray()),
    first_decode_step_s: distribution(log.firstDecodeStep.toArray()),
    throughput: {
      requests_per_s: perS(log.finished),
      input_tokens_per_s: perS(prompt),
      output_tokens_per_s: perS(outTokens),
    },
    kv_cache: inp.kvCache,
    kv_transfer: { transport: plan.transport, bytes: inp.transferBytes },
    concurrency: concurrency(log, makespan),
    prefill: poolSummary(plan.prefill, metrics.prefill, makespan),
    decode: poolSummary(plan.decode, metrics.decode, makespan),
    stability,
    slo: {
      targets,
      attainment: log.total ? log.sloMet / log.total : 0,
      all_met: targetsMet && stability.stable,
      reason: targetsMet && !stability.stable ? `run is not stable: ${stability.verdict}` : '',
    },
    cost,
    energy,
    sim: { events: inp.events },
  };
}

function concurrency(log: RequestLog, makespan: number): Summary['concurrency'] {
  // Time in flight summed in arrival order (the e2e column's order).
  const e2e = log.e2e.toArray();
  let inFlightTime = 0;
  for (let i = 0; i < e2e.length; i++) inFlightTime += e2e[i];
  // Peak: arrivals (already in order) merged with sorted finishes; finishes first at the same
  // instant (a slot freed and taken is not two at once).
  const arrivals = log.arrival.toArray();
  const finishes = sortDoubles(log.finish.toArray());
  let now = 0;
  let peak = 0;
  for (let a = 0, f = 0; a < arrivals.length || f < finishes.length; ) {
    if (f < finishes.length && (a >= arrivals.length || finishes[f] <= arrivals[a])) {
      now--;
      f++;
    } else {
      now++;
      a++;
      if (now > peak) peak = now;
    }
  }
  return { mean_requests_in_flight: makespan > 0 ? inFlightTime / makespan : 0, peak_requests_in_flight: peak };
}

/** Remote-store traffic for request pricing (one object per LMCache chunk). */
function remoteTraffic(inp: SummaryInput): RemoteTraffic | undefined {
  const r = inp.kvCache.tiers.remote;
  const cfg = inp.scenario.cache.remote;
  if (!r || !cfg) return undefined;
  return {
    backend: r.backend,
    pricePerGbMonth: REMOTE_PROFILES[cfg.backend].pricePerGbMonth,
    readBytes: r.read_bytes,
    writtenBytes: r.written_bytes,
    objectBytes: inp.scenario.cache.chunk_size * inp.plan.prefill.stepModel.kvBytesPerToken,
    connections: cfg.connections ?? REMOTE_PROFILES[cfg.backend].connections,
    // The store's own counts (objects per chunk and rank, multipart parts, create/complete).
    getRequests: r.get_requests,
    putRequests: r.put_requests,
  };
}

function poolSummary(plan: PoolPlan, stats: PoolStats, makespan: number): PoolSummary {
  const busy = stats.busyTime;
  const share = (x: number) => (busy > 0 ? x / busy : 0);
  const occupancy = stats.batchOccupancy.distribution();
  return {
    device: plan.device.id,
    nodes: plan.config.nodes,
    devices_per_node: plan.config.devices_per_node,
    tp: plan.config.tp,
    instances: plan.instances,
    kv_tokens_per_instance: plan.kvTokensPerInstance,
    busy_share: makespan > 0 && plan.instances > 0 ? busy / (plan.instances * makespan) : 0,
    batch_occupancy: { mean: occupancy.mean, p95: occupancy.p95 },
    kv_occupancy: { mean: busy > 0 ? stats.kvShareTime / busy : 0, peak: stats.kvSharePeak },
    compute_share_of_peak: busy > 0 ? stats.flops / (busy * plan.config.tp * plan.device.peakFlops[plan.shape.weightDtype]) : 0,
    hbm_bandwidth_share_of_peak: busy > 0 ? stats.bytes / (busy * plan.config.tp * plan.device.hbmBandwidth) : 0,
    compute_bound_share: share(stats.computeBoundTime),
    memory_bound_share: share(stats.memoryBoundTime),
    comm_share: share(stats.commTime),
    overhead_share: share(stats.overheadTime),
    steps: stats.steps,
    mean_step_s: stats.steps ? busy / stats.steps : 0,
    mean_batch_tokens: stats.steps ? stats.tokens / stats.steps : 0,
    price_per_hour: plan.pricePerHour,
  };
}
