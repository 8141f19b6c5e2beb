import type { Scenario } from '../scenario/schema.js';
import { Queue } from '../util/queue.js';
import { NumberColumn } from './number-column.js';
import type { RequestRecord } from './request-record.js';

/** Receives each request's final record, in arrival (id) order, e.g. to write requests.csv. */
export interface RecordSink {
  write(rec: RequestRecord): void;
}

type Slo = Scenario['slo'];

/**
 * Everything the summary, the charts and requests.csv need from per-request records, kept as
 * compact columns and counters instead of the records themselves: a record is folded in (and
 * handed to the sink, then dropped) as soon as it and every request that arrived before it are
 * settled (finished or rejected), so memory follows the requests in flight, not the run length.
 * Percentiles stay exact: every per-request latency is kept as a double.
 */
export class RequestLog {
  /** Submitted requests not yet folded in, oldest first (a settled one waits for older ones). */
  private readonly order = new Queue<RequestRecord>();
  /** Every record (tests and small runs only; off for memory-bounded runs). */
  readonly records: RequestRecord[] | undefined;

  total = 0;
  finished = 0;
  rejected = 0;
  rejectedCapacity = 0;
  rejectedTtft = 0;
  rejectedTbt = 0;
  /** Handed-off requests whose KV transfer waited for decode room after prefill. */
  decodeQueued = 0;
  /** Requests meeting every per-request SLO target. */
  sloMet = 0;
  firstArrival = NaN;
  lastFinish = -Infinity;
  /** Tokens of finished requests. */
  promptTokens = 0;
  outputTokens = 0;
  /** Admitted (not rejected) requests, for overload detection (see stability.ts). */
  readonly admitted = {
    count: 0,
    firstArrival: NaN,
    lastArrival: NaN,
    /** Prompt tokens computed and reused, output tokens. */
    computed: 0,
    cached: 0,
    output: 0,
    /** Decode KV reserved: prompt + answer rounded up to whole pages. */
    reserved: 0,
    /** Mean context a decoding sequence attends over, summed: prompt + half the answer. */
    decodeContext: 0,
  };
  /** Tokens per decode KV page (set by the run before it starts; 1 until then). */
  kvPageTokens = 1;
  /** Prompt tokens of prefilled requests, by source (finished or not). */
  readonly tokens = { prompt: 0, hbm: 0, local_cpu: 0, local_disk: 0, pool: 0, remote: 0, recomputed: 0 };

  /** Finished requests, in arrival order: arrival, client TTFT, prefill-side TTFT, E2E, ... */
  readonly arrival = new NumberColumn();
  readonly ttft = new NumberColumn();
  readonly ttftPrefill = new NumberColumn();
  readonly e2e = new NumberColumn();
  readonly finish = new NumberColumn();
  readonly prefillQueue = new NumberColumn();
  readonly prefill = new NumberColumn();
  /** Queueing wait: before prefill, plus (disaggregated) before decode KV was reserved. */
  readonly wait = new NumberColumn();
  /** Time being served: prefill start to finish. */
  readonly service = new NumberColumn();
  /** Finished requests with more than one output token. */
  readonly tpot = new NumberColumn();
  /** Finished requests handed off to a decode instance. */
  readonly handoff = new NumberColumn();
  readonly decodeQueue = new NumberColumn();
  readonly kvTransfer = new NumberColumn();
  readonly firstDecodeStep = new NumberColumn();
  /** Prefilled requests that loaded KV from a lower tier: load time. */
  readonly load = new NumberColumn();

  /** Per-request SLO limits (see RequestSloLimits), worked out once instead of per request. */
  private readonly limits: RequestSloLimits;

  constructor(
    slo: Slo,
    keepRecords: boolean,
    private readonly sink?: RecordSink,
  ) {
    this.records = keepRecords ? [] : undefined;
    this.limits = requestSloLimits(slo);
  }

  /** A request arrived (its record will be settled later, or right away if rejected). */
  submitted(rec: RequestRecord): void {
    this.order.push(rec);
    this.records?.push(rec);
    this.total++;
    if (Number.isNaN(this.firstArrival)) this.firstArrival = rec.req.arrival;
  }

  /** The request finished or was rejected: its record will not change any more. */
  settled(rec: RequestRecord): void {
    rec.settled = true;
    while (this.order.length > 0 && this.order.peek()!.settled) this.fold(this.order.shift()!);
  }

  /** Requests submitted and not yet folded in (settled ones wait behind an older unsettled one). */
  get pending(): number {
    return this.order.length;
  }

  private fold(r: RequestRecord): void {
    this.sink?.write(r);
    const q = r.req;
    if (r.rejected !== '') {
      this.rejected++;
      if (r.rejected.startsWith('capacity')) this.rejectedCapacity++;
      else if (r.rejected.startsWith('ttft')) this.rejectedTtft++;
      else if (r.rejected.startsWith('tbt')) this.rejectedTbt++;
    } else {
      const a = this.admitted;
      if (a.count++ === 0) a.firstArrival = q.arrival;
      a.lastArrival = q.arrival;
      a.computed += q.inputTokens - r.cachedTokens;
      a.cached += r.cachedTokens;
      a.output += q.outputTokens;
      a.reserved += Math.ceil((q.inputTokens + q.outputTokens) / this.kvPageTokens) * this.kvPageTokens;
      a.decodeContext += q.inputTokens + q.outputTokens / 2;
    }
    if (!Number.isNaN(r.prefillEnd)) {
      const t = this.tokens;
      t.prompt += q.inputTokens;
      t.hbm += r.hbmTokens;
      t.local_cpu += r.cpuTokens;
      t.local_disk += r.diskTokens;
      t.pool += r.poolTokens;
      t.remote += r.remoteTokens;
      t.recomputed += q.inputTokens - r.cachedTokens;
      if (!Number.isNaN(r.loadEnd)) this.load.push(r.loadEnd - r.loadStart);
    }
    if (Number.isNaN(r.finish)) return;
    this.finished++;
    if (r.finish > this.lastFinish) this.lastFinish = r.finish;
    this.promptTokens += q.inputTokens;
    this.outputTokens += q.outputTokens;
    const ttft = r.firstToken - q.arrival;
    const e2e = r.finish - q.arrival;
    this.arrival.push(q.arrival);
    this.ttft.push(ttft);
    this.ttftPrefill.push(r.prefillEnd - q.arrival);
    this.e2e.push(e2e);
    this.finish.push(r.finish);
    this.prefillQueue.push(r.prefillStart - q.arrival);
    this.prefill.push(r.prefillEnd - r.prefillStart);
    this.wait.push(r.prefillStart - q.arrival + (Number.isNaN(r.transferStart) ? 0 : r.transferStart - r.prefillEnd));
    this.service.push(r.finish - r.prefillStart);
    const tpot = q.outputTokens > 1 ? (r.finish - r.firstToken) / (q.outputTokens - 1) : 0;
    if (q.outputTokens > 1) this.tpot.push(tpot);
    if (r.decodeInstance >= 0) {
      this.handoff.push(r.transferEnd - r.prefillEnd);
      this.decodeQueue.push(r.transferStart - r.prefillEnd);
      this.kvTransfer.push(r.transferEnd - r.transferStart);
      this.firstDecodeStep.push(r.firstToken - r.transferEnd);
      if (r.transferStart > r.prefillEnd) this.decodeQueued++;
    }
    const l = this.limits;
    if (!(ttft > l.ttft || tpot > l.tpot || e2e > l.e2e)) this.sloMet++;
  }
}

/**
 * Per-request SLO check (DistServe-style): a request meets the SLO when every configured TTFT,
 * TPOT and E2E target holds for it (TBT targets are pool-wide, not per request). A value exceeds
 * some target of its metric iff it exceeds the smallest one, so each metric keeps that (Infinity:
 * none). Checked per request over millions: no allocation there.
 */
interface RequestSloLimits {
  readonly ttft: number;
  readonly tpot: number;
  readonly e2e: number;
}

function requestSloLimits(slo: Slo): RequestSloLimits {
  const limits = { ttft: Infinity, tpot: Infinity, e2e: Infinity };
  for (const [key, target] of Object.entries(slo)) {
    if (target === undefined) continue;
    const metric = key.split('_')[0];
    if (metric === 'ttft' || metric === 'tpot' || metric === 'e2e') limits[metric] = Math.min(limits[metric], target);
  }
  return limits;
}
