import type { Request } from '../workload/request.js';

/** What happened to one request. Times are simulated seconds; NaN means "did not happen". */
export interface RequestRecord {
  readonly req: Request;
  prefillInstance: number;
  decodeInstance: number;
  /** First chunk of its prefill scheduled. */
  prefillStart: number;
  prefillEnd: number;
  /** Prompt tokens whose KV was reused (compute skipped): the sum of the four sources below. */
  cachedTokens: number;
  /** Where the reused tokens came from: HBM prefix cache, CPU DRAM, local disk, peers (global pool), remote store. */
  hbmTokens: number;
  cpuTokens: number;
  diskTokens: number;
  poolTokens: number;
  remoteTokens: number;
  /** Loading reused KV from lower tiers into HBM (NaN if nothing was loaded). */
  loadStart: number;
  loadEnd: number;
  /** Prefill compute time this request's reuse saved (standalone estimate), s. */
  computeSaved: number;
  /** Prompt tokens its prefill instance expected to compute when it was routed (queue estimate). */
  queuedWork: number;
  /** KV handoff to the decode instance (after the decode side reserved room for it). */
  transferStart: number;
  transferEnd: number;
  /** Disaggregated: the decode instance put the request into its running batch (first decode step starts). */
  decodeStart: number;
  /**
   * First token streamed to the client. Disaggregated: the end of the request's first decode step,
   * as vLLM's PD proxy streams it (the prefill instance runs with max_tokens=1 and its token is
   * discarded; the decode instance generates every client token). Colocated: end of prefill.
   * The prefill-side "first token" (DistServe/Mooncake TTFT) is `prefillEnd`.
   */
  firstToken: number;
  finish: number;
  /** Why the request was not served (empty if it was). */
  rejected: string;
  /** Finished or rejected: the record is final. */
  settled: boolean;
  /** Engine-internal: its prefill cache's slots of its pinned prompt blocks, until released. */
  kvSlots: Int32Array | undefined;
}

export function newRecord(req: Request): RequestRecord {
  return {
    req,
    prefillInstance: -1,
    decodeInstance: -1,
    prefillStart: NaN,
    prefillEnd: NaN,
    cachedTokens: 0,
    hbmTokens: 0,
    cpuTokens: 0,
    diskTokens: 0,
    poolTokens: 0,
    remoteTokens: 0,
    loadStart: NaN,
    loadEnd: NaN,
    computeSaved: 0,
    queuedWork: 0,
    transferStart: NaN,
    transferEnd: NaN,
    decodeStart: NaN,
    firstToken: NaN,
    finish: NaN,
    rejected: '',
    settled: false,
    kvSlots: undefined,
  };
}
