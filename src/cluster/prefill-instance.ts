import type { Simulator } from '../engine/simulator.js';
import type { PoolStats } from '../metrics/collector.js';
import type { RequestRecord } from '../metrics/request-record.js';
import type { PrefillView } from '../policies/router.js';
import type { Request } from '../workload/request.js';
import type { KvHierarchy } from '../storage/kv-tiers/hierarchy.js';
import { PromptReuse, type Prefilling } from './prompt-reuse.js';
import { StepLoop } from '../engine/step-loop.js';
import { Queue } from '../util/queue.js';
import type { PrefixCache } from './prefix-cache.js';
import { emptyBatch, emptyStepCost, type BatchShape, type StepCost, type StepTimeModel } from './step-time.js';

export interface EngineLimits {
  /** Most sequences in one batch (vLLM --max-num-seqs). */
  readonly maxNumSeqs: number;
  /** Most new tokens in one step (vLLM --max-num-batched-tokens), the chunked-prefill budget. */
  readonly maxNumBatchedTokens: number;
}


/**
 * A prefill instance: FCFS waiting queue, chunked prefill within the token budget, and an HBM
 * prefix cache. A request's KV stays pinned after its prefill until the decode side has pulled it
 * (`releaseKv`), so a slow or full decode pool pushes back on prefill, as in a real PD cluster.
 */
export class PrefillInstance implements PrefillView {
  private readonly waiting = new Queue<RequestRecord>();
  private readonly running: Prefilling[] = [];
  private readonly loop: StepLoop;
  private readonly reuse: PromptReuse;
  /** The waiting head that last failed to fit, and the cache's release count at that moment. */
  private blockedHead: RequestRecord | undefined;
  private blockedAt = -1;
  /** Requests routed here and not yet released (queued, prefilling, or waiting for handoff). */
  private outstanding = 0;
  private readonly batch: BatchShape = emptyBatch();
  private readonly cost: StepCost = emptyStepCost();
  /**
   * Tokens of each running request's chunk in the step in progress: the first `chunkCount`
   * entries (the list keeps its storage between steps; emptying it would drop it).
   */
  private readonly chunkTokens: number[] = [];
  private chunkCount = 0;
  /**
   * Callbacks made once, not per request or step (each closure was garbage for the GC), as bound
   * methods rather than closures per instance (see src/util/countdown.ts).
   */
  private readonly run = this.startRunning.bind(this);
  private readonly wake = this.wakeLoop.bind(this);
  private readonly stepEnded = this.endStep.bind(this);
  /** Told when the backlog or load changes (a routing index keeps them ordered). */
  routingListener: ((position: number) => void) | undefined;

  constructor(
    readonly index: number,
    /** Cluster-wide node id (for the network). */
    readonly node: number,
    private readonly sim: Simulator,
    private readonly model: StepTimeModel,
    private readonly limits: EngineLimits,
    private readonly blockSize: number,
    /** HBM KV pool with its prefix cache. */
    readonly cache: PrefixCache,
    private readonly stats: PoolStats,
    private readonly onPrefilled: (rec: RequestRecord) => void,
    /** LMCache tiers below HBM, if the scenario has any. */
    private readonly tiers?: KvHierarchy,
  ) {
    this.reuse = new PromptReuse(sim, model, blockSize, cache, stats, limits.maxNumBatchedTokens, tiers);
    // KV released with nothing queued or loaded (the common case) needs no step: no wake event.
    this.loop = new StepLoop(sim, this.startStep.bind(this), this.hasWork.bind(this));
  }

  private startRunning(p: Prefilling): void {
    this.running.push(p);
  }

  private wakeLoop(): void {
    this.loop.wake();
  }

  private hasWork(): boolean {
    return this.waiting.length > 0 || this.running.length > 0;
  }

  /** Estimated wait before a newly queued request's first chunk runs. */
  queueDelay(): number {
    return this.reuse.queueDelay();
  }

  estimateTtft(req: Request): number {
    return this.reuse.estimateTtft(req);
  }

  load(): number {
    return this.outstanding;
  }

  backlogTokens(): number {
    return this.reuse.backlogTokens;
  }

  /** Queue delay per backlog token (the instance's prefill throughput). */
  get secondsPerToken(): number {
    return this.reuse.secondsPerToken;
  }

  enqueue(rec: RequestRecord): void {
    rec.prefillInstance = this.index;
    this.outstanding++;
    this.reuse.enqueued(rec);
    this.waiting.push(rec);
    this.routingListener?.(this.index);
    this.loop.wake();
  }

  /** The decode side has the KV now: unpin it (full blocks stay cached for later hits, the tail's pages are freed). */
  releaseKv(rec: RequestRecord): void {
    const r = rec.req;
    this.cache.release(r.blockHashes, this.fullBlocks(r.inputTokens), this.pagesHeld(r.inputTokens), rec.kvSlots);
    rec.kvSlots = undefined;
    this.outstanding--;
    this.routingListener?.(this.index);
    this.loop.wake();
  }

  private fullBlocks(tokens: number): number {
    return this.reuse.fullBlocks(tokens);
  }

  private pagesHeld(tokens: number): number {
    return this.reuse.pagesHeld(tokens);
  }

  /** Moves waiting requests into the running set, in order, while their KV fits. */
  private admit(): void {
    while (this.waiting.length > 0 && this.running.length + this.reuse.loading < this.limits.maxNumSeqs) {
      const rec = this.waiting.peek()!;
      const r = rec.req;
      const full = this.fullBlocks(r.inputTokens);
      // A head that did not fit cannot fit before some KV is released: skip the retry until then.
      if (rec === this.blockedHead && this.cache.releases === this.blockedAt) break;
      const hits = this.cache.allocate(r.blockHashes, full, this.pagesHeld(r.inputTokens));
      if (hits < 0) {
        // FCFS: the head waits for room rather than being overtaken.
        this.blockedHead = rec;
        this.blockedAt = this.cache.releases;
        break;
      }
      this.waiting.shift();
      rec.kvSlots = this.cache.pinnedSlots(full);
      this.reuse.begin(rec, hits, this.run, this.wake);
    }
  }

  private startStep(): void {
    this.admit();
    this.routingListener?.(this.index);
    const b = this.batch;
    b.prefillTokens = b.prefillAttention = b.prefillContextTokens = b.sampledSeqs = 0;
    let budget = this.limits.maxNumBatchedTokens;
    const chunks = this.chunkTokens;
    let count = 0;
    for (const p of this.running) {
      if (budget <= 0) break;
      const n = Math.min(p.rec.req.inputTokens - p.done, budget);
      budget -= n;
      chunks[count++] = n;
      b.prefillTokens += n;
      b.prefillAttention += n * (p.done + n / 2);
      b.prefillContextTokens += p.done;
      if (p.done + n === p.rec.req.inputTokens) b.sampledSeqs++;
      if (Number.isNaN(p.rec.prefillStart)) p.rec.prefillStart = this.sim.now;
    }
    this.chunkCount = count;
    this.loop.busy = count > 0;
    if (!this.loop.busy) return;
    const cost = this.model.step(b, this.cost);
    this.stats.addStep(cost, b.prefillTokens);
    this.sim.after(cost.time, this.stepEnded);
  }

  private endStep(): void {
    const chunks = this.chunkTokens;
    const finished: RequestRecord[] = [];
    // Chunks went to the first running entries in order and every chunk but the last one
    // finished its prompt (the budget ran out inside the last one): the finished are a prefix.
    for (let i = 0; i < this.chunkCount; i++) {
      const p = this.running[i];
      p.done += chunks[i];
      this.reuse.computed(chunks[i]);
      if (p.done < p.rec.req.inputTokens) break;
      const r = p.rec.req;
      this.cache.markComputed(r.blockHashes, this.fullBlocks(r.inputTokens), p.rec.kvSlots, p.hits);
      this.tiers?.onComputed(r.blockHashes, this.fullBlocks(r.inputTokens));
      // Its sampled token is not streamed (vLLM PD proxy: max_tokens=1 on the prefill side);
      // the client's first token comes from the decode instance.
      p.rec.prefillEnd = this.sim.now;
      finished.push(p.rec);
    }
    this.running.splice(0, finished.length);
    this.routingListener?.(this.index);
    // Still busy while the callbacks run, so KV they free is all seen by the next step's admission.
    for (const rec of finished) this.onPrefilled(rec);
    this.loop.busy = false;
    this.startStep();
  }
}
