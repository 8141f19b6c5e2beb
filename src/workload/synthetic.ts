/**
 * Deterministic synthetic workloads: Poisson or gamma (bursty) arrivals, length distributions,
 * shared system prompts with Zipf popularity, and multi-turn chat sessions whose prompts grow
 * with the conversation, with vLLM-style chained block hashes so prefix caching behaves as it
 * would on a real trace.
 *
 * Model:
 * - Sessions start by the arrival process at rate/turnsMean (rate when there are no sessions:
 *   every request is a one-turn session), so the request rate is ~rate as long as sessions are
 *   not cut short by maxContextTokens or the duration.
 * - Turns per session ~ geometric on {1, 2, ...} with mean turnsMean. Turn k+1 arrives at turn
 *   k's arrival + thinkTime·Exp(1): open loop, as in a replayed trace (the user does not wait
 *   for the answer), so the simulated cluster's speed never changes the workload.
 * - Prompt of turn k = group prefix + every earlier turn's new input and output + this turn's
 *   new input. A session ends before the first turn whose prompt would exceed maxContextTokens;
 *   the first turn's new input is truncated to fit instead, so every session yields a request.
 * - Lognormal lengths are rounded and clamped to [max(1, min), max], which shifts the mean a
 *   little when the bounds bite.
 *
 * Determinism: each random quantity has its own seedrandom stream (`${seed}:arrivals`,
 * `:groups`, `:turns`, `:think`, `:input`, `:output`), and every session draws lengths and
 * think times for all its planned turns even when the context limit ends it early. Changing the
 * output distribution therefore does not reshuffle arrivals, groups or input lengths, etc.
 * numRequests keeps the first N requests by arrival and duration drops later arrivals, both
 * without changing the requests kept: a bigger N or a longer duration extends a smaller run
 * exactly (same lengths, same block ids).
 */
import { MinHeap } from '../util/min-heap.js';
import { rngStream } from '../engine/rng.js';
import { InputError } from '../scenario/input-error.js';
import type { Request, Workload } from './request.js';

export type LengthDist =
  | { dist: 'fixed'; value: number }
  | { dist: 'uniform'; min: number; max: number }
  | { dist: 'lognormal'; mean: number; cv: number; min?: number; max?: number };

export interface SyntheticConfig {
  /** Tokens per hash block (the caller defaults it to 512). */
  blockSize: number;
  /** Stop at whichever of numRequests / duration comes first; at least one must be set. */
  numRequests?: number;
  /** Seconds: no request arrives after this. */
  duration?: number;
  /** Requests per second overall. gamma: inter-arrival CV `cv` (> 1 is burstier than Poisson). */
  arrival: { process: 'poisson'; rate: number } | { process: 'gamma'; rate: number; cv: number };
  /** New prompt tokens per request (per turn for sessions). */
  inputTokens: LengthDist;
  outputTokens: LengthDist;
  /** Shared system prompts; group g (0-based) is picked with probability ∝ 1/(g+1)^zipfAlpha. */
  prefixGroups?: { count: number; prefixTokens: number; zipfAlpha: number };
  /** Multi-turn chats: turns ~ geometric with mean turnsMean (>= 1), think time ~ Exp(mean s). */
  sessions?: { turnsMean: number; thinkTime: number };
  /** A session ends when its next prompt would exceed this. Default 131072. */
  maxContextTokens?: number;
}

/** A synthetic request, with where it came from (handy for tests and debugging). */
export interface SyntheticRequest extends Request {
  readonly session: number;
  /** 0-based turn within the session. */
  readonly turn: number;
  /** Prefix group, or -1 without prefixGroups. */
  readonly group: number;
}

export const DEFAULT_MAX_CONTEXT_TOKENS = 131072;
/** Guard against configs that would silently eat all memory. */
export const MAX_SYNTHETIC_REQUESTS = 10_000_000;

type Rng = () => number;

function bad(field: string, detail: string): InputError {
  return new InputError('scenario', `workload.${field}`, detail);
}

const isPosInt = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 1;
const isNonNegInt = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const isPos = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;
const isNonNeg = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

function checkLength(d: LengthDist, field: string): void {
  if (d === null || typeof d !== 'object') throw bad(field, 'must be a length distribution');
  switch (d.dist) {
    case 'fixed':
      if (!isPosInt(d.value)) throw bad(`${field}.value`, `must be an integer >= 1, got ${d.value}`);
      return;
    case 'uniform':
      if (!isPosInt(d.min)) throw bad(`${field}.min`, `must be an integer >= 1, got ${d.min}`);
      if (!isPosInt(d.max)) throw bad(`${field}.max`, `must be an integer >= 1, got ${d.max}`);
      if (d.min > d.max) throw bad(field, `min (${d.min}) must be <= max (${d.max})`);
      return;
    case 'lognormal':
      if (!isPos(d.mean)) throw bad(`${field}.mean`, `must be > 0, got ${d.mean}`);
      if (!isNonNeg(d.cv)) throw bad(`${field}.cv`, `must be >= 0, got ${d.cv}`);
      if (d.min !== undefined && !isPosInt(d.min)) throw bad(`${field}.min`, `must be an integer >= 1, got ${d.min}`);
      if (d.max !== undefined && !isPosInt(d.max)) throw bad(`${field}.max`, `must be an integer >= 1, got ${d.max}`);
      if (d.min !== undefined && d.max !== undefined && d.min > d.max) {
        throw bad(field, `min (${d.min}) must be <= max (${d.max})`);
      }
      return;
    default:
      throw bad(`${field}.dist`, `must be fixed, uniform or lognormal, got ${String((d as { dist: unknown }).dist)}`);
  }
}

function checkConfig(cfg: SyntheticConfig): void {
  if (!isPosInt(cfg.blockSize)) throw bad('blockSize', `must be an integer >= 1, got ${cfg.blockSize}`);
  if (cfg.numRequests === undefined && cfg.duration === undefined) {
    throw bad('numRequests', 'set numRequests or duration (or both: whichever comes first)');
  }
  if (cfg.numRequests !== undefined) {
    if (!isPosInt(cfg.numRequests)) throw bad('numRequests', `must be an integer >= 1, got ${cfg.numRequests}`);
    if (cfg.numRequests > MAX_SYNTHETIC_REQUESTS) {
      throw bad('numRequests', `must be <= ${MAX_SYNTHETIC_REQUESTS}, got ${cfg.numRequests}`);
    }
  }
  if (cfg.duration !== undefined && !isPos(cfg.duration)) {
    throw bad('duration', `must be a number of seconds > 0, got ${cfg.duration}`);
  }
  const a = cfg.arrival;
  if (a === null || typeof a !== 'object') throw bad('arrival', 'must be {process, rate}');
  if (a.process !== 'poisson' && a.process !== 'gamma') {
    throw bad('arrival.process', `must be poisson or gamma, got ${String((a as { process: unknown }).process)}`);
  }
  if (!isPos(a.rate)) throw bad('arrival.rate', `must be > 0 requests/s, got ${a.rate}`);
  if (a.process === 'gamma' && !isPos(a.cv)) throw bad('arrival.cv', `must be > 0, got ${a.cv}`);
  if (cfg.numRequests === undefined && a.rate * (cfg.duration as number) > MAX_SYNTHETIC_REQUESTS) {
    throw bad('duration', `rate × duration would generate more than ${MAX_SYNTHETIC_REQUESTS} requests; set numRequests`);
  }
  checkLength(cfg.inputTokens, 'inputTokens');
  checkLength(cfg.outputTokens, 'outputTokens');
  const maxCtx = cfg.maxContextTokens ?? DEFAULT_MAX_CONTEXT_TOKENS;
  if (!isPosInt(maxCtx)) throw bad('maxContextTokens', `must be an integer >= 1, got ${maxCtx}`);
  const g = cfg.prefixGroups;
  if (g !== undefined) {
    if (!isPosInt(g.count)) throw bad('prefixGroups.count', `must be an integer >= 1, got ${g.count}`);
    if (!isNonNegInt(g.prefixTokens)) {
      throw bad('prefixGroups.prefixTokens', `must be an integer >= 0, got ${g.prefixTokens}`);
    }
    if (g.prefixTokens >= maxCtx) {
      throw bad('prefixGroups.prefixTokens', `must be < maxContextTokens (${maxCtx}), got ${g.prefixTokens}`);
    }
    if (!isNonNeg(g.zipfAlpha)) throw bad('prefixGroups.zipfAlpha', `must be >= 0, got ${g.zipfAlpha}`);
  }
  const s = cfg.sessions;
  if (s !== undefined) {
    if (!(typeof s.turnsMean === 'number' && Number.isFinite(s.turnsMean) && s.turnsMean >= 1)) {
      throw bad('sessions.turnsMean', `must be >= 1, got ${s.turnsMean}`);
    }
    if (!isNonNeg(s.thinkTime)) throw bad('sessions.thinkTime', `must be >= 0 seconds, got ${s.thinkTime}`);
  }
  // Every draw above the context would be cut on every request: refuse rather than clip silently.
  // (A group prefix plus a new input that only together exceed it is the documented first-turn cut.)
  const shortest = minLength(cfg.inputTokens);
  if (shortest > maxCtx) {
    throw bad('inputTokens', `every prompt (at least ${shortest} tokens) exceeds maxContextTokens (${maxCtx}) and would be cut; raise maxContextTokens or shorten the prompts`);
  }
}

/** The smallest length a distribution can draw. */
function minLength(d: LengthDist): number {
  if (d.dist === 'fixed') return d.value;
  if (d.dist === 'uniform') return d.min;
  return Math.max(1, d.min ?? 1);
}

// ---- samplers (each takes its own stream) ----

/** Exp(1). 1 - u is in (0, 1], so the log is finite. */
function expo(rng: Rng): number {
  return -Math.log(1 - rng());
}

/** Standard normal by Box-Muller, always two uniforms (keeps stream consumption predictable). */
function normal(rng: Rng): number {
  const u1 = 1 - rng();
  const u2 = rng();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** Gamma(shape k, scale 1), Marsaglia & Tsang (2000); k < 1 via the U^(1/k) boost. */
function gamma(rng: Rng, k: number): number {
  if (k < 1) return gamma(rng, k + 1) * Math.pow(1 - rng(), 1 / k);
  const d = k - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - rng();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/*
 * The samplers are classes, not closures made per run: V8 then keeps their optimized code from one
 * run to the next (see src/util/countdown.ts).
 */

/** Token counts of `d` over `rng`. */
class LengthSampler {
  private readonly kind: LengthDist['dist'];
  /** fixed: value; uniform: [a, b]; lognormal: mu, sigma, clipped to [a, b]. */
  private readonly a: number;
  private readonly b: number;
  private readonly mu: number;
  private readonly sigma: number;

  constructor(
    d: LengthDist,
    private readonly rng: Rng,
  ) {
    this.kind = d.dist;
    const sigma2 = d.dist === 'lognormal' ? Math.log(1 + d.cv * d.cv) : 0;
    this.sigma = Math.sqrt(sigma2);
    this.mu = d.dist === 'lognormal' ? Math.log(d.mean) - sigma2 / 2 : 0; // so that E[X] = mean
    this.a = d.dist === 'fixed' ? d.value : d.dist === 'uniform' ? d.min : Math.max(1, d.min ?? 1);
    this.b = d.dist === 'fixed' ? d.value : d.dist === 'uniform' ? d.max : (d.max ?? Infinity);
  }

  next(): number {
    switch (this.kind) {
      case 'fixed':
        return this.a;
      case 'uniform':
        return this.a + Math.floor(this.rng() * (this.b - this.a + 1));
      case 'lognormal':
        return Math.min(this.b, Math.max(this.a, Math.round(Math.exp(this.mu + this.sigma * normal(this.rng)))));
    }
  }
}

/** Inter-arrival times with mean 1/rate: exponential (Poisson), or gamma with CV c (shape 1/c², scale c²/rate). */
class InterArrivalSampler {
  private readonly poisson: boolean;
  private readonly k: number;
  private readonly scale: number;

  constructor(
    a: SyntheticConfig['arrival'],
    private readonly rate: number,
    private readonly rng: Rng,
  ) {
    this.poisson = a.process === 'poisson';
    const c2 = a.process === 'gamma' ? a.cv * a.cv : 0;
    this.k = this.poisson ? 0 : 1 / c2;
    this.scale = this.poisson ? 0 : c2 / rate;
  }

  next(): number {
    return this.poisson ? expo(this.rng) / this.rate : gamma(this.rng, this.k) * this.scale;
  }
}

/** Zipf(alpha) over 0..n-1 by inverse CDF. */
class ZipfSampler {
  private readonly cdf: Float64Array;
  private readonly sum: number;

  constructor(
    n: number,
    alpha: number,
    private readonly rng: Rng,
  ) {
    this.cdf = new Float64Array(n);
    let sum = 0;
    for (let i = 0; i < n; i++) this.cdf[i] = sum += Math.pow(i + 1, -alpha);
    this.sum = sum;
  }

  next(): number {
    const cdf = this.cdf;
    const u = this.rng() * this.sum;
    let lo = 0;
    let hi = cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] > u) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

/** Turns of a session: geometric on {1,2,...} with mean m (continue after each turn with probability 1 - 1/m). */
function drawTurns(turnsMean: number, logContinue: number, rng: Rng): number {
  return turnsMean === 1 ? 1 : 1 + Math.floor(Math.log(1 - rng()) / logContinue);
}

/** The request handed out `id`-th. */
function toRequest(d: Draft, id: number): SyntheticRequest {
  return {
    id,
    arrival: d.arrival,
    inputTokens: d.inputTokens,
    outputTokens: d.outputTokens,
    blockHashes: d.blockHashes,
    session: d.session,
    turn: d.turn,
    group: d.group,
  };
}

interface Draft {
  arrival: number;
  inputTokens: number;
  outputTokens: number;
  blockHashes: number[];
  session: number;
  turn: number;
  group: number;
}

/**
 * Generates the requests of a synthetic workload, sorted by arrival (ties in generation order),
 * ids 0..n-1 in that order. Throws InputError('scenario', 'workload.<field>', ...) on a bad config.
 */
export function syntheticRequests(cfg: SyntheticConfig, seed: number | string): SyntheticRequest[] {
  checkConfig(cfg);
  return [...generate(cfg, seed)];
}

/**
 * The generator, lazily: sessions are drawn one at a time and a request is handed out as soon as
 * no later session can arrive before it (sessions start in order, and every turn of a session
 * arrives at or after its start), so memory holds the sessions in progress, not the whole day.
 */
function* generate(cfg: SyntheticConfig, seed: number | string): Generator<SyntheticRequest> {
  const B = cfg.blockSize;
  const maxCtx = cfg.maxContextTokens ?? DEFAULT_MAX_CONTEXT_TOKENS;
  const N = cfg.numRequests ?? Infinity;
  const duration = cfg.duration ?? Infinity;
  const sessions = cfg.sessions;
  const turnsMean = sessions?.turnsMean ?? 1;

  const stream = (name: string): Rng => rngStream(seed, name);
  const gaps = new InterArrivalSampler(cfg.arrival, cfg.arrival.rate / turnsMean, stream('arrivals'));
  const inputs = new LengthSampler(cfg.inputTokens, stream('input'));
  const outputs = new LengthSampler(cfg.outputTokens, stream('output'));
  const turnsRng = stream('turns');
  const thinkRng = stream('think');
  const logContinue = Math.log(1 - 1 / turnsMean);

  // Block ids: one counter. Group prefixes' full blocks first, shared by every session of the group.
  let nextId = 0;
  const groups = cfg.prefixGroups;
  const prefixTokens = groups?.prefixTokens ?? 0;
  const prefixFull = Math.floor(prefixTokens / B);
  const groupIds: number[][] = [];
  for (let g = 0; g < (groups?.count ?? 0); g++) {
    const ids: number[] = [];
    for (let i = 0; i < prefixFull; i++) ids.push(nextId++);
    groupIds.push(ids);
  }
  const groupPicks = groups ? new ZipfSampler(groups.count, groups.zipfAlpha, stream('groups')) : undefined;

  // Generated requests not yet handed out, by arrival (ties in generation order: FIFO heap).
  const pending = new MinHeap<Draft>();
  let generated = 0;
  let emitted = 0;
  let start = 0;
  const plannedIn: number[] = [];
  const plannedOut: number[] = [];
  const plannedThink: number[] = [];

  for (let session = 0; ; session++) {
    start += gaps.next();
    if (start > duration) break;
    // Every later request arrives at or after `start`, and comes later in generation order.
    while (pending.size > 0 && pending.peekKey() <= start) {
      yield toRequest(pending.pop()!, emitted++);
      if (emitted >= N) return;
    }
    const group = groupPicks ? groupPicks.next() : -1;
    const turns = sessions ? drawTurns(turnsMean, logContinue, turnsRng) : 1;
    // Draw every planned turn up front so early termination does not shift other sessions' draws.
    for (let t = 0; t < turns; t++) {
      plannedIn[t] = inputs.next();
      plannedOut[t] = outputs.next();
      plannedThink[t] = t > 0 ? (sessions as { thinkTime: number }).thinkTime * expo(thinkRng) : 0;
    }

    const ids: number[] = group >= 0 ? groupIds[group].slice() : [];
    let history = prefixTokens; // tokens before this turn's new input
    let prevPrompt = prefixTokens; // tokens whose full blocks already have ids
    let arrival = start;
    for (let t = 0; t < turns; t++) {
      // Turns after `duration` are still built (then dropped) so block ids do not depend on the
      // duration: a longer run starts with exactly the requests of a shorter one.
      arrival += plannedThink[t];
      let input = plannedIn[t];
      if (history + input > maxCtx) {
        if (t > 0) break;
        input = maxCtx - history; // first turn: truncate rather than drop the session
      }
      const prompt = history + input;
      // Full blocks of the previous prompt keep their ids; its partial block and new blocks get
      // fresh ones (chained hashes: a block's id stands for its whole prefix).
      ids.length = Math.floor(prevPrompt / B);
      const nBlocks = Math.ceil(prompt / B);
      for (let i = ids.length; i < nBlocks; i++) ids.push(nextId++);
      generated++;
      if (arrival <= duration) {
        pending.push(arrival, { arrival, inputTokens: prompt, outputTokens: plannedOut[t], blockHashes: ids.slice(), session, turn: t, group });
      }
      prevPrompt = prompt;
      history = prompt + plannedOut[t];
    }
    if (generated > MAX_SYNTHETIC_REQUESTS * 2) {
      throw bad('numRequests', `config generates more than ${MAX_SYNTHETIC_REQUESTS * 2} requests`);
    }
  }
  while (pending.size > 0 && emitted < N) yield toRequest(pending.pop()!, emitted++);
}

/** A synthetic workload, generated lazily on each iteration (re-iterable, same requests each time). */
export function syntheticWorkload(cfg: SyntheticConfig, seed: number | string): Workload {
  checkConfig(cfg);
  return {
    blockSize: cfg.blockSize,
    source: `synthetic(seed=${seed})`,
    [Symbol.iterator]: () => generate(cfg, seed),
  };
}
