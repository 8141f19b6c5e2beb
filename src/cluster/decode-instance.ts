import type { Simulator } from '../engine/simulator.js';
import type { PoolStats } from '../metrics/collector.js';
import type { RequestRecord } from '../metrics/request-record.js';
import type { DecodeView } from '../policies/router.js';
import type { Request } from '../workload/request.js';
import { StepLoop } from '../engine/step-loop.js';
import { MinHeap } from '../util/min-heap.js';
import { Queue } from '../util/queue.js';
import type { EngineLimits } from './prefill-instance.js';
import { emptyBatch, emptyDecodeLine, emptyStepCost, type BatchShape, type DecodeLine, type StepCost, type StepTimeModel } from './step-time.js';

/** Receives inter-token gaps: `weight` tokens that each waited `value` seconds. */
export interface GapSink {
  add(value: number, weight: number): void;
  /** The `n` values first + step·j (j = 0 .. n−1), each with `weight`. */
  addLinear(first: number, step: number, n: number, weight: number): void;
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
 *
 * Analytic stepping (default): between batch changes (a sequence joins or finishes) the steps are
 * fully determined — same batch, context one token longer per sequence per step — so the instance
 * schedules one event per change, not per step: at a step start it sums ahead the step times up to
 * the earliest finish and schedules that step's end; a KV landing mid-run moves the
 * event to the end of the step in progress (where the request joins). Steps in between are
 * accounted (stats, inter-token gaps, first tokens) lazily, in order, whenever the instance is
 * observed or changed (`catchUp`), with the very same arithmetic as stepping: step boundaries are
 * the same sums of the same step times. `stepped: true` keeps one event per step (tests compare).
 */
export class DecodeInstance implements DecodeView {
  /** Told after every change of the reservations or the batch (routers' indexes re-read the instance). */
  routingListener: ((position: number) => void) | undefined;
  private readonly pending = new Queue<RequestRecord>();
  /** The step-end event's callback: a bound method made once (see src/util/countdown.ts). */
  private readonly stepEnded = this.endStep.bind(this);
  private readonly ready: RequestRecord[] = [];
  private readonly running = new MinHeap<Decoding>();
  private readonly joined: RequestRecord[] = [];
  /** Requests holding a reservation that are not running yet (KV in flight, or landed). */
  private readonly notRunning = new Set<RequestRecord>();
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
  /** Analytic stepping: the step in progress ends at `stepEnd`; the next event ends step `boundaryStep` at `boundaryAt`. */
  private stepEnd = 0;
  private boundaryAt = Infinity;
  private boundaryStep = Infinity;
  private boundaryGen = 0;
  /** The current run (analytic stepping, see startRun). */
  private readonly line: DecodeLine = emptyDecodeLine();
  private runStart = 0;
  private runStep = 0;
  private runContext = 0;
  private runFirst = 0;
  private runGrowth = 0;
  /** Steps of the run whose pool statistics are accounted (those that have started). */
  private runAccounted = 0;

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
    /** One event per step (the reference the analytic path is tested against). */
    private readonly stepped = false,
  ) {
    this.loop = new StepLoop(sim, this.startStep.bind(this));
  }

  /** Sequences assigned here and not finished (waiting, transferring or decoding). */
  load(): number {
    return this.reserved + this.pending.length;
  }

  freeKvBlocks(): number {
    return this.capacityBlocks - this.usedBlocks - this.pendingBlocks;
  }

  accountedContext(): number {
    return this.sumContext;
  }

  decodeTime(batch: number, sumContext: number): number {
    return this.model.decodeTime(batch, sumContext);
  }

  /** Approximation: sequences not yet running are counted with the new one's context. */
  predictedTbt(contextTokens: number): number {
    this.catchUp(this.sim.now);
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
    return this.pagesFor(rec.req);
  }

  private pagesFor(req: Request): number {
    return Math.ceil((req.inputTokens + req.outputTokens) / this.blockSize);
  }

  /**
   * Predicted seconds from now until `req`, handed off now, would get its KV reservation (behind
   * the requests already waiting, FIFO): 0 if it fits, else the time until enough reserved
   * sequences finish. Running sequences finish at known steps; reserved ones not running yet are
   * taken as joining at the next step; steps last as long as the current batch's. If even all of
   * them finishing leaves no room (a queue longer than a batch), the wait until then is returned:
   * a lower bound, so admission control errs towards admitting.
   */
  predictReservationWait(req: Request): number {
    this.catchUp(this.sim.now);
    let pagesShort = this.usedBlocks + this.pendingBlocks + this.pagesFor(req) - this.capacityBlocks;
    let seqsShort = this.reserved + this.pending.length + 1 - this.limits.maxNumSeqs;
    if (pagesShort <= 0 && seqsShort <= 0) return 0;
    const frees: { step: number; pages: number }[] = [];
    this.running.forEach((step, d) => frees.push({ step, pages: d.blocks }));
    for (const rec of this.notRunning) frees.push({ step: this.stepIndex + rec.req.outputTokens, pages: this.blocksFor(rec) });
    frees.sort((x, y) => x.step - y.step);
    const stepTime = this.model.decodeTime(Math.max(1, this.running.size), this.sumContext);
    let last = this.stepIndex;
    for (const f of frees) {
      pagesShort -= f.pages;
      seqsShort--;
      last = f.step;
      if (pagesShort <= 0 && seqsShort <= 0) break;
    }
    // A sequence's last step `k` ends (k − stepIndex + 1) steps from now (the current one included).
    return (last - this.stepIndex + 1) * stepTime;
  }

  handoff(rec: RequestRecord): void {
    // Steps already run saw the KV reserved before this request's reservation.
    this.catchUp(this.sim.now);
    rec.decodeInstance = this.index;
    this.pending.push(rec);
    this.pendingBlocks += this.blocksFor(rec);
    this.reserve();
    this.routingListener?.(this.index);
  }

  onTransferred(rec: RequestRecord): void {
    rec.transferEnd = this.sim.now;
    this.ready.push(rec);
    if (this.stepped || !this.loop.busy) {
      this.loop.wake();
      return;
    }
    // It joins when the step in progress ends: the batch changes there.
    this.catchUp(this.sim.now);
    if (this.stepIndex < this.boundaryStep) this.scheduleBoundary(this.stepEnd, this.stepIndex);
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
      this.notRunning.add(rec);
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
      this.notRunning.delete(rec);
      rec.decodeStart = this.sim.now;
      joined.push(rec);
    }
    this.ready.length = 0;
    const b = this.running.size;
    this.loop.busy = b > 0;
    if (!this.loop.busy) return;
    this.stepSeqs = b;
    if (!this.stepped) {
      this.startRun(b);
      return;
    }
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
      this.completeStep(end, this.cost.time);
      batch.decodeContextTokens = this.sumContext;
      const next = this.model.step(batch, this.cost);
      this.stats.addStep(next, b);
      this.stats.addKvShare(this.usedBlocks / this.capacityBlocks, next.time);
      end += next.time;
    }
    this.sim.at(end, this.stepEnded);
  }

  /**
   * Analytic stepping: a run of steps of the same `b` sequences starts now. Step j of the run
   * (0-based) has summed context c0 + b·j, so it lasts runFirst + runGrowth·j (a line:
   * StepTimeModel.decodeLine) and ends at `endOf(j)`, a closed form; the run lasts until the
   * earliest finish, where the boundary event is scheduled.
   */
  private startRun(b: number): void {
    const l = this.model.decodeLine(b, this.line);
    const perToken = l.computePerToken + l.memoryPerToken;
    this.runStart = this.sim.now;
    this.runStep = this.stepIndex;
    this.runContext = this.sumContext;
    this.runFirst = l.computeBase + l.memoryBase + l.comm + l.overhead + perToken * this.sumContext;
    this.runGrowth = perToken * b;
    this.runAccounted = 0;
    this.accountStarts(1);
    this.stepEnd = this.endOf(0);
    const last = this.running.peekKey();
    this.scheduleBoundary(this.endOf(last - this.stepIndex), last);
  }

  /** End time of step j of the current run: start + Σ_{i<=j} (runFirst + runGrowth·i). */
  private endOf(j: number): number {
    return this.runStart + ((j + 1) * this.runFirst + (this.runGrowth * j * (j + 1)) / 2);
  }

  /** Pool statistics of the run's steps that have started, up to (excluding) step `upTo`. */
  private accountStarts(upTo: number): void {
    const n = upTo - this.runAccounted;
    if (n <= 0) return;
    const b = this.stepSeqs;
    const time = this.stats.addDecodeSteps(this.line, this.runContext + b * this.runAccounted, b, n);
    // The reservation is the same for all of them: it changes only after a catch-up (handoff) or at the boundary.
    this.stats.addKvShare(this.usedBlocks / this.capacityBlocks, time);
    this.runAccounted = upTo;
  }

  /** The next batch change (analytic stepping): the end of step `step`, at `at`. */
  private scheduleBoundary(at: number, step: number): void {
    this.boundaryAt = at;
    this.boundaryStep = step;
    // A bound method, not a closure per boundary (see src/util/countdown.ts).
    this.sim.at(at, this.boundaryReached.bind(this, ++this.boundaryGen));
  }

  private boundaryReached(gen: number): void {
    if (gen !== this.boundaryGen) return; // moved earlier by a join
    this.catchUp(this.sim.now, false);
    this.boundaryAt = Infinity;
    this.boundaryStep = Infinity;
    this.endStep();
  }

  /**
   * Runs the bookkeeping of the steps that ended by `now` (before it, unless `inclusive`) and the
   * starts of the steps that followed them, as one event per step would have, in closed form: none
   * of these steps changes the batch (the boundary event handles the one that does). Their
   * inter-token gaps go into the histogram per bucket, not per step.
   */
  private catchUp(now: number, inclusive = true): void {
    if (this.stepped || !this.loop.busy) return;
    const done = this.stepIndex - this.runStep;
    // Steps done .. limit-1 may complete here; find the first that has not ended by `now`.
    let lo = done;
    let hi = this.boundaryStep - this.runStep;
    while (lo < hi) {
      const mid = lo + Math.floor((hi - lo) / 2);
      const end = this.endOf(mid);
      if (end < now || (inclusive && end === now)) lo = mid + 1;
      else hi = mid;
    }
    const m = lo;
    if (m === done) return;
    const b = this.stepSeqs;
    let j = done;
    if (j === 0) {
      this.completeStep(this.endOf(0), this.runFirst);
      j = 1;
    }
    if (m > j) {
      this.gaps.addLinear(this.runFirst + this.runGrowth * j, this.runGrowth, m - j, b);
      this.sumContext += b * (m - j);
      this.stepIndex += m - j;
    }
    this.accountStarts(m + 1);
    this.stepEnd = this.endOf(m);
  }

  /** Token bookkeeping at the end of a step that lasted `stepTime`: inter-token gaps and context growth. */
  private completeStep(now: number, stepTime: number): void {
    // Sequences that were in the previous step waited exactly one step for this token; those that
    // joined this step got their first token (its wait is TTFT, not an inter-token gap).
    const continuing = this.stepSeqs - this.joined.length;
    if (continuing > 0) this.gaps.add(stepTime, continuing);
    if (this.joined.length !== 0) {
      for (const rec of this.joined) rec.firstToken = now;
      this.joined.length = 0;
    }
    this.sumContext += this.stepSeqs;
    this.stepIndex++;
  }

  private endStep(): void {
    const now = this.sim.now;
    this.completeStep(now, this.stepped ? this.cost.time : this.runFirst + this.runGrowth * (this.stepIndex - this.runStep));
    // Sequences whose last token was this step's (the step index already moved past it).
    let finished = false;
    while (this.running.size > 0 && this.running.peekKey() < this.stepIndex) {
      const d = this.running.pop()!;
      d.rec.finish = now;
      this.sumContext -= d.rec.req.inputTokens + d.rec.req.outputTokens;
      this.usedBlocks -= d.blocks;
      this.reserved--;
      this.onFinished(d.rec);
      finished = true;
    }
    this.reserve();
    if (finished) this.routingListener?.(this.index);
    this.loop.busy = false;
    this.startStep();
  }
}
