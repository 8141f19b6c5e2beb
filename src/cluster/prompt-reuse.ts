import type { Simulator } from '../engine/simulator.js';
import type { PoolStats } from '../metrics/collector.js';
import type { RequestRecord } from '../metrics/request-record.js';
import type { Request } from '../workload/request.js';
import type { KvHierarchy, Segment } from '../storage/kv-tiers/hierarchy.js';
import type { PrefixCache } from './prefix-cache.js';
import type { StepTimeModel } from './step-time.js';

/** A request being prefilled. */
export interface Prefilling {
  readonly rec: RequestRecord;
  /** Prompt tokens whose KV exists (cache hits, then computed chunks). */
  done: number;
  /** Leading full blocks that were HBM hits at admission (computed, and pinned since). */
  readonly hits: number;
}

const NOTHING = { segments: [] as Segment[], blocks: 0, loadTime: 0 };

/**
 * The prompt side of an instance that prefills (prefill-only or colocated), shared so both decide
 * and account the same way: how a prompt's KV is reused instead of computed (HBM prefix-cache hits,
 * then lower-tier segments kept while loading them beats recomputing them; loads run in parallel),
 * and the backlog of prompt tokens still to compute, which drives the TTFT estimate routers use.
 */
export class PromptReuse {
  /**
   * Prompt tokens still to compute (queued requests counted with the HBM hit they had when routed,
   * corrected at admission).
   */
  private pendingTokens = 0;
  /** Seconds per prompt token of a full chunk: the instance's prefill throughput. */
  readonly secondsPerToken: number;
  /** Admitted requests whose reused KV is still loading from lower tiers. */
  private loadingCount = 0;

  constructor(
    private readonly sim: Simulator,
    private readonly model: StepTimeModel,
    private readonly blockSize: number,
    private readonly cache: PrefixCache,
    private readonly stats: PoolStats,
    maxNumBatchedTokens: number,
    private readonly tiers?: KvHierarchy,
  ) {
    this.secondsPerToken = model.prefillTime(maxNumBatchedTokens, 0) / maxNumBatchedTokens;
  }

  /** Prompt tokens still to compute here (an integer). */
  get backlogTokens(): number {
    return this.pendingTokens;
  }

  get loading(): number {
    return this.loadingCount;
  }

  /** A request was queued here: add its expected work to the backlog. */
  enqueued(rec: RequestRecord): void {
    rec.queuedWork = this.uncachedNow(rec.req);
    this.pendingTokens += rec.queuedWork;
  }

  /** `tokens` of queued prompts were computed. */
  computed(tokens: number): void {
    this.pendingTokens -= tokens;
  }

  /** Estimated wait before a newly queued request's first chunk runs. */
  queueDelay(): number {
    return this.pendingTokens * this.secondsPerToken;
  }

  /** Estimated TTFT of `req` if queued here now: backlog + loading what it can reuse + its prefill. */
  estimateTtft(req: Request): number {
    const { cached, loadTime } = this.estimate(req);
    return this.queueDelay() + loadTime + this.model.prefillTime(req.inputTokens - cached, cached);
  }

  /**
   * The request was admitted with `hits` HBM blocks pinned: decides what to load, accounts it, and
   * hands it to `run` now or, if it loads from lower tiers, once compute may start (then `wake`s
   * the engine, which may have gone idle meanwhile).
   */
  begin(rec: RequestRecord, hits: number, run: (p: Prefilling) => void, wake: () => void): void {
    const segments = this.admit(rec, hits);
    this.pendingTokens += rec.req.inputTokens - rec.cachedTokens - rec.queuedWork;
    const p: Prefilling = { rec, done: rec.cachedTokens, hits };
    if (segments.length === 0) {
      run(p);
      return;
    }
    this.loadingCount++;
    rec.loadStart = this.sim.now;
    // A bound method, not a closure per load (see src/util/countdown.ts).
    this.tiers!.load(rec.req.blockHashes, segments, this.loaded.bind(this, p, run, wake));
  }

  /** The lower-tier KV of `p` is in: its compute may start. */
  private loaded(p: Prefilling, run: (p: Prefilling) => void, wake: () => void): void {
    p.rec.loadEnd = this.sim.now;
    this.loadingCount--;
    run(p);
    wake();
  }

  fullBlocks(tokens: number): number {
    return Math.floor(tokens / this.blockSize);
  }

  /**
   * KV pages a sequence of `tokens` holds in the cache: its full hash blocks, `pagesPerBlock` each,
   * plus the pages of the partial tail (e.g. 512-token hash blocks, 16-token pages, 1,300 tokens:
   * 2·32 + ceil(276 / 16) = 64 + 18 = 82 pages).
   */
  pagesHeld(tokens: number): number {
    const full = this.fullBlocks(tokens);
    const pageSize = this.blockSize / this.cache.pagesPerBlock;
    return full * this.cache.pagesPerBlock + Math.ceil((tokens - full * this.blockSize) / pageSize);
  }

  /** Prompt tokens `req` would not compute here right now, and the wait to load them. */
  private estimate(req: Request): { cached: number; loadTime: number } {
    const full = this.fullBlocks(req.inputTokens);
    const hits = this.cache.matchPrefix(req.blockHashes, full);
    const { blocks, loadTime } = this.tiers ? this.worthLoading(req.blockHashes, hits, full) : NOTHING;
    return { cached: Math.min((hits + blocks) * this.blockSize, req.inputTokens - 1), loadTime };
  }

  /** Prompt tokens still to compute if routed here now (HBM hits only: a cheap queue estimate). */
  private uncachedNow(req: Request): number {
    const hits = this.cache.matchPrefix(req.blockHashes, this.fullBlocks(req.inputTokens));
    return req.inputTokens - Math.min(hits * this.blockSize, req.inputTokens - 1);
  }

  /** Chooses lower-tier segments to load; records where reused tokens come from and the compute saved. */
  private admit(rec: RequestRecord, hits: number): Segment[] {
    const r = rec.req;
    const full = this.fullBlocks(r.inputTokens);
    this.tiers?.onHbmHits(r.blockHashes, hits);
    const segments = this.tiers ? this.worthLoading(r.blockHashes, hits, full).segments : NOTHING.segments;
    this.account(rec, hits, segments);
    return segments;
  }

  private worthLoading(hashes: readonly number[], hits: number, full: number): { segments: Segment[]; blocks: number; loadTime: number } {
    const found = this.tiers!.findSegments(hashes, hits, full);
    let context = hits * this.blockSize;
    let keep = 0;
    let blocks = 0;
    let loadTime = 0;
    for (const seg of found) {
      const tokens = seg.blocks * this.blockSize;
      const load = this.tiers!.estimateLoad(seg);
      if (load >= this.model.prefillTime(tokens, context)) break;
      context += tokens;
      blocks += seg.blocks;
      loadTime = Math.max(loadTime, load);
      keep++;
    }
    return { segments: found.slice(0, keep), blocks, loadTime };
  }

  private account(rec: RequestRecord, hits: number, segments: readonly Segment[]): void {
    const r = rec.req;
    rec.hbmTokens = hits * this.blockSize;
    for (const seg of segments) {
      const tokens = seg.blocks * this.blockSize;
      if (seg.tier === 'local_cpu') rec.cpuTokens += tokens;
      else if (seg.tier === 'local_disk') rec.diskTokens += tokens;
      else if (seg.tier === 'pool') rec.poolTokens += tokens;
      else rec.remoteTokens += tokens;
    }
    const reused = rec.hbmTokens + rec.cpuTokens + rec.diskTokens + rec.poolTokens + rec.remoteTokens;
    // vLLM recomputes at least the last prompt token to get logits for the first output token.
    const cached = Math.min(reused, r.inputTokens - 1);
    let excess = reused - cached;
    for (const key of ['remoteTokens', 'poolTokens', 'diskTokens', 'cpuTokens', 'hbmTokens'] as const) {
      const cut = Math.min(excess, rec[key]);
      rec[key] -= cut;
      excess -= cut;
    }
    rec.cachedTokens = cached;
    const full = this.model.prefillTime(r.inputTokens, 0);
    this.stats.computeWithoutCache += full;
    if (cached > 0) {
      rec.computeSaved = full - this.model.prefillTime(r.inputTokens - cached, cached);
      this.stats.computeSaved += rec.computeSaved;
    }
  }
}
