import type { ClusterPlan, PoolPlan } from '../cluster/plan.js';
import { emptyBatch, type BatchShape } from '../cluster/step-time.js';
import type { RequestRecord } from './request-record.js';

/** Offered load against what a pool can serve at the observed request mix. */
export interface PoolLoad {
  /** Prefill: prompt tokens to compute per second (after cache reuse). Decode: output tokens per second. */
  offered_tokens_per_s: number;
  /** Step-time-model throughput of the whole pool at its largest feasible batch for this mix. */
  capacity_tokens_per_s: number;
  /** offered / capacity: above 1 the queue grows without bound. */
  load_factor: number;
  /** Sequences per instance the capacity assumes: prefill = prompts in one full chunk, decode = running batch. */
  max_batch: number;
  /** What caps that batch: max_num_batched_tokens (prefill), max_num_seqs or KV (decode). */
  batch_limit: 'max_num_batched_tokens' | 'max_num_seqs' | 'kv';
}

export interface Stability {
  stable: boolean;
  /** One line: "OVERLOADED: decode pool at 3.1x capacity", "UNSTABLE: ...", or "stable (...)". */
  verdict: string;
  /** First to last arrival, s (0: a closed batch, where offered load is not defined). */
  arrival_span_s: number;
  /** Last arrival to last finish, s. */
  drain_s: number;
  /** Requests waiting (arrived, admitted, not yet decoding; colocated: not yet prefilling) halfway through and at the end of the arrivals. */
  backlog_mid: number;
  backlog_end: number;
  pools: { prefill: PoolLoad; decode: PoolLoad };
}

/**
 * A waiting backlog that at least doubled over the second half of the arrivals, is at least this
 * many requests, and whose run still needed more than half the arrival span to drain, counts as
 * growing: the floor keeps a burst in a small workload from reading as instability.
 */
const MIN_GROWING_BACKLOG = 16;

/**
 * Overload detection. Two independent signals:
 * 1. Static: per pool, offered load vs capacity from the step-time model at the largest batch the
 *    pool can run for this request mix (prefill: a full max_num_batched_tokens chunk of average
 *    prompts; decode: min(max_num_seqs, sequences whose KV fits) of average context). This is an
 *    upper bound on throughput, so load_factor > 1 is overload for certain. Achieved tokens per
 *    busy-second would not do: at low load batches are small, so it understates capacity.
 * 2. Dynamic: the backlog still growing when arrivals stop and taking long to drain.
 * Colocated instances do both phases on the same hardware: each phase's capacity is the whole
 * cluster's, and the two load factors add up (the verdict uses their sum).
 */
export function assessStability(plan: ClusterPlan, records: readonly RequestRecord[], kvPageTokens: number): Stability {
  const admitted = records.filter((r) => r.rejected === '');
  const first = admitted.length ? admitted[0].req.arrival : 0;
  const last = admitted.length ? admitted[admitted.length - 1].req.arrival : 0;
  const span = last - first;
  const lastFinish = admitted.reduce((m, r) => (Number.isNaN(r.finish) ? m : Math.max(m, r.finish)), last);
  // Backlog = requests still waiting for service (not yet decoding; colocated: not yet prefilling).
  // Requests being decoded are served, not queued: long answers alone must not read as a backlog.
  const served = plan.mode === 'colocated' ? (r: RequestRecord) => r.prefillStart : (r: RequestRecord) => r.decodeStart;
  const backlogAt = (t: number) => admitted.filter((r) => r.req.arrival <= t && !(served(r) <= t)).length;
  const backlogMid = backlogAt(first + span / 2);
  const backlogEnd = backlogAt(last);
  const drain = lastFinish - last;

  const n = Math.max(1, admitted.length);
  let computed = 0;
  let cached = 0;
  let output = 0;
  let reserved = 0;
  let decodeContext = 0;
  for (const r of admitted) {
    computed += r.req.inputTokens - r.cachedTokens;
    cached += r.cachedTokens;
    output += r.req.outputTokens;
    reserved += Math.ceil((r.req.inputTokens + r.req.outputTokens) / kvPageTokens) * kvPageTokens;
    decodeContext += r.req.inputTokens + r.req.outputTokens / 2;
  }
  const mix: Mix = {
    computedPerRequest: computed / n,
    cachedPerRequest: cached / n,
    reservedPerRequest: reserved / n,
    decodeContextPerRequest: decodeContext / n,
  };
  const colocated = plan.mode === 'colocated';
  const phasePools = colocated ? [plan.prefill, plan.decode] : undefined;
  const prefillCap = capacitySum(phasePools ?? [plan.prefill], (p) => prefillCapacity(p, mix));
  const decodeCap = capacitySum(phasePools ?? [plan.decode], (p) => decodeCapacity(p, mix));
  const closed = span <= 0;
  const rate = (x: number) => (closed ? 0 : x / span);
  const load = (offered: number, cap: PoolCapacity): PoolLoad => ({
    offered_tokens_per_s: offered,
    capacity_tokens_per_s: cap.tokensPerS,
    load_factor: cap.tokensPerS > 0 ? offered / cap.tokensPerS : offered > 0 ? Number.MAX_VALUE : 0,
    max_batch: cap.maxBatch,
    batch_limit: cap.limit,
  });
  const pools = { prefill: load(rate(computed), prefillCap), decode: load(rate(output), decodeCap) };
  const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(x >= 10 ? 1 : 2));

  const base = { arrival_span_s: span, drain_s: drain, backlog_mid: backlogMid, backlog_end: backlogEnd, pools };
  if (closed) {
    return { stable: true, verdict: 'closed batch (all requests arrive at once): offered load not defined', ...base };
  }
  const worst = colocated
    ? { name: 'cluster (prefill + decode on the same instances)', factor: pools.prefill.load_factor + pools.decode.load_factor }
    : pools.decode.load_factor > pools.prefill.load_factor
      ? { name: 'decode pool', factor: pools.decode.load_factor }
      : { name: 'prefill pool', factor: pools.prefill.load_factor };
  if (worst.factor > 1) {
    return { stable: false, verdict: `OVERLOADED: ${worst.name} at ${fmt(worst.factor)}x capacity`, ...base };
  }
  if (backlogEnd >= MIN_GROWING_BACKLOG && backlogEnd > 2 * backlogMid && drain > span / 2) {
    return {
      stable: false,
      verdict: `UNSTABLE: waiting requests grew from ${backlogMid} to ${backlogEnd} over the second half of the arrivals; the run took ${fmt(drain)} s to drain (arrivals spanned ${fmt(span)} s)`,
      ...base,
    };
  }
  const factors = colocated
    ? `cluster at ${fmt(worst.factor)}x`
    : `prefill at ${fmt(pools.prefill.load_factor)}x, decode at ${fmt(pools.decode.load_factor)}x`;
  return { stable: true, verdict: `stable (${factors} capacity)`, ...base };
}

interface Mix {
  computedPerRequest: number;
  cachedPerRequest: number;
  /** KV a decode instance reserves per request: prompt + answer rounded up to whole pages. */
  reservedPerRequest: number;
  /** Mean context a decoding sequence attends over: prompt + half its answer. */
  decodeContextPerRequest: number;
}

interface PoolCapacity {
  tokensPerS: number;
  maxBatch: number;
  limit: PoolLoad['batch_limit'];
}

function capacitySum(pools: PoolPlan[], f: (p: PoolPlan) => PoolCapacity): PoolCapacity {
  const caps = pools.map(f);
  return { tokensPerS: caps.reduce((s, c) => s + c.tokensPerS, 0), maxBatch: caps[0].maxBatch, limit: caps[0].limit };
}

/** Prefill: one full chunk of max_num_batched_tokens new tokens from average prompts, per step. */
export function prefillCapacity(pool: PoolPlan, mix: Mix): PoolCapacity {
  const chunk = pool.config.max_num_batched_tokens;
  const p = Math.max(1, mix.computedPerRequest);
  const prompts = chunk / p;
  const b: BatchShape = emptyBatch();
  b.prefillTokens = chunk;
  // Each prompt of p new tokens over c cached ones attends p·(c + p/2) pairs (the chunk holds chunk/p of them;
  // a prompt longer than the chunk is cut, and its pieces attend over the same average).
  b.prefillAttention = chunk * (mix.cachedPerRequest + p / 2);
  b.prefillContextTokens = prompts * mix.cachedPerRequest;
  b.sampledSeqs = Math.max(1, Math.floor(prompts));
  const time = pool.stepModel.step(b).time;
  return { tokensPerS: (pool.instances * chunk) / time, maxBatch: prompts, limit: 'max_num_batched_tokens' };
}

/** Decode: the largest running batch KV and max_num_seqs allow, at the mix's average context. */
export function decodeCapacity(pool: PoolPlan, mix: Mix): PoolCapacity {
  const byKv = Math.floor(pool.kvTokensPerInstance / Math.max(1, mix.reservedPerRequest));
  const bySeqs = pool.config.max_num_seqs;
  const batch = Math.max(1, Math.min(byKv, bySeqs));
  const time = pool.stepModel.decodeTime(batch, batch * mix.decodeContextPerRequest);
  return { tokensPerS: (pool.instances * batch) / time, maxBatch: batch, limit: byKv < bySeqs ? 'kv' : 'max_num_seqs' };
}
