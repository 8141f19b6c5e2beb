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

/** `stepped`: one event per decode step, each logged in `log` (analytic runs log no steps). */
function setup(opts: { maxNumSeqs?: number; capacityBlocks?: number; pullDelay?: number; time?: (b: BatchShape) => number; stepped?: boolean } = {}) {
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
    opts.stepped ?? false,
  );
  /** Hands `r` off at time `t`, as if its prefill ended then. */
  const handoff = (t: number, r: RequestRecord) =>
    sim.at(t, () => {
      r.prefillEnd = sim.now;
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
  it.each([true, false])('a request with outputTokens = N finishes after N decode steps; the first one streams the first token (stepped: %s)', (stepped) => {
    const { sim, inst, log, finished, gaps, stats, handoff } = setup({ stepped });
    const a = rec(req(1, 100, 5, BS));
    handoff(0, a);
    sim.run();
    // pull 0 -> 0.1; 5 steps of 0.011 (B = 1): first token 0.111, finish 0.1 + 5·0.011 = 0.155
    expect(a.decodeInstance).toBe(0);
    expect(a.transferStart).toBe(0);
    expect(a.transferEnd).toBeCloseTo(0.1, 12);
    expect(a.decodeStart).toBeCloseTo(0.1, 12);
    expect(a.firstToken).toBeCloseTo(0.111, 12);
    expect(a.finish).toBeCloseTo(0.155, 12);
    expect(finished).toEqual([a]);
    if (stepped) expect(log.length).toBe(5);
    expect(stats.steps).toBe(5);
    expect(stats.tokens).toBe(5);
    // context read grows one token per step from the prompt
    if (stepped) {
      expect(log.map((b) => b.decodeContextTokens)).toEqual([100, 101, 102, 103, 104]);
      expect(log.every((b) => b.decodeSeqs === 1 && b.sampledSeqs === 1 && b.prefillTokens === 0)).toBe(true);
    }
    // gaps: tokens 2..5 are each one step (0.011) after the previous; the wait before token 1 is TTFT
    const { values, weights } = gaps.entries();
    expect(Array.from(weights)).toEqual([1, 1, 1, 1]);
    for (let i = 0; i < 4; i++) expect(values[i]).toBeCloseTo(0.011, 12);
    expect(inst.kvBlocksUsed).toBe(0);
    expect(inst.load()).toBe(0);
  });

  it.each([true, false])('N = 1 takes exactly one decode step (vLLM PD: the decode instance streams even a one-token answer) (stepped: %s)', (stepped) => {
    const { sim, log, gaps, handoff } = setup({ stepped });
    const a = rec(req(1, 10, 1, BS));
    handoff(1, a);
    sim.run();
    // 1 + 0.1 pull + 0.011 = 1.111
    if (stepped) expect(log.length).toBe(1);
    expect(a.firstToken).toBeCloseTo(1.111, 12);
    expect(a.finish).toBe(a.firstToken);
    expect(gaps.entries().values.length).toBe(0);
  });

  it.each([true, false])('continuous batching: a sequence that becomes ready mid-step joins at the next step boundary (stepped: %s)', (stepped) => {
    const { sim, log, gaps, handoff } = setup({ stepped });
    const a = rec(req(1, 100, 5, BS));
    const b = rec(req(2, 50, 4, BS));
    handoff(0, a); // ready at 0.1
    handoff(0.015, b); // ready at 0.115, during A's step 2 [0.111, 0.122]
    sim.run();
    // A step 1: [0.100, 0.111] B=1
    // A step 2: [0.111, 0.122] B=1   (B became ready at 0.115: waits)
    //   step 3: [0.122, 0.134] B=2   (B joins; 0.01 + 0.002) -> B's first token at 0.134
    //   step 4: [0.134, 0.146] B=2
    //   step 5: [0.146, 0.158] B=2   -> A's 5th step: A finishes at 0.158
    //   step 6: [0.158, 0.169] B=1   -> B's 4th step: B finishes at 0.169
    if (stepped) {
      expect(log.map((x) => x.decodeSeqs)).toEqual([1, 1, 2, 2, 2, 1]);
      // contexts: A 100, 101; then A 102 + B 50; A 103 + B 51; A 104 + B 52; B 53
      expect(log.map((x) => x.decodeContextTokens)).toEqual([100, 101, 152, 154, 156, 53]);
    }
    expect(b.transferEnd).toBeCloseTo(0.115, 12);
    expect(b.decodeStart).toBeCloseTo(0.122, 12);
    expect(b.firstToken).toBeCloseTo(0.134, 12);
    expect(a.finish).toBeCloseTo(0.158, 12);
    expect(b.finish).toBeCloseTo(0.169, 12);
    // the wait before B's first token (0.134 − 0.015) is in its TTFT, not among the gaps
    const { values } = gaps.entries();
    expect(Array.from(values).every((v) => v < 0.0121)).toBe(true);
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
    // A: ready 0.1, 50 steps of 0.011 -> finishes 0.1 + 0.55 = 0.65; B's pull starts then.
    expect(a.finish).toBeCloseTo(0.65, 12);
    expect(b.transferStart).toBeCloseTo(a.finish, 12);
    // B: ready 0.75, 60 steps of 0.011 -> 0.75 + 0.66 = 1.41; C after it.
    expect(b.finish).toBeCloseTo(1.41, 12);
    expect(c.transferStart).toBeCloseTo(b.finish, 12);
    // C: ready 1.51 + 2 steps of 0.011 = 1.532
    expect(c.finish).toBeCloseTo(1.532, 12);
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
    // r1: ready 0.10, 3 steps of 0.011 (B = 1)                         -> finishes 0.133
    // r2: ready 0.15 (r1 already done), 3 steps                        -> finishes 0.183
    // r3: its pull starts when r1 finishes (0.133), ready 0.233, 3 steps -> 0.266
    expect(rs[0].finish).toBeCloseTo(0.133, 12);
    expect(rs[1].finish).toBeCloseTo(0.183, 12);
    expect(rs[2].transferStart).toBeCloseTo(0.133, 12);
    expect(rs[2].finish).toBeCloseTo(0.266, 12);
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
    // 1: lands 1.0, two steps of 0.011 -> 1.022; 2's pull starts then
    expect(pulls.map((p) => p[0])).toEqual([1, 2]);
    expect(pulls[1][1]).toBeCloseTo(1.022, 12);
  });

  it('property: gap weights sum to Σ(N − 1), gap values per request sum to finish − firstToken, decode steps carry ΣN tokens, all finish', () => {
    const reqArb = fc.record({
      t: fc.integer({ min: 0, max: 200 }).map((x) => x / 1000),
      input: fc.integer({ min: 1, max: 200 }),
      output: fc.integer({ min: 1, max: 30 }),
    });
    fc.assert(
      fc.property(
        fc.array(reqArb, { minLength: 1, maxLength: 25 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 15, max: 60 }),
        fc.boolean(),
        (specs, maxNumSeqs, capacityBlocks, stepped) => {
          const { sim, gaps, inst, finished, handoff, log, stats } = setup({
            stepped,
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
          let wantTokens = 0;
          for (const r of recs) {
            wantTokens += r.req.outputTokens;
            expect(r.transferEnd).toBeLessThan(r.firstToken);
            wantWeight += r.req.outputTokens - 1;
            wantSum += r.finish - r.firstToken;
          }
          const got = gapTotals(gaps);
          expect(got.weight).toBe(wantWeight);
          expect(got.sum).toBeCloseTo(wantSum, 9);
          // each step decodes one token per sequence: total decoded tokens = ΣN
          expect(stats.tokens).toBe(wantTokens);
          if (stepped) {
            expect(log.reduce((s, b) => s + b.decodeSeqs, 0)).toBe(wantTokens);
            expect(log.every((b) => b.decodeSeqs <= maxNumSeqs)).toBe(true);
          }
          expect(inst.kvBlocksPeak).toBeLessThanOrEqual(capacityBlocks);
          expect(inst.kvBlocksUsed).toBe(0);
          expect(inst.load()).toBe(0);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('DecodeInstance.predictReservationWait (admission control input)', () => {
  /**
   * 10 pages of 16 tokens. A: 40 + 40 -> 5 pages, B: 16 + 32 -> 3 pages, both handed off at 0 and
   * pulled in 0.1 s; they join step 0 at 0.1 and steps take 0.01 + 0.001·2 = 0.012 s. A's last
   * token is step 39's, B's step 31's. The query runs at 0.226, inside step 10 (steps 0..9 ended
   * by 0.1 + 10·0.012 = 0.22).
   */
  function probe(opts: { capacityBlocks?: number; maxNumSeqs?: number }, c: RequestRecord): number[] {
    const { sim, inst, handoff } = setup({ capacityBlocks: 10, ...opts });
    handoff(0, rec(req(1, 40, 40, BS)));
    handoff(0, rec(req(2, 16, 32, BS)));
    const out: number[] = [];
    sim.at(0.05, () => out.push(inst.predictReservationWait(c.req)));
    sim.at(0.226, () => out.push(inst.predictReservationWait(c.req)));
    sim.run();
    return out;
  }

  it('0 when the reservation fits now', () => {
    // C: 16 + 16 -> 2 pages; 8 + 2 <= 10.
    expect(probe({}, rec(req(3, 16, 16, BS)))).toEqual([0, 0]);
  });

  it('short of pages: until enough reserved sequences finish, at the current step time', () => {
    // C: 32 + 32 -> 4 pages; 8 + 4 − 10 = 2 short: B (3 pages, first to finish) must go.
    const [before, during] = probe({}, rec(req(3, 32, 32, BS)));
    // At 0.05 A and B are still transferring: taken as joining at the next step (index 0), B's last
    // step = 0 + 32; an empty batch's step time 0.01 + 0.001·1 = 0.011: (32 − 0 + 1) · 0.011 = 0.363.
    expect(before).toBeCloseTo(0.363, 12);
    // At 0.226: (31 − 10 + 1) · 0.012 = 0.264 (true wait: step 31 ends at 0.1 + 32·0.012 = 0.484, 0.258 from now).
    expect(during).toBeCloseTo(0.264, 12);
  });

  it('short of sequences (max_num_seqs): until the first one finishes', () => {
    // Pages are plentiful; 2 + 1 − 2 = 1 sequence short: B again.
    const [, during] = probe({ capacityBlocks: 1000, maxNumSeqs: 2 }, rec(req(3, 16, 16, BS)));
    expect(during).toBeCloseTo(0.264, 12);
  });

  it('needs A too when B is not enough', () => {
    // C: 96 + 32 -> 8 pages; 8 + 8 − 10 = 6 short: B frees 3, A 5 -> A's step 39: (39 − 10 + 1) · 0.012 = 0.36.
    const [, during] = probe({}, rec(req(3, 96, 32, BS)));
    expect(during).toBeCloseTo(0.36, 12);
  });
});
