import type { Request } from '../workload/request.js';

/** What happened to one request. Times are simulated seconds; NaN means "did not happen". */
export interface RequestRecord {
  readonly req: Request;
  prefillInstance: number;
  decodeInstance: number;
  /** First chunk of its prefill scheduled. */
  prefillStart: number;
  prefillEnd: number;
  /** Prompt tokens whose KV was found in the prefill instance's prefix cache (compute skipped). */
  cachedTokens: number;
  /** KV handoff to the decode instance (after the decode side reserved room for it). */
  transferStart: number;
  transferEnd: number;
  /** The first token is sampled at the end of prefill, as in DistServe/Mooncake. */
  firstToken: number;
  finish: number;
  /** Why the request was not served (empty if it was). */
  rejected: string;
}

export function newRecord(req: Request): RequestRecord {
  return {
    req,
    prefillInstance: -1,
    decodeInstance: -1,
    prefillStart: NaN,
    prefillEnd: NaN,
    cachedTokens: 0,
    transferStart: NaN,
    transferEnd: NaN,
    firstToken: NaN,
    finish: NaN,
    rejected: '',
  };
}
