import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { Simulator } from '../../src/engine/simulator.js';
import { DecodeInstance } from '../../src/cluster/decode-instance.js';
import { PoolStats } from '../../src/metrics/collector.js';
import type { RequestRecord } from '../../src/metrics/request-record.js';
import type { BatchShape } from '../../src/cluster/step-time.js';
import { fakeModel, rec, RecordingGaps, req } from './fakes.js';

const BS = 16;

/** Step time = 0.01 + 0.001·B (B = decode sequences in the step). */
const perSeq = (b: BatchShape) => 0.01 + 0.001 * b.decodeSeqs;

function setup(opts: { maxNumSeqs?: number; capacityBlocks?: number; pullDelay?: number; time?: (b: BatchShape) => number } = {}) {
  const sim = new Simulator();
  const stats = new PoolStats();
  const gaps = new RecordingGaps();
  const { model, log } = fakeModel(opts.time ?? perSeq);
  const finished: RequestRecord[] = [];
  const pulls: [number, number][] = []; // [request id, time the pull started]
  const delay = opts.pullDelay ?? 0.1;
  const inst = new DecodeInstance(
    0,
    1,
    sim,
    model,
    { maxNumSeqs: opts.maxNumSeqs ?? 256, maxNumBatchedTokens: 8192 },
    BS,
    opts.capacityBlocks ?? 10_000,
    stats,
    gaps,
    (r, into) => {
      pulls.push([r.req.id, sim.now]);
      sim.after(delay, () => into.onTransferred(r));
    },
    (r) => finished.push(r),
  );
  /** Hands `r` off at time `t`, as if its prefill (first token) ended then. */
  const handoff = (t: number, r: RequestRecord) =>
    sim.at(t, () => {
      r.prefillEnd = r.firstToken = sim.now;
      inst.handoff(r);
    });
  return { sim, stats, gaps, log, inst, finished, pulls, handoff };
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

describe('DecodeInstance', () => {
  it('a request with outputTokens = N finishes after N − 1 decode steps', () => {
    const { sim, inst, log, finished, gaps, stats, handoff } = setup();
    const a = rec(req(1, 100, 5, BS));
    handoff(0, a);
    sim.run();
    // pull 0 -> 0.1; 4 steps of 0.011 (B = 1): 0.1 + 4·0.011 = 0.144
    expect(a.decodeInstance).toBe(0);
    expect(a.transferStart).toBe(0);
    expect(a.transferEnd).toBeCloseTo(0.1, 12);
    expect(a.finish).toBeCloseTo(0.144, 12);
    expect(finished).toEqual([a]);
    expect(log.length).toBe(4);
    expect(stats.steps).toBe(4);
    expect(stats.tokens).toBe(4);
    // context read grows one token per step: prompt 100 + first token, then +1 per step
    expect(log.map((b) => b.decodeContextTokens)).toEqual([101, 102, 103, 104]);
    expect(log.every((b) => b.decodeSeqs === 1 && b.sampledSeqs === 1 && b.prefillTokens === 0)).toBe(true);
    // gaps: token 2 came 0.111 after the first token (transfer + step); tokens 3..5 0.011 apart
    const { values, weights } = gaps.entries();
    expect(Array.from(weights)).toEqual([1, 1, 1, 1]);
    expect(values[0]).toBeCloseTo(0.111, 12);
    for (let i = 1; i < 4; i++) expect(values[i]).toBeCloseTo(0.011, 12);
    expect(inst.kvBlocksUsed).toBe(0);
    expect(inst.load()).toBe(0);
  });

  it('N = 2 takes exactly one decode step', () => {
    const { sim, log, handoff } = setup();
    const a = rec(req(1, 10, 2, BS));
    handoff(1, a);
    sim.run();
    // 1 + 0.1 pull + 0.011 = 1.111
    expect(log.length).toBe(1);
    expect(a.finish).toBeCloseTo(1.111, 12);
  });

  it('continuous batching: a sequence that becomes ready mid-step joins at the next step boundary', () => {
    const { sim, log, gaps, handoff } = setup();
    const a = rec(req(1, 100, 5, BS));
    const b = rec(req(2, 50, 4, BS));
    handoff(0, a); // ready at 0.1
    handoff(0.015, b); // ready at 0.115, during A's step 2 [0.111, 0.122]
    sim.run();
    // A step 1: [0.100, 0.111] B=1
    // A step 2: [0.111, 0.122] B=1   (B became ready at 0.115: waits)
    //   step 3: [0.122, 0.134] B=2   (B joins; 0.01 + 0.002)
    //   step 4: [0.134, 0.146] B=2   -> A's 4th decode step: A finishes at 0.146
    //   step 5: [0.146, 0.157] B=1   -> B's 3rd decode step: B finishes at 0.157
    expect(log.map((x) => x.decodeSeqs)).toEqual([1, 1, 2, 2, 1]);
    // contexts: A 101, 102; then A 103 + B 51; A 104 + B 52; B 53
    expect(log.map((x) => x.decodeContextTokens)).toEqual([101, 102, 154, 156, 53]);
    expect(b.transferEnd).toBeCloseTo(0.115, 12);
    expect(a.finish).toBeCloseTo(0.146, 12);
    expect(b.finish).toBeCloseTo(0.157, 12);
    // B's first decoded token arrived 0.134 − 0.015 = 0.119 after its first token
    const { values, weights } = gaps.entries();
    const bFirstGap = Array.from(values).findIndex((v, i) => weights[i] === 1 && Math.abs(v - 0.119) < 1e-12);
    expect(bFirstGap).toBeGreaterThanOrEqual(0);
    // total weight = (5 − 1) + (4 − 1) = 7
    expect(gapTotals(gaps).weight).toBe(7);
  });

  it('admission waits for KV blocks, in FIFO order, and resumes when a sequence finishes', () => {
    // capacity 10 blocks = 160 tokens
    const { sim, inst, pulls, handoff } = setup({ capacityBlocks: 10 });
    const a = rec(req(1, 100, 50, BS)); // ceil(150/16) = 10 blocks: the whole pool
    const b = rec(req(2, 100, 60, BS)); // 10 blocks
    const c = rec(req(3, 10, 2, BS)); // 1 block: would fit later, but is behind B
    handoff(0, a);
    handoff(0, b);
    handoff(0, c);
    sim.run(0.05);
    expect(pulls).toEqual([[1, 0]]);
    expect(inst.kvBlocksUsed).toBe(10);
    expect(inst.load()).toBe(3); // 1 reserved + 2 pending
    sim.run();
    // A: ready 0.1, 49 steps of 0.011 -> finishes 0.1 + 0.539 = 0.639; B's pull starts then.
    expect(a.finish).toBeCloseTo(0.639, 12);
    expect(b.transferStart).toBeCloseTo(a.finish, 12);
    // B: ready 0.739, 59 steps of 0.011 -> 0.739 + 0.649 = 1.388; C after it.
    expect(b.finish).toBeCloseTo(1.388, 12);
    expect(c.transferStart).toBeCloseTo(b.finish, 12);
    // C: ready 1.488 + 1 step 0.011 = 1.499
    expect(c.finish).toBeCloseTo(1.499, 12);
    expect(inst.kvBlocksPeak).toBe(10);
    expect(inst.kvBlocksUsed).toBe(0);
  });

  it('admission waits when max_num_seqs is reached', () => {
    const { sim, handoff } = setup({ maxNumSeqs: 2 });
    const rs = [1, 2, 3].map((i) => rec(req(i, 10, 3, BS)));
    handoff(0, rs[0]);
    handoff(0.05, rs[1]);
    handoff(0.06, rs[2]); // 2 sequences already hold a reservation: waits
    sim.run();
    // r1: ready 0.10, steps [0.100, 0.111] [0.111, 0.122] (B = 1)     -> finishes 0.122
    // r2: ready 0.15, steps [0.150, 0.161] [0.161, 0.172]              -> finishes 0.172
    // r3: its pull starts when r1 finishes (0.122), ready 0.222, steps -> 0.244
    expect(rs[0].finish).toBeCloseTo(0.122, 12);
    expect(rs[1].finish).toBeCloseTo(0.172, 12);
    expect(rs[2].transferStart).toBeCloseTo(0.122, 12);
    expect(rs[2].finish).toBeCloseTo(0.244, 12);
  });

  it('a transfer in flight counts against max_num_seqs and KV', () => {
    const { sim, inst, pulls, handoff } = setup({ maxNumSeqs: 1, pullDelay: 1 });
    handoff(0, rec(req(1, 10, 2, BS)));
    handoff(0.5, rec(req(2, 10, 2, BS)));
    sim.run(0.9);
    // request 1 is still transferring (lands at 1.0): request 2 may not start its pull
    expect(pulls).toEqual([[1, 0]]);
    expect(inst.load()).toBe(2);
    sim.run();
    // 1: lands 1.0, one step 0.011 -> 1.011; 2's pull starts then
    expect(pulls.map((p) => p[0])).toEqual([1, 2]);
    expect(pulls[1][1]).toBeCloseTo(1.011, 12);
  });

  it('property: gap weights sum to Σ(N − 1), gap values per request sum to finish − firstToken, all finish', () => {
    const reqArb = fc.record({
      t: fc.integer({ min: 0, max: 200 }).map((x) => x / 1000),
      input: fc.integer({ min: 1, max: 200 }),
      output: fc.integer({ min: 2, max: 30 }),
    });
    fc.assert(
      fc.property(
        fc.array(reqArb, { minLength: 1, maxLength: 25 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 15, max: 60 }),
        (specs, maxNumSeqs, capacityBlocks) => {
          const { sim, gaps, inst, finished, handoff, log } = setup({
            maxNumSeqs,
            capacityBlocks,
            pullDelay: 0.02,
            time: (b) => 0.005 + 0.001 * b.decodeSeqs + 1e-6 * b.decodeContextTokens,
          });
          const recs = specs.map((s, i) => {
            // keep every request within the pool (Cluster rejects larger ones)
            const input = Math.min(s.input, capacityBlocks * BS - s.output);
            return rec(req(i, input, s.output, BS));
          });
          recs.forEach((r, i) => handoff(specs[i].t, r));
          sim.run();
          expect(finished.length).toBe(recs.length);
          let wantWeight = 0;
          let wantSum = 0;
          for (const r of recs) {
            wantWeight += r.req.outputTokens - 1;
            wantSum += r.finish - r.firstToken;
          }
          const got = gapTotals(gaps);
          expect(got.weight).toBe(wantWeight);
          expect(got.sum).toBeCloseTo(wantSum, 9);
          // each step decodes one token per sequence: total decoded tokens = Σ(N − 1)
          expect(log.reduce((s, b) => s + b.decodeSeqs, 0)).toBe(wantWeight);
          expect(log.every((b) => b.decodeSeqs <= maxNumSeqs)).toBe(true);
          expect(inst.kvBlocksPeak).toBeLessThanOrEqual(capacityBlocks);
          expect(inst.kvBlocksUsed).toBe(0);
          expect(inst.load()).toBe(0);
        },
      ),
      { numRuns: 150 },
    );
  });
});
