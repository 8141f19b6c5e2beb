import quickselect from 'quickselect';
import type { ClusterPlan, PoolPlan } from '../cluster/plan.js';
import { emptyBatch, type BatchShape } from '../cluster/step-time.js';
import type { RequestLog } from './request-log.js';
import { ascending } from './stats.js';

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

/**
 * A short cell for tables of runs: the worst load factor ("0.62x"; colocated: the two phases' sum)
 * when stable, "OVERLOADED 3.1x" or "UNSTABLE" when not, "closed batch" when load is not defined.
 */
export function stabilityCell(s: Stability, colocated: boolean): string {
  const p = s.pools.prefill.load_factor;
  const d = s.pools.decode.load_factor;
  const worst = colocated ? p + d : Math.max(p, d);
  const x = `${worst >= 10 ? worst.toFixed(0) : worst.toFixed(2)}x`;
  if (s.verdict.startsWith('OVERLOADED')) return `OVERLOADED ${x}`;
  if (!s.stable) return `UNSTABLE ${x}`;
  if (s.verdict.startsWith('closed batch')) return 'closed batch';
  return x;
}

export interface Stability {
  stable: boolean;
  /** One line: "OVERLOADED: decode pool at 3.1x capacity", "UNSTABLE: ...", or "stable (...)". */
  verdict: string;
  /** First to last arrival, s (shorter than a typical request's service time: a closed batch, where offered load is not defined). */
  arrival_span_s: number;
  /** Last arrival to last finish, s. */
  drain_s: number;
  /**
   * Median queueing wait (prefill queue + decode queue) of the requests arriving in the second and
   * in the last quarter of the arrival span: stationary when stable, growing with time when not.
   */
  wait_q2_s: number;
  wait_q4_s: number;
  pools: { prefill: PoolLoad; decode: PoolLoad };
}

/**
 * The queueing wait counts as growing when the last quarter's median wait is at least twice the
 * second quarter's and at least this share of the arrival span (a queue growing at rate
 * (ρ − 1)/ρ passes it for ρ ≳ 1.13; the static load factor catches milder overloads). Medians, not
 * instantaneous backlog counts: bursty arrivals (gamma, sessions) make the counts noisy.
 */
const GROWING_WAIT_SHARE_OF_SPAN = 0.1;
/** Fewer requests per quarter than this: too few to tell a trend from noise. */
const MIN_REQUESTS_PER_QUARTER = 8;

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
export function assessStability(plan: ClusterPlan, log: RequestLog): Stability {
  const a = log.admitted;
  const first = a.count ? a.firstArrival : 0;
  const last = a.count ? a.lastArrival : 0;
  const span = last - first;
  const lastFinish = Math.max(last, log.lastFinish);
  // Queueing wait (log.wait): before prefill, and (disaggregated) before decode KV was reserved.
  // Time being served (prefill, transfer, decode) is not waiting: long answers alone must not read
  // as growth. The log's columns hold finished requests (every admitted one, once a run completes).
  const arrivals = log.arrival.toArray();
  const waits = log.wait.toArray();
  const q2 = waitsArrivedIn(arrivals, waits, first + 0.25 * span, first + 0.5 * span);
  const q4 = waitsArrivedIn(arrivals, waits, first + 0.75 * span, first + 1.01 * span);
  const waitQ2 = median(q2);
  const waitQ4 = median(q4);
  const drain = lastFinish - last;

  const n = Math.max(1, a.count);
  const computed = a.computed;
  const output = a.output;
  const mix: Mix = {
    computedPerRequest: a.computed / n,
    cachedPerRequest: a.cached / n,
    reservedPerRequest: a.reserved / n,
    decodeContextPerRequest: a.decodeContext / n,
  };
  const colocated = plan.mode === 'colocated';
  const phasePools = colocated ? [plan.prefill, plan.decode] : undefined;
  const prefillCap = capacitySum(phasePools ?? [plan.prefill], (p) => prefillCapacity(p, mix));
  const decodeCap = capacitySum(phasePools ?? [plan.decode], (p) => decodeCapacity(p, mix));
  // A burst that is over before a typical request is served (a closed batch, a benchmark) has no
  // steady arrival rate: tokens / span would read as thousands of times capacity.
  const closed = span <= 0 || span < median(log.service.toArray());
  const rate = (x: number) => (closed ? 0 : x / span);
  const load = (offered: number, cap: PoolCapacity): PoolLoad => ({
    offered_tokens_per_s: offered,
    capacity_tokens_per_s: cap.tokensPerS,
    load_factor: cap.tokensPerS > 0 ? offered / cap.tokensPerS : offered > 0 ? Number.MAX_VALUE : 0,
    max_batch: cap.maxBatch,
    batch_limit: cap.limit,
  });
  const pools = { prefill: load(rate(computed), prefillCap), decode: load(rate(output), decodeCap) };
  // Never print an overload as "1.00x": show a third decimal when two would round to 1.
  const fmt = (x: number) =>
    x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x > 1 && x.toFixed(2) === '1.00' ? x.toFixed(3) : x.toFixed(2);

  const base = { arrival_span_s: span, drain_s: drain, wait_q2_s: waitQ2, wait_q4_s: waitQ4, pools };
  if (closed) {
    return {
      stable: true,
      verdict: `closed batch (all ${a.count} requests arrived within ${span.toPrecision(2)} s, before a typical request was served): offered load not defined`,
      ...base,
    };
  }
  const worst = colocated
    ? { name: 'cluster (prefill + decode on the same instances)', factor: pools.prefill.load_factor + pools.decode.load_factor }
    : pools.decode.load_factor > pools.prefill.load_factor
      ? { name: 'decode pool', factor: pools.decode.load_factor }
      : { name: 'prefill pool', factor: pools.prefill.load_factor };
  if (worst.factor > 1) {
    return { stable: false, verdict: `OVERLOADED: ${worst.name} at ${fmt(worst.factor)}x capacity`, ...base };
  }
  const enough = q2.length >= MIN_REQUESTS_PER_QUARTER && q4.length >= MIN_REQUESTS_PER_QUARTER;
  if (enough && waitQ4 >= 2 * waitQ2 && waitQ4 >= GROWING_WAIT_SHARE_OF_SPAN * span) {
    return {
      stable: false,
      verdict: `UNSTABLE: median queueing wait grew from ${fmt(waitQ2)} s (2nd quarter of arrivals) to ${fmt(waitQ4)} s (last quarter); drained ${fmt(drain)} s after the last arrival`,
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

/**
 * The waits of the requests that arrived in [from, to), in a typed array (a production day's
 * quarters hold millions: no JS array grown by push). A module function, not a closure made per
 * run: V8 would optimize each run's closure anew.
 */
function waitsArrivedIn(arrivals: ArrayLike<number>, waits: ArrayLike<number>, from: number, to: number): Float64Array {
  let n = 0;
  for (let i = 0; i < arrivals.length; i++) if (arrivals[i] >= from && arrivals[i] < to) n++;
  const out = new Float64Array(n);
  for (let i = 0, k = 0; i < arrivals.length; i++) if (arrivals[i] >= from && arrivals[i] < to) out[k++] = waits[i];
  return out;
}

/** Median of the values (waits: never NaN); reorders `xs` in place, by selection (see distribution). */
function median(xs: Float64Array): number {
  if (xs.length === 0) return 0;
  const m = xs.length >> 1;
  quickselect(xs as unknown as number[], m, 0, xs.length - 1, ascending);
  if (xs.length % 2) return xs[m];
  // Rank m - 1: the greatest of everything below rank m.
  let below = xs[0];
  for (let i = 1; i < m; i++) if (xs[i] > below) below = xs[i];
  return (below + xs[m]) / 2;
}
