import type { ClusterPlan } from '../cluster/plan.js';
import type { RequestRecord } from './request-record.js';
import { distribution, type Distribution } from './stats.js';

/**
 * Latency floors: what each request would see on an idle cluster of this shape, from the step-time
 * model alone (no queueing, no batching with others), at the KV reuse the run achieved. Adding nodes
 * shortens queues, never these (except through more cache, hence more reuse): when an SLO target is
 * below the floor, a different instance shape (tp, device) or more reuse is needed.
 */
export interface LatencyFloors {
  /** Client TTFT alone: chunked prefill of the uncached prompt + KV transfer + first decode step. */
  ttft_s: Distribution;
  /** Decode step of the sequence alone at its final context (the slowest of its steps). */
  tbt_s: Distribution;
  /** Share of prompt tokens reused in the run the floors assume (more cache, more reuse, lower TTFT floor). */
  reuse: number;
}

export function latencyFloors(plan: ClusterPlan, records: readonly RequestRecord[]): LatencyFloors {
  const p = plan.prefill;
  const d = plan.mode === 'colocated' ? plan.prefill : plan.decode;
  const chunk = p.config.max_num_batched_tokens;
  const ttft: number[] = [];
  const tbt: number[] = [];
  let prompt = 0;
  let cached = 0;
  const eff = plan.transportEfficiency[plan.transport];
  const nicsOf = (pool: typeof p) =>
    plan.stripeHandoff ? Math.max(1, Math.min(pool.config.tp, Math.floor(pool.nics / pool.instancesPerNode))) : 1;
  const handoffRate = eff * Math.min(p.nicLineRate * nicsOf(p), d.nicLineRate * nicsOf(d));
  for (const r of records) {
    if (r.rejected !== '') continue;
    const q = r.req;
    prompt += q.inputTokens;
    cached += r.cachedTokens;
    let t = 0;
    for (let done = r.cachedTokens; done < q.inputTokens; done += chunk) {
      t += p.stepModel.prefillTime(Math.min(chunk, q.inputTokens - done), done);
    }
    if (plan.mode !== 'colocated') {
      // KV over the instance's NICs each way at full rate (one NIC unless striped per TP rank),
      // then the first decode step.
      t += plan.transferLatency + (q.inputTokens * p.stepModel.kvBytesPerToken) / handoffRate;
      t += d.stepModel.decodeTime(1, q.inputTokens);
    }
    ttft.push(t);
    if (q.outputTokens > 1) tbt.push(d.stepModel.decodeTime(1, q.inputTokens + q.outputTokens - 1));
  }
  return { ttft_s: distribution(ttft), tbt_s: distribution(tbt), reuse: prompt > 0 ? cached / prompt : 0 };
}
