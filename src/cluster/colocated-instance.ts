import type { Simulator } from '../engine/simulator.js';
import type { PoolStats } from '../metrics/collector.js';
import type { RequestRecord } from '../metrics/request-record.js';
import type { PrefillView } from '../policies/router.js';
import type { Request } from '../workload/request.js';
import { MinHeap } from '../util/min-heap.js';
import type { GapSink } from './decode-instance.js';
import type { KvHierarchy } from '../storage/kv-tiers/hierarchy.js';
import { PromptReuse, type Prefilling } from './prompt-reuse.js';
import { StepLoop } from '../engine/step-loop.js';
import { Queue } from '../util/queue.js';
import type { EngineLimits } from './prefill-instance.js';
import type { PrefixCache } from './prefix-cache.js';
import { emptyBatch, emptyStepCost, type BatchShape, type StepCost, type StepTimeModel } from './step-time.js';


/**
 * A colocated vLLM instance (the baseline disaggregation is compared against): prefill and decode
 * share one engine, with chunked prefill and mixed batches as in the vLLM V1 scheduler.
 *
 * Admission is FCFS and head-of-line: the oldest waiting request is admitted when fewer than
 * `maxNumSeqs` sequences are running and its KV fits — the prompt's full hash blocks through the
 * prefix cache (hits pinned, the rest allocated) plus, in KV pages (vLLM block_size), the prompt's
 * partial tail and a reservation for its whole answer: pagesHeld(input + output) − pagesHeld(input)
 * pages. Reserving up front means a sequence is never preempted (vLLM allocates lazily and preempts
 * by recomputation instead). Both come from one `PrefixCache.allocate` call whose private pages
 * are the tail plus the reservation, so the fit check is atomic; `release` with the same counts
 * frees them and leaves the prompt's full blocks cached.
 *
 * Each step is decode-first: every decoding sequence gets one token, then prefill chunks of the
 * admitted requests, in admission order, fill what is left of `maxNumBatchedTokens`. A prefill
 * that completes emits the first token at the end of its step and decodes from the next step on.
 * Prefill of a newcomer therefore sits in the same steps as running decodes and stretches their
 * inter-token gaps — the interference disaggregation removes.
 *
 * Every decoding sequence emits exactly one token per step, so its last step is known when it
 * starts decoding: decoding sequences sit in a heap by that step and a step costs
 * O(chunks + finishing · log B), never a loop over the whole batch.
 */
export class ColocatedInstance implements PrefillView {
  private readonly waiting = new Queue<RequestRecord>();
  /** Callbacks as bound methods made once, not closures per request (see src/util/countdown.ts). */
  private readonly stepEnded = this.endStep.bind(this);
  private readonly startPrefill = this.addPrefilling.bind(this);
  private readonly wake = this.wakeLoop.bind(this);
  /** Admitted requests still prefilling, in admission order (entries before `prefillHead` are done). */
  private readonly prefilling: Prefilling[] = [];
  private prefillHead = 0;
  /** Decoding sequences keyed by the step index in which they emit their last token. */
  private readonly decoding = new MinHeap<RequestRecord>();
  /** Σ context of the decoding sequences: prompt + tokens emitted so far. */
  private sumContext = 0;
  private stepIndex = 0;
  private readonly loop: StepLoop;
  /** Requests routed here and not finished. */
  private outstanding = 0;
  /** Pages reserved for the answers of admitted, unfinished requests (part of `cache.usedPages`). */
  private reservedPages = 0;
  /** Decoding sequences in the current step. */
  private stepDecodes = 0;
  private readonly reuse: PromptReuse;
  private readonly chunkTokens: number[] = [];
  private readonly batch: BatchShape = emptyBatch();
  private readonly cost: StepCost = emptyStepCost();

  constructor(
    readonly index: number,
    /** Cluster-wide node id (for the network). */
    readonly node: number,
    private readonly sim: Simulator,
    private readonly model: StepTimeModel,
    private readonly limits: EngineLimits,
    private readonly blockSize: number,
    /** HBM KV pool with its prefix cache; also holds the answer reservations. */
    readonly cache: PrefixCache,
    private readonly stats: PoolStats,
    private readonly gaps: GapSink,
    private readonly onFinished: (rec: RequestRecord) => void,
    /** LMCache tiers below HBM, if the scenario has any. */
    private readonly tiers?: KvHierarchy,
  ) {
    // vLLM refuses this too; it guarantees every running decode plus one prefill chunk fit a step.
    if (limits.maxNumBatchedTokens < limits.maxNumSeqs) {
      throw new RangeError(
        `max_num_batched_tokens (${limits.maxNumBatchedTokens}) must be >= max_num_seqs (${limits.maxNumSeqs})`,
      );
    }
    this.reuse = new PromptReuse(sim, model, blockSize, cache, stats, limits.maxNumBatchedTokens, tiers);
    this.loop = new StepLoop(sim, this.startStep.bind(this));
  }

  /**
   * Estimated TTFT if `req` were queued here now: queued prefill work (decode steps sharing the
   * batches are not counted: an optimistic estimate), reuse load and the prefill itself.
   */
  estimateTtft(req: Request): number {
    return this.reuse.estimateTtft(req);
  }

  /** Requests routed here and not finished (waiting, loading, prefilling or decoding). */
  load(): number {
    return this.outstanding;
  }

  /** Sequences holding KV: loading, prefilling or decoding. */
  get running(): number {
    return this.reuse.loading + (this.prefilling.length - this.prefillHead) + this.decoding.size;
  }

  /** Pages reserved for answers not yet generated (counted in `cache.usedPages`). */
  get reservedDecodePages(): number {
    return this.reservedPages;
  }

  enqueue(rec: RequestRecord): void {
    rec.prefillInstance = this.index;
    rec.decodeInstance = -1;
    this.outstanding++;
    this.reuse.enqueued(rec);
    this.waiting.push(rec);
    this.loop.wake();
  }

  private fullBlocks(tokens: number): number {
    return this.reuse.fullBlocks(tokens);
  }

  private pagesHeld(tokens: number): number {
    return this.reuse.pagesHeld(tokens);
  }

  /** Pages reserved for the answer on top of the prompt's. */
  private answerPages(rec: RequestRecord): number {
    const r = rec.req;
    return this.pagesHeld(r.inputTokens + r.outputTokens) - this.pagesHeld(r.inputTokens);
  }

  /** Moves waiting requests into the running set, in order, while their KV fits. */
  private admit(): void {
    while (this.waiting.length > 0 && this.running < this.limits.maxNumSeqs) {
      const rec = this.waiting.peek()!;
      const r = rec.req;
      const full = this.fullBlocks(r.inputTokens);
      const hits = this.cache.allocate(r.blockHashes, full, this.pagesHeld(r.inputTokens + r.outputTokens));
      if (hits < 0) break; // FCFS: the head waits for room rather than being overtaken
      this.waiting.shift();
      this.reservedPages += this.answerPages(rec);
      this.reuse.begin(rec, hits, this.startPrefill, this.wake);
    }
  }

  private addPrefilling(p: Prefilling): void {
    this.prefilling.push(p);
  }

  private wakeLoop(): void {
    this.loop.wake();
  }

  private startStep(): void {
    this.admit();
    const b = this.batch;
    // Decode first: one token for every decoding sequence (B <= maxNumSeqs <= the budget).
    const decodes = this.decoding.size;
    b.decodeSeqs = decodes;
    b.decodeContextTokens = this.sumContext;
    b.sampledSeqs = decodes;
    b.prefillTokens = b.prefillAttention = b.prefillContextTokens = 0;
    // Then prefill chunks, in admission order, fill what is left of the token budget.
    let budget = this.limits.maxNumBatchedTokens - decodes;
    const chunks = this.chunkTokens;
    chunks.length = 0;
    for (let i = this.prefillHead; i < this.prefilling.length && budget > 0; i++) {
      const p = this.prefilling[i];
      const n = Math.min(p.rec.req.inputTokens - p.done, budget);
      budget -= n;
      chunks.push(n);
      b.prefillTokens += n;
      b.prefillAttention += n * (p.done + n / 2);
      b.prefillContextTokens += p.done;
      if (p.done + n === p.rec.req.inputTokens) b.sampledSeqs++;
      if (Number.isNaN(p.rec.prefillStart)) p.rec.prefillStart = this.sim.now;
    }
    this.loop.busy = decodes > 0 || chunks.length > 0;
    if (!this.loop.busy) return;
    this.stepDecodes = decodes;
    const cost = this.model.step(b, this.cost);
    this.stats.addStep(cost, b.prefillTokens + decodes);
    this.sim.after(cost.time, this.stepEnded);
  }

  private endStep(): void {
    const now = this.sim.now;
    const step = this.stepIndex;
    // Every decoding sequence got its previous token exactly one step ago: a sequence that joined
    // this step got its first token at the end of the previous step, which is when this one began
    // (a step follows at once while anything decodes).
    this.gaps.add(this.cost.time, this.stepDecodes);
    this.sumContext += this.stepDecodes;
    const done: RequestRecord[] = [];
    while (this.decoding.size > 0 && this.decoding.peekKey() <= step) {
      const rec = this.decoding.pop()!;
      this.sumContext -= rec.req.inputTokens + rec.req.outputTokens;
      done.push(rec);
    }
    // Chunks went to a prefix of the prefilling queue; all but possibly the last one completed.
    const chunks = this.chunkTokens;
    for (let k = 0; k < chunks.length; k++) {
      const p = this.prefilling[this.prefillHead];
      p.done += chunks[k];
      this.reuse.computed(chunks[k]);
      const r = p.rec.req;
      if (p.done < r.inputTokens) break; // budget ran out inside this prompt: it continues next step
      this.prefillHead++;
      const full = this.fullBlocks(r.inputTokens);
      this.cache.markComputed(r.blockHashes, full);
      this.tiers?.onComputed(r.blockHashes, full);
      p.rec.prefillEnd = now;
      p.rec.firstToken = now;
      if (r.outputTokens <= 1) {
        done.push(p.rec);
      } else {
        // Tokens 2..N come from steps step+1 .. step+N−1, one per step.
        this.decoding.push(step + r.outputTokens - 1, p.rec);
        this.sumContext += r.inputTokens + 1;
      }
    }
    if (this.prefillHead > 1024 && this.prefillHead * 2 > this.prefilling.length) {
      this.prefilling.splice(0, this.prefillHead);
      this.prefillHead = 0;
    }
    this.stepIndex++;
    // Still busy while the callbacks run, so KV they free is all seen by the next step's admission.
    for (const rec of done) {
      const r = rec.req;
      rec.finish = now;
      this.cache.release(r.blockHashes, this.fullBlocks(r.inputTokens), this.pagesHeld(r.inputTokens + r.outputTokens));
      this.reservedPages -= this.answerPages(rec);
      this.outstanding--;
      this.onFinished(rec);
    }
    this.loop.busy = false;
    this.startStep();
  }
}
