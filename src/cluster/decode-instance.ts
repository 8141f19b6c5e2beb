import type { Simulator } from '../engine/simulator.js';
import type { PoolStats } from '../metrics/collector.js';
import type { RequestRecord } from '../metrics/request-record.js';
import type { DecodeView } from '../policies/router.js';
import { StepLoop } from '../engine/step-loop.js';
import { MinHeap } from '../util/min-heap.js';
import { Queue } from '../util/queue.js';
import type { EngineLimits } from './prefill-instance.js';
import { emptyBatch, emptyStepCost, type BatchShape, type StepCost, type StepTimeModel } from './step-time.js';

/** Receives inter-token gaps: `weight` tokens that each waited `value` seconds. */
export interface GapSink {
  add(value: number, weight: number): void;
}

interface Decoding {
  readonly rec: RequestRecord;
  readonly blocks: number;
}

/**
 * A decode instance with continuous batching. A handed-off request first reserves KV for its
 * whole prompt + answer (so it is never preempted; requests wait in FIFO order when KV or
 * `max_num_seqs` is exhausted), then its KV is pulled over the network, then it joins the running
 * batch at the next step boundary and emits one token per step until done. As behind vLLM's PD
 * proxy (NIXL connector), the decode instance generates every token the client sees: the first
 * one at the end of the request's first step here (the prefill instance's token is discarded).
 *
 * Every running sequence emits one token per step, so a sequence's last step is known when it
 * joins: the instance keeps them in a heap by that step and never loops over the whole batch.
 */
export class DecodeInstance implements DecodeView {
  private readonly pending = new Queue<RequestRecord>();
  private readonly ready: RequestRecord[] = [];
  private readonly running = new MinHeap<Decoding>();
  private readonly joined: RequestRecord[] = [];
  private usedBlocks = 0;
  /** Blocks that requests waiting for a reservation will need. */
  private pendingBlocks = 0;
  /** Requests holding a reservation: transferring, ready or running. */
  private reserved = 0;
  private sumContext = 0;
  private stepIndex = 0;
  private readonly loop: StepLoop;
  private stepSeqs = 0;
  private peakBlocks = 0;
  private readonly batch: BatchShape = emptyBatch();
  private readonly cost: StepCost = emptyStepCost();

  constructor(
    readonly index: number,
    readonly node: number,
    private readonly sim: Simulator,
    private readonly model: StepTimeModel,
    private readonly limits: EngineLimits,
    private readonly blockSize: number,
    readonly capacityBlocks: number,
    private readonly stats: PoolStats,
    private readonly gaps: GapSink,
    /** Starts pulling the KV of `rec`; must call `onTransferred(rec)` when it has landed. */
    private readonly pullKv: (rec: RequestRecord, into: DecodeInstance) => void,
    private readonly onFinished: (rec: RequestRecord) => void,
  ) {
    this.loop = new StepLoop(sim, () => this.startStep());
  }

  /** Sequences assigned here and not finished (waiting, transferring or decoding). */
  load(): number {
    return this.reserved + this.pending.length;
  }

  freeKvBlocks(): number {
    return this.capacityBlocks - this.usedBlocks - this.pendingBlocks;
  }

  /** Approximation: sequences not yet running are counted with the new one's context. */
  predictedTbt(contextTokens: number): number {
    const b = this.reserved + this.pending.length + 1;
    return this.model.decodeTime(b, this.sumContext + contextTokens * (b - this.running.size));
  }

  get kvBlocksUsed(): number {
    return this.usedBlocks;
  }

  get kvBlocksPeak(): number {
    return this.peakBlocks;
  }

  blocksFor(rec: RequestRecord): number {
    return Math.ceil((rec.req.inputTokens + rec.req.outputTokens) / this.blockSize);
  }

  handoff(rec: RequestRecord): void {
    rec.decodeInstance = this.index;
    this.pending.push(rec);
    this.pendingBlocks += this.blocksFor(rec);
    this.reserve();
  }

  onTransferred(rec: RequestRecord): void {
    rec.transferEnd = this.sim.now;
    this.ready.push(rec);
    this.loop.wake();
  }

  private reserve(): void {
    while (this.pending.length > 0 && this.reserved < this.limits.maxNumSeqs) {
      const rec = this.pending.peek()!;
      const blocks = this.blocksFor(rec);
      if (this.usedBlocks + blocks > this.capacityBlocks) break;
      this.usedBlocks += blocks;
      this.pendingBlocks -= blocks;
      if (this.usedBlocks > this.peakBlocks) this.peakBlocks = this.usedBlocks;
      this.reserved++;
      this.pending.shift();
      rec.transferStart = this.sim.now;
      this.pullKv(rec, this);
    }
  }

  private startStep(): void {
    const joined = this.joined;
    joined.length = 0;
    for (const rec of this.ready) {
      // Tokens 1..n come from decode; the last one is produced in step `stepIndex + n - 1`.
      // The first step attends over the prompt (its last position is recomputed here, as in vLLM).
      this.running.push(this.stepIndex + rec.req.outputTokens - 1, { rec, blocks: this.blocksFor(rec) });
      this.sumContext += rec.req.inputTokens;
      rec.decodeStart = this.sim.now;
      joined.push(rec);
    }
    this.ready.length = 0;
    const b = this.running.size;
    this.loop.busy = b > 0;
    if (!this.loop.busy) return;
    this.stepSeqs = b;
    const batch = this.batch;
    batch.decodeSeqs = b;
    batch.sampledSeqs = b;
    batch.decodeContextTokens = this.sumContext;
    const cost = this.model.step(batch, this.cost);
    this.stats.addStep(cost, b);
    this.stats.addKvShare(this.usedBlocks / this.capacityBlocks, cost.time);
    let end = this.sim.now + cost.time;
    // Fast-forward, exactly: a step that ends before any other event and finishes no sequence can
    // be neither observed nor changed by the rest of the cluster, so it completes inline and the
    // next step starts — one event for a run of steps instead of one per step. Measured (npm run
    // bench): small scenario 11.2k -> 1.8k events; large clusters rarely qualify (another
    // instance's step nearly always ends sooner), so their event counts barely move.
    while (this.running.peekKey() > this.stepIndex && end < this.sim.nextEventTime) {
      this.completeStep(end);
      this.joined.length = 0;
      batch.decodeContextTokens = this.sumContext;
      const next = this.model.step(batch, this.cost);
      this.stats.addStep(next, b);
      this.stats.addKvShare(this.usedBlocks / this.capacityBlocks, next.time);
      end += next.time;
    }
    this.sim.at(end, () => this.endStep());
  }

  /** Token bookkeeping at the end of a step: inter-token gaps and context growth. */
  private completeStep(now: number): void {
    // Sequences that were in the previous step waited exactly one step for this token; those that
    // joined this step got their first token (its wait is TTFT, not an inter-token gap).
    const continuing = this.stepSeqs - this.joined.length;
    if (continuing > 0) this.gaps.add(this.cost.time, continuing);
    for (const rec of this.joined) rec.firstToken = now;
    this.sumContext += this.stepSeqs;
    this.stepIndex++;
  }

  private endStep(): void {
    const now = this.sim.now;
    this.completeStep(now);
    // Sequences whose last token was this step's (the step index already moved past it).
    while (this.running.size > 0 && this.running.peekKey() < this.stepIndex) {
      const d = this.running.pop()!;
      d.rec.finish = now;
      this.sumContext -= d.rec.req.inputTokens + d.rec.req.outputTokens;
      this.usedBlocks -= d.blocks;
      this.reserved--;
      this.onFinished(d.rec);
    }
    this.reserve();
    this.loop.busy = false;
    this.startStep();
  }
}
