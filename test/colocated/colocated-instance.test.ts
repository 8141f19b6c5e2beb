import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { Simulator } from '../../src/engine/simulator.js';
import { ColocatedInstance } from '../../src/cluster/colocated-instance.js';
import { PrefixCache } from '../../src/cluster/prefix-cache.js';
import type { KvHierarchy, Segment } from '../../src/storage/kv-tiers/hierarchy.js';
import type { BatchShape } from '../../src/cluster/step-time.js';
import { PoolStats } from '../../src/metrics/collector.js';
import type { RequestRecord } from '../../src/metrics/request-record.js';
import { fakeModel, rec, RecordingGaps, req } from '../cluster/fakes.js';

const BS = 16;

/** Step time = 0.01 s + 1 ms per new token (prefill tokens + one per decoding sequence). */
const perToken = (b: BatchShape) => 0.01 + 0.001 * (b.prefillTokens + b.decodeSeqs);

interface Opts {
  maxNumSeqs?: number;
  budget?: number;
  capacityBlocks?: number;
  time?: (b: BatchShape) => number;
  tiers?: KvHierarchy;
}

function setup(opts: Opts = {}) {
  const sim = new Simulator();
  const stats = new PoolStats();
  const gaps = new RecordingGaps();
  const cache = new PrefixCache(opts.capacityBlocks ?? 10_000);
  const finished: RequestRecord[] = [];
  let peakUsed = 0;
  const time = opts.time ?? perToken;
  // Samples the pool at every step start (after admission) to check it never overflows.
  const { model, log } = fakeModel((b) => {
    peakUsed = Math.max(peakUsed, cache.usedBlocks);
    return time(b);
  });
  const inst = new ColocatedInstance(
    0,
    0,
    sim,
    model,
    { maxNumSeqs: opts.maxNumSeqs ?? 256, maxNumBatchedTokens: opts.budget ?? 512 },
    BS,
    cache,
    stats,
    gaps,
    (r) => finished.push(r),
    opts.tiers,
  );
  const at = (t: number, r: RequestRecord) => sim.at(t, () => inst.enqueue(r));
  return { sim, stats, gaps, cache, log, inst, finished, at, peakUsed: () => peakUsed };
}

function gapTotals(g: RecordingGaps): { weight: number; sum: number } {
  const { values, weights } = g.entries();
  let weight = 0;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    weight += weights[i];
    sum += values[i] * weights[i];
  }
  return { weight, sum };
}

/** Per-step gap samples as [value, weight] pairs, values rounded to µs for exact comparison. */
function gapList(g: RecordingGaps): [number, number][] {
  const { values, weights } = g.entries();
  return Array.from(values, (v, i) => [Math.round(v * 1e6) / 1e6, weights[i]]);
}

const round = (xs: number[]) => xs.map((x) => Math.round(x * 1e6) / 1e6);

describe('ColocatedInstance', () => {
  it('a single request: chunked prefill, first token at prefill end, N − 1 decode steps, finish', () => {
    const { sim, inst, log, stats, gaps, finished, cache } = setup({ budget: 64, maxNumSeqs: 8 });
    const a = rec(req(1, 100, 4, BS));
    inst.enqueue(a);
    expect(inst.load()).toBe(1);
    sim.run();
    // step 0: prefill 64 of 100          -> 0.01 + 0.064 = 0.074   [0,     0.074]
    // step 1: prefill 36 (context 64)    -> 0.01 + 0.036 = 0.046   [0.074, 0.120]  first token
    // step 2: decode 1 (context 100 + 1) -> 0.011                  [0.120, 0.131]  token 2
    // step 3: decode 1 (context 102)     -> 0.011                  [0.131, 0.142]  token 3
    // step 4: decode 1 (context 103)     -> 0.011                  [0.142, 0.153]  token 4: done
    expect(log.map((b) => b.prefillTokens)).toEqual([64, 36, 0, 0, 0]);
    expect(log.map((b) => b.prefillContextTokens)).toEqual([0, 64, 0, 0, 0]);
    // causal pairs n·(c + n/2): 64·32 = 2048; 36·(64 + 18) = 2952
    expect(log.map((b) => b.prefillAttention)).toEqual([2048, 2952, 0, 0, 0]);
    expect(log.map((b) => b.decodeSeqs)).toEqual([0, 0, 1, 1, 1]);
    expect(log.map((b) => b.decodeContextTokens)).toEqual([0, 0, 101, 102, 103]);
    expect(log.map((b) => b.sampledSeqs)).toEqual([0, 1, 1, 1, 1]);
    expect(a.prefillStart).toBe(0);
    expect(a.prefillEnd).toBeCloseTo(0.12, 12);
    expect(a.firstToken).toBe(a.prefillEnd);
    expect(a.finish).toBeCloseTo(0.153, 12);
    expect(finished).toEqual([a]);
    // colocated: no handoff
    expect(a.prefillInstance).toBe(0);
    expect(a.decodeInstance).toBe(-1);
    expect(Number.isNaN(a.transferStart)).toBe(true);
    expect(Number.isNaN(a.transferEnd)).toBe(true);
    // three decoded tokens, each 0.011 after the previous one
    expect(gapList(gaps)).toEqual([[0.011, 1], [0.011, 1], [0.011, 1]]);
    // 5 steps; tokens 100 prefill + 3 decode = 103; busy 0.074 + 0.046 + 3·0.011 = 0.153
    expect(stats.steps).toBe(5);
    expect(stats.tokens).toBe(103);
    expect(stats.busyTime).toBeCloseTo(0.153, 12);
    // released: 100 tokens = 6 full blocks stay cached; the partial block is freed
    expect(cache.usedBlocks).toBe(6);
    expect(cache.cachedBlocks).toBe(6);
    expect(inst.load()).toBe(0);
    expect(inst.running).toBe(0);
  });

  it('outputTokens = 1 finishes at the end of its prefill with no decode step', () => {
    const { sim, inst, log, gaps, finished, cache } = setup();
    const a = rec(req(1, 40, 1, BS));
    inst.enqueue(a);
    sim.run();
    // one step of 40 tokens: 0.05
    expect(log.length).toBe(1);
    expect(a.firstToken).toBeCloseTo(0.05, 12);
    expect(a.finish).toBe(a.firstToken);
    expect(finished).toEqual([a]);
    expect(gapTotals(gaps).weight).toBe(0);
    // 2 full blocks cached; partial + reservation (ceil(41/16) − ceil(40/16) = 0) freed
    expect(cache.usedBlocks).toBe(2);
    expect(inst.reservedDecodeBlocks).toBe(0);
  });

  it('mixed batches: a newcomer prefill shares steps with a running decode and stretches its token gaps', () => {
    const { sim, log, gaps, at } = setup({ budget: 64, maxNumSeqs: 8 });
    const a = rec(req(1, 16, 6, BS));
    const b = rec(req(2, 100, 2, BS));
    at(0, a);
    at(0.03, b); // arrives during A's first decode step
    sim.run();
    // step 0 [0,     0.026]: A prefill 16                        -> 0.026   A first token
    // step 1 [0.026, 0.037]: A decode                            -> 0.011   A token 2
    //   (B arrives at 0.03, admitted at the step boundary 0.037)
    // step 2 [0.037, 0.111]: A decode + B prefill 63 (64 − 1)    -> 0.074   A token 3
    // step 3 [0.111, 0.159]: A decode + B prefill 37 (ctx 63)    -> 0.048   A token 4, B first token
    // step 4 [0.159, 0.171]: A decode + B decode                 -> 0.012   A token 5, B token 2: B done
    // step 5 [0.171, 0.182]: A decode                            -> 0.011   A token 6: A done
    expect(log.map((x) => x.decodeSeqs)).toEqual([0, 1, 1, 1, 2, 1]);
    expect(log.map((x) => x.prefillTokens)).toEqual([16, 0, 63, 37, 0, 0]);
    expect(log.map((x) => x.prefillContextTokens)).toEqual([0, 0, 0, 63, 0, 0]);
    // 16·8 = 128; 63·31.5 = 1984.5; 37·(63 + 18.5) = 3015.5
    expect(log.map((x) => x.prefillAttention)).toEqual([128, 0, 1984.5, 3015.5, 0, 0]);
    expect(log.map((x) => x.sampledSeqs)).toEqual([1, 1, 1, 2, 2, 1]);
    // A's context grows 17..21 (16 + tokens so far); step 4 adds B's 100 + 1
    expect(log.map((x) => x.decodeContextTokens)).toEqual([0, 17, 18, 19, 20 + 101, 21]);
    expect(a.firstToken).toBeCloseTo(0.026, 12);
    expect(b.prefillStart).toBeCloseTo(0.037, 12);
    expect(b.firstToken).toBeCloseTo(0.159, 12);
    expect(b.finish).toBeCloseTo(0.171, 12);
    expect(a.finish).toBeCloseTo(0.182, 12);
    // A's gaps 0.011, 0.074, 0.048, 0.012, 0.011: B's prefill stretched two of them ~5-7x
    // (disaggregation would keep them at ~0.011). B's one gap is the shared 0.012.
    expect(gapList(gaps)).toEqual([[0.011, 1], [0.074, 1], [0.048, 1], [0.012, 2], [0.011, 1]]);
    const { weight, sum } = gapTotals(gaps);
    expect(weight).toBe(5 + 1);
    expect(sum).toBeCloseTo(a.finish - a.firstToken + (b.finish - b.firstToken), 12);
  });

  it('decode first: running decodes take one budget token each, prefill chunks get the rest in FCFS order', () => {
    const { sim, log, at } = setup({ budget: 8, maxNumSeqs: 8 });
    const [a, b, c] = [1, 2, 3].map((i) => rec(req(i, 4, 10, BS)));
    const d = rec(req(4, 20, 2, BS));
    at(0, a);
    at(0, b);
    at(0, c);
    at(0.02, d);
    sim.run();
    // step 0: A 4 + B 4 = 8, the budget is spent: C is admitted but gets no chunk   -> 0.018
    // step 1: A, B decode (2), C prefill 4                                          -> 0.016 (0.034)
    //   (D arrived at 0.02)
    // steps 2-5: A, B, C decode (3), D prefill 8 − 3 = 5 each                       -> 0.018 each (0.106)
    // step 6: A, B, C, D decode: D's only decoded token, D done                     -> 0.014 (0.120)
    // steps 7-9: A, B, C                                                            -> 0.013 each (0.159)
    //   A and B (first token in step 0) emit their 9th decoded token in step 9
    // step 10: C alone (first token in step 1)                                      -> 0.011 (0.170)
    expect(log.map((x) => x.decodeSeqs)).toEqual([0, 2, 3, 3, 3, 3, 4, 3, 3, 3, 1]);
    expect(log.map((x) => x.prefillTokens)).toEqual([8, 4, 5, 5, 5, 5, 0, 0, 0, 0, 0]);
    expect(log.every((x) => x.prefillTokens + x.decodeSeqs <= 8)).toBe(true);
    expect(c.prefillStart).toBeCloseTo(0.018, 12);
    expect(round([a.firstToken, b.firstToken, c.firstToken, d.firstToken])).toEqual([0.018, 0.018, 0.034, 0.106]);
    expect(round([a.finish, b.finish, c.finish, d.finish])).toEqual([0.159, 0.159, 0.17, 0.12]);
  });

  it('admission waits until prompt + reserved answer KV fits (FCFS), and resumes when a request finishes', () => {
    // capacity 10 blocks = 160 tokens
    const { sim, inst, cache, at, peakUsed } = setup({ capacityBlocks: 10 });
    // A: 40 + 50 -> ceil(90/16) = 6 blocks: prompt ceil(40/16) = 3 + answer 3
    const a = rec(req(1, 40, 50, BS));
    // B: 40 + 40 -> 5 blocks. Its prompt alone (3) would fit next to A (6 + 3 <= 10); with the
    // answer reserved it does not (6 + 5 > 10): it waits for A.
    const b = rec(req(2, 40, 40, BS));
    // C: 16 + 2 -> 2 blocks: would fit now, but it is behind B.
    const c = rec(req(3, 16, 2, BS));
    at(0, a);
    at(0, b);
    at(0, c);
    sim.run(0);
    expect(cache.usedBlocks).toBe(6);
    expect(inst.reservedDecodeBlocks).toBe(3);
    expect(inst.running).toBe(1);
    expect(inst.load()).toBe(3);
    sim.run();
    // A: prefill 40 -> 0.05, then 49 decode steps of 0.011 -> 0.05 + 0.539 = 0.589
    expect(a.finish).toBeCloseTo(0.589, 12);
    // A frees 4 blocks (partial + 3 reserved), its 2 full blocks stay cached; B (5) and C (2) fit:
    // 2 + 5 + 2 = 9 blocks. One step B 40 + C 16 = 56 tokens -> 0.066, first tokens at 0.655.
    expect(b.prefillStart).toBeCloseTo(0.589, 12);
    expect(c.prefillStart).toBeCloseTo(0.589, 12);
    expect(b.firstToken).toBeCloseTo(0.655, 12);
    expect(c.firstToken).toBeCloseTo(0.655, 12);
    // then B + C decode 0.012 -> C done at 0.667; B 38 more steps of 0.011 -> 0.667 + 0.418 = 1.085
    expect(c.finish).toBeCloseTo(0.667, 12);
    expect(b.finish).toBeCloseTo(1.085, 12);
    expect(cache.peakBlocks).toBe(9);
    expect(peakUsed()).toBeLessThanOrEqual(10);
    // all released: only full prompt blocks remain cached (A 2, B 2, C 1)
    expect(inst.reservedDecodeBlocks).toBe(0);
    expect(cache.usedBlocks).toBe(5);
    expect(cache.cachedBlocks).toBe(5);
    expect(inst.load()).toBe(0);
  });

  it('max_num_seqs caps the running set, decoding sequences included', () => {
    const { sim, log, at } = setup({ maxNumSeqs: 2 });
    const rs = [1, 2, 3].map((i) => rec(req(i, 10, 3, BS)));
    for (const r of rs) at(0, r);
    sim.run();
    // step 0: r1, r2 prefill 20 (r3 waits although the budget has room)  -> 0.030
    // steps 1, 2: r1, r2 decode                                            -> 0.012 each (0.054): both done
    // step 3: r3 prefill 10                                                -> 0.020 (0.074)
    // steps 4, 5: r3 decode                                                -> 0.011 each (0.096)
    expect(log.map((x) => x.prefillTokens)).toEqual([20, 0, 0, 10, 0, 0]);
    expect(log.map((x) => x.decodeSeqs)).toEqual([0, 2, 2, 0, 1, 1]);
    expect(rs[1].finish).toBeCloseTo(0.054, 12);
    expect(rs[2].prefillStart).toBeCloseTo(0.054, 12);
    expect(rs[2].firstToken).toBeCloseTo(0.074, 12);
    expect(rs[2].finish).toBeCloseTo(0.096, 12);
  });

  it('prefix hits skip compute, even on the prompt of a request that is still decoding', () => {
    const { sim, log, stats, cache, at } = setup();
    // 40 tokens = 2 full blocks (32 tokens) + a partial block of 8
    const a = rec(req(1, 40, 10, BS, [7, 8, 9]));
    const b = rec(req(2, 40, 2, BS, [7, 8, 10]));
    at(0, a);
    at(0.1, b);
    sim.run();
    // step 0 [0, 0.05]: A prefill 40; A's full blocks are computed and reusable from now on.
    // steps 1-5: A decode, 0.011 each, ending 0.061 .. 0.105 (B arrives at 0.1 during step 5)
    // step 6 [0.105, 0.124]: A decode (context 46) + B prefill 40 − 32 = 8 over 32 cached -> 0.019
    // step 7 [0.124, 0.136]: A + B decode: B done.   steps 8, 9: A -> 0.147, 0.158: A done.
    expect(b.cachedTokens).toBe(32);
    expect(b.hbmTokens).toBe(32);
    expect(log[6]).toMatchObject({ prefillTokens: 8, prefillContextTokens: 32, decodeSeqs: 1, decodeContextTokens: 46 });
    expect(log.map((x) => x.prefillTokens)).toEqual([40, 0, 0, 0, 0, 0, 8, 0, 0, 0]);
    expect(b.prefillStart).toBeCloseTo(0.105, 12);
    expect(b.firstToken).toBeCloseTo(0.124, 12);
    expect(b.finish).toBeCloseTo(0.136, 12);
    expect(a.finish).toBeCloseTo(0.158, 12);
    // standalone estimates: 40 tokens 0.05 each without cache; B with cache 8 over 32: 0.018
    expect(stats.computeWithoutCache).toBeCloseTo(0.1, 12);
    expect(stats.computeSaved).toBeCloseTo(0.032, 12);
    expect(b.computeSaved).toBeCloseTo(0.032, 12);
    // full blocks 7, 8 shared, not duplicated (ids 9 and 10 name partial blocks: never cached)
    expect(cache.cachedBlocks).toBe(2);
  });

  it('reused KV in a lower tier is loaded before the prefill, counting as a running sequence', () => {
    let sim!: Simulator;
    const computed: number[] = [];
    const tiers = {
      findSegments: (_h: readonly number[], from: number, full: number): Segment[] =>
        full - from >= 2 ? [{ tier: 'local_cpu', start: from, blocks: 2, peer: -1 } as Segment] : [],
      estimateLoad: () => 0.001,
      load: (_h: readonly number[], _s: readonly Segment[], ready: () => void) => sim.after(0.05, ready),
      onComputed: (_h: readonly number[], full: number) => computed.push(full),
      onHbmHits: () => {},
    } as unknown as KvHierarchy;
    const s = setup({ tiers, maxNumSeqs: 1 });
    sim = s.sim;
    const a = rec(req(1, 64, 2, BS)); // 4 full blocks, the first 2 in CPU DRAM
    const b = rec(req(2, 16, 2, BS));
    s.at(0, a);
    s.at(0, b);
    s.sim.run(0.01);
    // A is loading: it holds the only seat, B waits
    expect(s.inst.running).toBe(1);
    expect(s.log.length).toBe(0);
    s.sim.run();
    // A: load 0 -> 0.05; prefill 64 − 32 = 32 over 32 -> 0.042 (0.092); decode 0.011 (0.103)
    expect(a.loadStart).toBe(0);
    expect(a.loadEnd).toBeCloseTo(0.05, 12);
    expect(a.cachedTokens).toBe(32);
    expect(a.cpuTokens).toBe(32);
    expect(a.hbmTokens).toBe(0);
    expect(s.log[0]).toMatchObject({ prefillTokens: 32, prefillContextTokens: 32 });
    expect(a.prefillStart).toBeCloseTo(0.05, 12);
    expect(a.firstToken).toBeCloseTo(0.092, 12);
    expect(a.finish).toBeCloseTo(0.103, 12);
    // B (1 full block, nothing in the tier) starts when A is done
    expect(b.prefillStart).toBeCloseTo(0.103, 12);
    expect(computed).toEqual([4, 1]);
  });

  it('rejects max_num_batched_tokens < max_num_seqs (as vLLM does)', () => {
    expect(() => setup({ maxNumSeqs: 64, budget: 32 })).toThrow(RangeError);
  });

  it('property: every request finishes once, gaps add up, times are ordered, KV never overflows', () => {
    const reqArb = fc.record({
      t: fc.integer({ min: 0, max: 300 }).map((x) => x / 1000),
      input: fc.integer({ min: 1, max: 120 }),
      output: fc.integer({ min: 1, max: 25 }),
      family: fc.integer({ min: 0, max: 2 }),
      shared: fc.integer({ min: 0, max: 6 }),
    });
    fc.assert(
      fc.property(
        fc.array(reqArb, { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 6, max: 40 }),
        (specs, maxNumSeqs, extraBudget, capacityBlocks) => {
          const budget = maxNumSeqs + extraBudget;
          const { sim, gaps, inst, cache, finished, log, stats, at, peakUsed } = setup({
            maxNumSeqs,
            budget,
            capacityBlocks,
            time: (b) => 0.005 + 0.0005 * b.prefillTokens + 0.001 * b.decodeSeqs + 1e-6 * b.decodeContextTokens,
          });
          const recs = specs.map((s, i) => {
            // keep prompt + answer within the pool (Cluster rejects larger ones)
            const input = Math.max(1, Math.min(s.input, capacityBlocks * BS - s.output));
            const n = Math.ceil(input / BS);
            // chained ids: the first `shared` blocks are common to the family, the rest unique
            const hashes = Array.from({ length: n }, (_, k) => (k < s.shared ? s.family * 1000 + k : (i + 1) * 100_000 + k));
            return rec({ ...req(i, input, s.output, BS, hashes), arrival: s.t });
          });
          recs.forEach((r) => at(r.req.arrival, r));
          sim.run();

          // every request finishes exactly once
          expect(finished.length).toBe(recs.length);
          expect(new Set(finished).size).toBe(recs.length);
          let wantWeight = 0;
          let wantSum = 0;
          let prefillTokens = 0;
          for (const r of recs) {
            expect(r.req.arrival).toBeLessThanOrEqual(r.prefillStart);
            expect(r.prefillStart).toBeLessThanOrEqual(r.firstToken);
            expect(r.firstToken).toBeLessThanOrEqual(r.finish);
            expect(r.prefillEnd).toBe(r.firstToken);
            if (r.req.outputTokens === 1) expect(r.finish).toBe(r.firstToken);
            expect(r.decodeInstance).toBe(-1);
            expect(Number.isNaN(r.transferStart)).toBe(true);
            expect(r.cachedTokens).toBeLessThan(r.req.inputTokens);
            wantWeight += r.req.outputTokens - 1;
            wantSum += r.finish - r.firstToken;
            prefillTokens += r.req.inputTokens - r.cachedTokens;
          }
          // one gap per decoded token; per request they add up to finish − firstToken
          const got = gapTotals(gaps);
          expect(got.weight).toBe(wantWeight);
          expect(got.sum).toBeCloseTo(wantSum, 9);
          // every token scheduled exactly once, within the limits
          expect(log.reduce((s, b) => s + b.decodeSeqs, 0)).toBe(wantWeight);
          expect(log.reduce((s, b) => s + b.prefillTokens, 0)).toBe(prefillTokens);
          expect(stats.tokens).toBe(prefillTokens + wantWeight);
          expect(stats.steps).toBe(log.length);
          expect(log.every((b) => b.prefillTokens + b.decodeSeqs <= budget)).toBe(true);
          expect(log.every((b) => b.decodeSeqs <= maxNumSeqs && b.sampledSeqs <= maxNumSeqs)).toBe(true);
          // KV: never over capacity; at the end only cached full prompt blocks remain
          expect(peakUsed()).toBeLessThanOrEqual(capacityBlocks);
          expect(cache.peakBlocks).toBeLessThanOrEqual(capacityBlocks);
          expect(cache.usedBlocks).toBe(cache.cachedBlocks);
          expect(inst.reservedDecodeBlocks).toBe(0);
          expect(inst.running).toBe(0);
          expect(inst.load()).toBe(0);
        },
      ),
      { numRuns: 200 },
    );
  });
});
